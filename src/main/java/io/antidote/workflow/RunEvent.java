package io.antidote.workflow;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What happened to a run, in the order it happened. Events are facts: once recorded they are never
 * changed, and the run's state is nothing but their fold ({@link RunDecider#evolve}).
 *
 * <p>Each event carries who caused it ({@code actor}: the requesting user or system, or
 * {@link #SYSTEM} for the engine's own decisions) and when ({@code at}, given by the command, never
 * read from a clock here).
 */
public sealed interface RunEvent {

    /** The actor of events that Antidote decides by itself. */
    String SYSTEM = "antidote";

    String actor();

    Instant at();

    /** Events that concern one target of the run. */
    sealed interface OfTarget extends RunEvent {
        String target();
    }

    /** Events that concern one attempt of one step on one target. */
    sealed interface OfStep extends OfTarget {
        String step();

        int attempt();
    }

    /** A run was asked for: the plan it will follow, fixed from now on, and who asked. */
    record RunRequested(UUID runId, RunPlan plan, Map<String, Object> params, String ticket,
                        String idempotencyKey, String actor, Instant at) implements RunEvent {
    }

    /** The run began work on its first target. */
    record RunStarted(String actor, Instant at) implements RunEvent {
    }

    /** Work began on one target. */
    record TargetStarted(String target, String actor, Instant at) implements OfTarget {
    }

    /** One attempt of a step was handed to the transport; its outcome follows as succeeded or failed. */
    record StepStarted(String target, String step, int attempt, String actor, Instant at) implements OfStep {
    }

    /** The step ran and its outcome met the playbook's expectations. */
    record StepSucceeded(String target, String step, int attempt, int exitCode, String stdout, String stderr,
                         String actor, Instant at) implements OfStep {
    }

    /**
     * The step did not succeed: it ran and missed its expectations ({@code exitCode} set), or it could
     * not run or finish at all ({@code exitCode} null, e.g. connection refused or timed out).
     */
    record StepFailed(String target, String step, int attempt, Integer exitCode, List<String> reasons,
                      String stdout, String stderr, String actor, Instant at) implements OfStep {
    }

    /** Every step of the target succeeded. */
    record TargetSucceeded(String target, String actor, Instant at) implements OfTarget {
    }

    /** The target stopped at a failed step; later steps never ran on it. */
    record TargetFailed(String target, String step, String reason, String actor, Instant at) implements OfTarget {
    }

    /** The target was never started because the rollout stopped before reaching it. */
    record TargetSkipped(String target, String reason, String actor, Instant at) implements OfTarget {
    }

    /** Every target succeeded. */
    record RunSucceeded(String actor, Instant at) implements RunEvent {
    }

    /** At least one target failed; the rollout stopped there. */
    record RunFailed(String reason, String actor, Instant at) implements RunEvent {
    }
}
