package io.antidote.workflow;

import java.time.Instant;
import java.util.Map;

/**
 * One step on one target, as far as the events tell.
 *
 * @param dueAt    PENDING after a failed attempt: when the next attempt may start; WAITING_APPROVAL: when
 *                 the approval times out (null: never)
 * @param approved someone approved the step, so its attempts (retries too) need no further approval
 * @param outputs  what the step captured for later steps when it succeeded (empty before)
 */
public record StepState(String id, WorkStatus status, int attempts, Integer exitCode, Instant startedAt,
                        Instant finishedAt, Instant dueAt, boolean approved, Map<String, Object> outputs) {

    public StepState {
        outputs = Values.copy(outputs);
    }

    static StepState pending(String id) {
        return new StepState(id, WorkStatus.PENDING, 0, null, null, null, null, false, Map.of());
    }

    StepState withOutputs(Map<String, Object> captured) {
        return new StepState(id, status, attempts, exitCode, startedAt, finishedAt, dueAt, approved, captured);
    }

    StepState started(int attempt, Instant at) {
        return new StepState(id, WorkStatus.RUNNING, attempt, null, at, null, null, approved, outputs);
    }

    StepState finished(WorkStatus outcome, Integer code, Instant at) {
        return new StepState(id, outcome, attempts, code, startedAt, at, null, approved, outputs);
    }

    StepState pendingUntil(Instant due) {
        return new StepState(id, WorkStatus.PENDING, attempts, exitCode, startedAt, finishedAt, due, approved, outputs);
    }

    StepState waitingApproval(Instant due) {
        return new StepState(id, WorkStatus.WAITING_APPROVAL, attempts, exitCode, startedAt, finishedAt, due, approved, outputs);
    }

    StepState approve() {
        return new StepState(id, WorkStatus.PENDING, attempts, exitCode, startedAt, finishedAt, null, true, outputs);
    }
}
