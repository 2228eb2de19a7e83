package io.antidote.workflow;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** What someone (a user or the engine) asks of a run. {@link RunDecider#decide} answers with events. */
public sealed interface RunCommand {

    Instant at();

    /** Open a new run. */
    record RequestRun(UUID runId, RunPlan plan, Map<String, Object> params, String ticket, String idempotencyKey,
                      String actor, Instant at) implements RunCommand {
    }

    /** Move the run on as far as it can go without waiting for a step: start targets and steps, finish it. */
    record Advance(Instant at) implements RunCommand {
    }

    /** Record how one attempt of a step ended. */
    record RecordOutcome(String target, String step, int attempt, StepOutcome outcome, Instant at)
            implements RunCommand {
    }
}
