package io.antidote.workflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One target of a run and its steps, in playbook order.
 *
 * @param waiting      held by another run when it was due to start
 * @param compensation the undo in progress after a failure or a cancel, or null
 * @param verdict      the last verdict recorded for the target, or null before its end
 * @param release      who released the server from isolation and why, or null
 */
public record TargetState(String name, WorkStatus status, List<StepState> steps, boolean waiting,
                          Compensation compensation, Verdict verdict, String release) {

    public TargetState {
        steps = List.copyOf(steps);
    }

    /** Undoing {@code steps} in order; {@code done} of them are over (undone or failed to undo). */
    public record Compensation(String failedStep, String reason, boolean cancelled, List<String> steps, int done) {
        public Compensation {
            steps = List.copyOf(steps);
        }

        Optional<String> current() {
            return done < steps.size() ? Optional.of(steps.get(done)) : Optional.empty();
        }

        Compensation next() {
            return new Compensation(failedStep, reason, cancelled, steps, done + 1);
        }
    }

    static TargetState pending(String name, RunPlan plan) {
        return new TargetState(name, WorkStatus.PENDING,
                plan.steps().stream().map(s -> StepState.pending(s.id())).toList(), false, null, null, null);
    }

    public Optional<StepState> step(String id) {
        return steps.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** The step now running on this target, if any. */
    public Optional<StepState> runningStep() {
        return steps.stream().filter(s -> s.status() == WorkStatus.RUNNING).findFirst();
    }

    /** The first step that has not run yet, if any. */
    public Optional<StepState> nextPendingStep() {
        return steps.stream().filter(s -> s.status() == WorkStatus.PENDING).findFirst();
    }

    /** What this target's steps captured so far, by step id (steps that captured nothing are left out). */
    public Map<String, Map<String, Object>> outputs() {
        Map<String, Map<String, Object>> byStep = new LinkedHashMap<>();
        steps.stream().filter(s -> !s.outputs().isEmpty()).forEach(s -> byStep.put(s.id(), s.outputs()));
        return byStep;
    }

    /** A plain loop: folding a run asks this of every target after every event, so a 200-target run asks it 600,000 times. */
    public boolean waitingApproval() {
        for (StepState step : steps) {
            if (step.status() == WorkStatus.WAITING_APPROVAL) {
                return true;
            }
        }
        return false;
    }

    TargetState withStatus(WorkStatus newStatus) {
        return new TargetState(name, newStatus, steps, newStatus == WorkStatus.PENDING && waiting, compensation,
                verdict, release);
    }

    TargetState markedWaiting() {
        return new TargetState(name, status, steps, true, compensation, verdict, release);
    }

    TargetState withCompensation(Compensation c) {
        return new TargetState(name, status, steps, waiting, c, verdict, release);
    }

    TargetState withVerdict(Verdict v) {
        return new TargetState(name, status, steps, waiting, compensation, v, release);
    }

    TargetState released(String why) {
        return new TargetState(name, status, steps, waiting, compensation, verdict, why);
    }

    TargetState withStep(String id, UnaryOperator<StepState> change) {
        List<StepState> changed = new ArrayList<>(steps.size());
        for (StepState s : steps) {
            changed.add(s.id().equals(id) ? change.apply(s) : s);
        }
        return new TargetState(name, status, changed, waiting, compensation, verdict, release);
    }

    TargetState withSteps(UnaryOperator<StepState> change) {
        return new TargetState(name, status, steps.stream().map(change).toList(), waiting, compensation, verdict,
                release);
    }
}
