package io.antidote.workflow;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One step on one target, as far as the events tell.
 *
 * @param dueAt    PENDING after a failed attempt: when the next attempt may start; WAITING_APPROVAL: when
 *                 the approval times out (null: never)
 * @param approved someone approved the step, so its attempts (retries too) need no further approval
 * @param outputs  what the step captured for later steps when it succeeded (empty before)
 * @param crashReruns    attempts started again because an outcome was lost; they do not count against retries
 * @param outcomeUnknown RUNNING: the attempt's outcome is unknown and its marker is being probed
 * @param rerunPending   PENDING: the next attempt runs the step again after a lost outcome (a crash re-run)
 * @param beganAt        RUNNING: when the attempt began on a worker (StepBegan); null while it waits for one
 */
public record StepState(String id, WorkStatus status, int attempts, Integer exitCode, Instant startedAt,
                        Instant finishedAt, Instant dueAt, boolean approved, Map<String, Object> outputs,
                        int crashReruns, boolean outcomeUnknown, boolean rerunPending, Instant beganAt) {

    public StepState {
        outputs = Values.copy(outputs);
    }

    /** Before the attempt began on a worker (or after it ended: only a running attempt's beginning matters). */
    public StepState(String id, WorkStatus status, int attempts, Integer exitCode, Instant startedAt,
                     Instant finishedAt, Instant dueAt, boolean approved, Map<String, Object> outputs,
                     int crashReruns, boolean outcomeUnknown, boolean rerunPending) {
        this(id, status, attempts, exitCode, startedAt, finishedAt, dueAt, approved, outputs, crashReruns,
                outcomeUnknown, rerunPending, null);
    }

    /**
     * RUNNING: when the attempt must end, its timeout counted from when it began on a worker; empty while it
     * waits for one, while its marker is probed after a lost outcome, or when it has no timeout.
     */
    public Optional<Instant> deadline(long timeoutMillis) {
        return status != WorkStatus.RUNNING || outcomeUnknown || beganAt == null || timeoutMillis <= 0
                ? Optional.empty() : Optional.of(beganAt.plusMillis(timeoutMillis));
    }

    StepState began(Instant at) {
        return new StepState(id, status, attempts, exitCode, startedAt, finishedAt, dueAt, approved, outputs,
                crashReruns, outcomeUnknown, rerunPending, at);
    }

    static StepState pending(String id) {
        return new StepState(id, WorkStatus.PENDING, 0, null, null, null, null, false, Map.of(), 0, false, false);
    }

    /** Attempts counted against the step's retry policy: those not started again after a lost outcome. */
    public int retryAttempts() {
        return attempts - crashReruns;
    }

    StepState withOutputs(Map<String, Object> captured) {
        return new StepState(id, status, attempts, exitCode, startedAt, finishedAt, dueAt, approved, captured,
                crashReruns, false, false);
    }

    StepState started(int attempt, Instant at) {
        return new StepState(id, WorkStatus.RUNNING, attempt, null, at, null, null, approved, outputs,
                crashReruns + (rerunPending ? 1 : 0), false, false);
    }

    StepState markedOutcomeUnknown() {
        return new StepState(id, status, attempts, exitCode, startedAt, finishedAt, dueAt, approved, outputs,
                crashReruns, true, false);
    }

    /** Closed after a lost outcome, to run again as a new attempt. */
    StepState rerunAfterLoss(Instant at) {
        return new StepState(id, WorkStatus.PENDING, attempts, null, startedAt, at, null, approved, outputs,
                crashReruns, false, true);
    }

    StepState finished(WorkStatus outcome, Integer code, Instant at) {
        return new StepState(id, outcome, attempts, code, startedAt, at, null, approved, outputs, crashReruns, false, false);
    }

    StepState pendingUntil(Instant due) {
        return new StepState(id, WorkStatus.PENDING, attempts, exitCode, startedAt, finishedAt, due, approved, outputs,
                crashReruns, false, false);
    }

    StepState waitingApproval(Instant due) {
        return new StepState(id, WorkStatus.WAITING_APPROVAL, attempts, exitCode, startedAt, finishedAt, due, approved,
                outputs, crashReruns, false, false);
    }

    StepState approve() {
        return new StepState(id, WorkStatus.PENDING, attempts, exitCode, startedAt, finishedAt, null, true, outputs,
                crashReruns, false, false);
    }
}
