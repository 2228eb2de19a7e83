package io.antidote.workflow;

import java.time.Instant;

/** One step on one target, as far as the events tell. */
public record StepState(String id, WorkStatus status, int attempts, Integer exitCode, Instant startedAt,
                        Instant finishedAt) {

    static StepState pending(String id) {
        return new StepState(id, WorkStatus.PENDING, 0, null, null, null);
    }

    StepState started(int attempt, Instant at) {
        return new StepState(id, WorkStatus.RUNNING, attempt, null, at, null);
    }

    StepState finished(WorkStatus outcome, Integer code, Instant at) {
        return new StepState(id, outcome, attempts, code, startedAt, at);
    }
}
