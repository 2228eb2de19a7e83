package io.antidote.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** One target of a run and its steps, in playbook order. */
public record TargetState(String name, WorkStatus status, List<StepState> steps) {

    public TargetState {
        steps = List.copyOf(steps);
    }

    static TargetState pending(String name, RunPlan plan) {
        return new TargetState(name, WorkStatus.PENDING,
                plan.steps().stream().map(s -> StepState.pending(s.id())).toList());
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

    TargetState withStatus(WorkStatus newStatus) {
        return new TargetState(name, newStatus, steps);
    }

    TargetState withStep(String id, UnaryOperator<StepState> change) {
        List<StepState> changed = new ArrayList<>(steps.size());
        for (StepState s : steps) {
            changed.add(s.id().equals(id) ? change.apply(s) : s);
        }
        return new TargetState(name, status, changed);
    }
}
