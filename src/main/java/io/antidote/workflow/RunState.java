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
 */
public record RunState(UUID runId, RunStatus status, RunPlan plan, Map<String, Object> params, String ticket,
                       String requestedBy, Instant createdAt, Instant finishedAt, List<TargetState> targets,
                       long version) {

    public static final RunState NONE = new RunState(null, null, null, Map.of(), null, null, null, null, List.of(), 0);

    public RunState {
        targets = List.copyOf(targets);
    }

    public boolean exists() {
        return runId != null;
    }

    public Optional<TargetState> target(String name) {
        return targets.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    RunState withStatus(RunStatus newStatus, Instant finished) {
        return new RunState(runId, newStatus, plan, params, ticket, requestedBy, createdAt, finished, targets, version);
    }

    RunState withTarget(String name, UnaryOperator<TargetState> change) {
        List<TargetState> changed = new ArrayList<>(targets.size());
        for (TargetState t : targets) {
            changed.add(t.name().equals(name) ? change.apply(t) : t);
        }
        return new RunState(runId, status, plan, params, ticket, requestedBy, createdAt, finishedAt, changed, version);
    }

    RunState nextVersion() {
        return new RunState(runId, status, plan, params, ticket, requestedBy, createdAt, finishedAt, targets, version + 1);
    }
}
