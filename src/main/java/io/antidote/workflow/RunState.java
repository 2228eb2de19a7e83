package io.antidote.workflow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * A run as its events describe it. {@link #NONE} is the state before the first event. Immutable: each
 * event gives a new state ({@link RunDecider#evolve}).
 *
 * @param retryOf the run this one goes on from ({@link RunEvent.RetryRequested}), or null for a run requested anew
 */
public record RunState(UUID runId, RunStatus status, RunPlan plan, Map<String, Object> params, String ticket,
                       String requestedBy, Instant createdAt, Instant finishedAt, List<TargetState> targets,
                       RunCommand.CancelMode cancel, long version, UUID retryOf) {

    public static final RunState NONE = new RunState(null, null, null, Map.of(), null, null, null, null, List.of(),
            null, 0, null);

    public RunState {
        targets = List.copyOf(targets);
    }

    public boolean exists() {
        return runId != null;
    }

    public Optional<TargetState> target(String name) {
        return targets.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * The step whose effect still holds the ended target's group (its DAG) for it: a {@code holdsGroup} step (the
     * maintenance) that succeeded and was neither compensated nor undone since by its own undo step (in its order,
     * or by a release). Empty while the target runs, or once nothing of the kind is left on the server.
     */
    public Optional<String> keptHold(String name) {
        Optional<TargetState> target = target(name);
        if (plan == null || target.isEmpty() || !target.get().status().finished()) {
            return Optional.empty();
        }
        List<StepState> steps = target.get().steps();
        for (int i = 0; i < steps.size(); i++) {
            StepState s = steps.get(i);
            RunPlan.PlannedStep p = plan.step(s.id());
            if (!p.holdsGroup() || s.status() != WorkStatus.SUCCEEDED) {
                continue;
            }
            int at = i;
            boolean undone = p.compensate() != null && target.get().step(p.compensate())
                    .map(u -> u.status() == WorkStatus.SUCCEEDED && plan.indexOf(p.compensate()) > at)
                    .orElse(false);
            if (!undone) {
                return Optional.of(s.id());
            }
        }
        return Optional.empty();
    }

    /** A cancel was asked for (the run may still be undoing steps). */
    public boolean cancelRequested() {
        return cancel != null;
    }

    /**
     * When the run next needs to be advanced though nothing else happens: a retry falls due, an approval or
     * a running attempt reaches its deadline (counted from when it began on a worker: none while it waits for one). Empty when only an outcome or a person can move it. The
     * engine keeps one timer at this instant, recomputed from the events after every append and on start.
     */
    public Optional<Instant> nextDueAt() {
        if (!exists() || status.terminal()) {
            return Optional.empty();
        }
        Instant next = null;
        for (TargetState t : targets) {
            for (StepState s : t.steps()) {
                Instant due = null;
                if (s.status() == WorkStatus.WAITING_APPROVAL || s.status() == WorkStatus.PENDING) {
                    due = s.dueAt();
                } else if (s.status() == WorkStatus.RUNNING) {
                    due = s.deadline(plan.step(s.id()).timeoutMillis()).orElse(null);
                }
                if (due != null && (next == null || due.isBefore(next))) {
                    next = due;
                }
            }
        }
        return Optional.ofNullable(next);
    }

    RunState cancelled(RunCommand.CancelMode mode) {
        return new RunState(runId, status, plan, params, ticket, requestedBy, createdAt, finishedAt, targets, mode,
                version, retryOf);
    }

    RunState withStatus(RunStatus newStatus, Instant finished) {
        return new RunState(runId, newStatus, plan, params, ticket, requestedBy, createdAt, finished, targets, cancel, version, retryOf);
    }

    RunState withTarget(String name, UnaryOperator<TargetState> change) {
        List<TargetState> changed = new ArrayList<>(targets.size());
        for (TargetState t : targets) {
            changed.add(t.name().equals(name) ? change.apply(t) : t);
        }
        return new RunState(runId, status, plan, params, ticket, requestedBy, createdAt, finishedAt, changed, cancel, version, retryOf);
    }

    RunState goingOnFrom(UUID source) {
        return new RunState(runId, status, plan, params, ticket, requestedBy, createdAt, finishedAt, targets, cancel,
                version, source);
    }

    RunState nextVersion() {
        return new RunState(runId, status, plan, params, ticket, requestedBy, createdAt, finishedAt, targets, cancel, version + 1, retryOf);
    }
}
