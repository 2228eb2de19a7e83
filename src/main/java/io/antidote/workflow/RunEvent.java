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
    /**
     * Something to do with each kind of event. Every fold over events implements this, so a new event is a
     * compile error at every place that must decide what it means, where a chain of instanceof tests would
     * fall through silently (Java 17 has no exhaustive pattern switch).
     */
    interface Visitor<R> {
        R runRequested(RunRequested event);

        R runStarted(RunStarted event);

        R targetStarted(TargetStarted event);

        R stepStarted(StepStarted event);

        R stepBegan(StepBegan event);

        R stepSucceeded(StepSucceeded event);

        R stepSkipped(StepSkipped event);

        R stepFailed(StepFailed event);

        R stepTimedOut(StepTimedOut event);

        R stepInterrupted(StepInterrupted event);

        R stepOutcomeUnknown(StepOutcomeUnknown event);

        R stepOutcomeFound(StepOutcomeFound event);

        R stepRetryScheduled(StepRetryScheduled event);

        R approvalRequested(ApprovalRequested event);

        R approvalGranted(ApprovalGranted event);

        R approvalRejected(ApprovalRejected event);

        R approvalTimedOut(ApprovalTimedOut event);

        R compensationStarted(CompensationStarted event);

        R stepCompensated(StepCompensated event);

        R compensationFailed(CompensationFailed event);

        R targetWaiting(TargetWaiting event);

        R targetVerdictRecorded(TargetVerdictRecorded event);

        R targetReleased(TargetReleased event);

        R targetCancelled(TargetCancelled event);

        R cancelRequested(CancelRequested event);

        R runCancelled(RunCancelled event);

        R targetSucceeded(TargetSucceeded event);

        R targetFailed(TargetFailed event);

        R targetSkipped(TargetSkipped event);

        R runSucceeded(RunSucceeded event);

        R runFailed(RunFailed event);

        R retryRequested(RetryRequested event);

        R stepCarriedOver(StepCarriedOver event);

        R stepSkippedByPerson(StepSkippedByPerson event);
    }

    /** Calls the visitor's method for this kind of event. */
    <R> R accept(Visitor<R> visitor);


    /** The actor of events that Antidote decides by itself. */
    String SYSTEM = "antidote";

    String actor();

    Instant at();

    /** Events that concern one target of the run. */
    sealed interface OfTarget extends RunEvent {
        String target();
    }

    /** Events that concern one step on one target (stored with the step in its own column, for queries). */
    sealed interface AtStep extends OfTarget {
        String step();
    }

    /** Events that concern one attempt of one step on one target. */
    sealed interface OfStep extends AtStep {
        int attempt();
    }

    // The three markers below are the only record of which events end what: the engine takes and lets go
    // targets by them, recovery looks for runs without an EndsRun, and the stored names the store and
    // the migrations query by are read off them (RunEventTypes).

    /** The attempt a {@link StepStarted} began is over: the step no longer runs on its target. */
    sealed interface EndsStep extends OfStep {
    }

    /** The run is done with the target: it no longer holds it, and no step of the run starts on it again. */
    sealed interface EndsTarget extends OfTarget {
    }

    /** The run is over: every target ended, and nothing more is decided for it. */
    sealed interface EndsRun extends RunEvent {
    }

    /** A run was asked for: the plan it will follow, fixed from now on, and who asked. */
    record RunRequested(UUID runId, RunPlan plan, Map<String, Object> params, String ticket,
                        String idempotencyKey, String actor, Instant at) implements RunEvent {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.runRequested(this);
        }
    }

    /**
     * This run goes on from run {@code retryOf}, which ended FAILED or CANCELLED, for its {@code targets} that did
     * not succeed. Follows the {@link RunRequested} that holds the same plan; the source run is left as it was.
     */
    record RetryRequested(UUID retryOf, List<String> targets, String actor, Instant at) implements RunEvent {
        public RetryRequested {
            targets = List.copyOf(targets);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.retryRequested(this);
        }
    }

    /**
     * A step that ended in the run this one goes on from, before the step its target resumes at, taken over as it
     * ended there: {@code status} SUCCEEDED (with its exit code and the outputs later steps use) or SKIPPED. It
     * does not run again. {@code fromRun} and {@code fromSeq} name the event that recorded it there (a
     * {@code StepSucceeded}, {@code StepSkipped}, or a carry-over of an earlier retry), so the history of this run
     * stands alone and still says where each fact was established.
     */
    record StepCarriedOver(String target, String step, WorkStatus status, Integer exitCode,
                           Map<String, Object> outputs, UUID fromRun, long fromSeq, String actor, Instant at)
            implements AtStep {
        public StepCarriedOver {
            outputs = Values.copy(outputs);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.stepCarriedOver(this);
        }
    }

    /**
     * A person skipped the step on this target, on their word: {@code reason} is theirs, {@code actor} who they
     * are. The step does not run and the target goes on; nothing it would have established counts for the verdict.
     */
    record StepSkippedByPerson(String target, String step, String reason, String actor, Instant at)
            implements AtStep {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.stepSkippedByPerson(this);
        }
    }

    /** The run began work on its first target. */
    record RunStarted(String actor, Instant at) implements RunEvent {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.runStarted(this);
        }
    }

    /** Work began on one target. */
    record TargetStarted(String target, String actor, Instant at) implements OfTarget {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.targetStarted(this);
        }
    }

    /**
     * One attempt of a step was handed to the transport; its outcome follows as succeeded or failed.
     * {@code compensates} names the step this run of it undoes, or is null for a step in its normal order.
     * {@code crashRerun} counts, from 1, the times the step runs again because an outcome was lost (a crash,
     * an adoption, a reply that never came); null for an attempt started for any other reason. Those re-runs
     * are capped apart from the step's retries.
     */
    record StepStarted(String target, String step, int attempt, String compensates, Integer crashRerun,
                       String actor, Instant at) implements OfStep {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.stepStarted(this);
        }

        public StepStarted(String target, String step, int attempt, String compensates, String actor, Instant at) {
            this(target, step, attempt, compensates, null, actor, at);
        }

        public StepStarted(String target, String step, int attempt, String actor, Instant at) {
            this(target, step, attempt, null, null, actor, at);
        }
    }

    /**
     * The attempt a {@link StepStarted} queued began on a worker, which held its connection slots: its timeout
     * counts from here. Time spent waiting for a worker or a slot is not the step's. Not recorded for an attempt
     * that ended before the engine could note its beginning.
     */
    record StepBegan(String target, String step, int attempt, String actor, Instant at) implements OfStep {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.stepBegan(this);
        }
    }

    /**
     * The step ran and its outcome met the playbook's expectations. {@code outputs} are the values it
     * captured for later steps (output name to value, secrets masked), recorded here so that a run resumed
     * after a restart renders later steps with the same values.
     */
    record StepSucceeded(String target, String step, int attempt, int exitCode, String stdout, String stderr,
                         Map<String, Object> outputs, String actor, Instant at) implements EndsStep {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.stepSucceeded(this);
        }

        public StepSucceeded {
            // Events recorded before outputs existed have none; null values are outputs not captured.
            outputs = Values.copy(outputs);
        }

        public StepSucceeded(String target, String step, int attempt, int exitCode, String stdout, String stderr,
                             String actor, Instant at) {
            this(target, step, attempt, exitCode, stdout, stderr, Map.of(), actor, at);
        }
    }

    /**
     * The step's {@code when} condition was false on this target, so it did not run and the target went
     * on to its next step. {@code values} are what the condition looked at, by the names {@code condition}
     * uses (never a secret: conditions on secret parameters are refused, and outputs are masked).
     */
    record StepSkipped(String target, String step, String condition, Map<String, Object> values, String actor,
                       Instant at) implements AtStep {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.stepSkipped(this);
        }

        public StepSkipped {
            values = Values.copy(values);
        }
    }

    /**
     * The step did not succeed: it ran and missed its expectations ({@code exitCode} set), or it could
     * not run or finish at all ({@code exitCode} null, e.g. connection refused or timed out).
     */
    record StepFailed(String target, String step, int attempt, Integer exitCode, List<String> reasons,
                      String stdout, String stderr, String actor, Instant at) implements EndsStep {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.stepFailed(this);
        }
    }

    /** The attempt ran past the step's timeout; its outcome, if it ever comes, is not recorded. */
    record StepTimedOut(String target, String step, int attempt, String reason, String actor, Instant at)
            implements EndsStep {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.stepTimedOut(this);
        }
    }

    /**
     * The attempt's outcome was lost (the service stopped while it ran, or its marker said it did not finish)
     * and will never be recorded. {@code runsAgain}: the step runs again as a new attempt (a crash re-run);
     * false: it does not, and its target fails with the reason. Null in events recorded before it existed,
     * when the step's idempotence decided.
     */
    record StepInterrupted(String target, String step, int attempt, String reason, Boolean runsAgain, String actor,
                           Instant at) implements EndsStep {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.stepInterrupted(this);
        }
    }

    /**
     * The command of a step that changes the server was sent, and its outcome is not known: the service stopped
     * while it ran, or no reply came. Not a failure: the engine probes the marker the script leaves on the host,
     * and {@link StepOutcomeFound} follows. The attempt is still open meanwhile (no deadline judges it).
     */
    record StepOutcomeUnknown(String target, String step, int attempt, String reason, String actor, Instant at)
            implements OfStep {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.stepOutcomeUnknown(this);
        }
    }

    /**
     * What the probe of an attempt's marker found ({@code detail} in words); what the run makes of it follows:
     * the outcome the marker recorded ({@link StepSucceeded} or {@link StepFailed}), or {@link StepInterrupted}.
     */
    record StepOutcomeFound(String target, String step, int attempt, HostMarker marker, String detail, String actor,
                            Instant at) implements OfStep {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.stepOutcomeFound(this);
        }
    }

    /** The attempt failed in a way the step's retry policy covers: {@code attempt} starts at {@code dueAt}. */
    record StepRetryScheduled(String target, String step, int attempt, Instant dueAt, String reason, String actor,
                              Instant at) implements OfStep {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.stepRetryScheduled(this);
        }
    }

    /** The next step of the target waits for someone in {@code role} to approve it, until {@code dueAt} if set. */
    record ApprovalRequested(String target, String step, String role, Instant dueAt, String actor, Instant at)
            implements AtStep {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.approvalRequested(this);
        }
    }

    /** The actor approved the step; it starts now. */
    record ApprovalGranted(String target, String step, String comment, String actor, Instant at)
            implements AtStep {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.approvalGranted(this);
        }
    }

    /** The actor rejected the step; the target fails without running it. */
    record ApprovalRejected(String target, String step, String comment, String actor, Instant at)
            implements AtStep {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.approvalRejected(this);
        }
    }

    /** Nobody decided before the approval's deadline; the target fails without running the step. */
    record ApprovalTimedOut(String target, String step, String actor, Instant at) implements AtStep {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.approvalTimedOut(this);
        }
    }

    /**
     * The target failed at {@code failedStep} (or was cancelled): {@code steps} are undone, in this order,
     * before the target ends.
     */
    record CompensationStarted(String target, String failedStep, String reason, boolean cancelled,
                               List<String> steps, String actor, Instant at) implements OfTarget {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.compensationStarted(this);
        }
    }

    /** The effect of {@code step} was undone by running {@code by}. */
    record StepCompensated(String target, String step, String by, String actor, Instant at) implements AtStep {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.stepCompensated(this);
        }
    }

    /** {@code by} failed, so the effect of {@code step} is still in place; the other undo steps still run. */
    record CompensationFailed(String target, String step, String by, String reason, String actor, Instant at)
            implements AtStep {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.compensationFailed(this);
        }
    }

    /** The target is held by another run; it starts once that run lets it go. */
    record TargetWaiting(String target, String reason, String actor, Instant at) implements OfTarget {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.targetWaiting(this);
        }
    }

    /**
     * What the run found the server to be when it was done with it (recorded just before the event that ends
     * the target), and again after a person released it: see {@link Verdict}.
     */
    record TargetVerdictRecorded(String target, Verdict verdict, String actor, Instant at) implements OfTarget {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.targetVerdictRecorded(this);
        }
    }

    /**
     * Someone returned a server the run left isolated to service, on their word and not on the run's
     * evidence: {@code reason} is theirs. The restore step runs next; the verdict after it says how it went.
     */
    record TargetReleased(String target, String step, String reason, String actor, Instant at) implements AtStep {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.targetReleased(this);
        }
    }

    /** The target was stopped by a cancel, after its undo steps ran. */
    record TargetCancelled(String target, String reason, String actor, Instant at) implements EndsTarget {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.targetCancelled(this);
        }
    }

    /** Someone asked the run to stop: no new step starts; the running one finishes or is interrupted. */
    record CancelRequested(RunCommand.CancelMode mode, String actor, Instant at) implements RunEvent {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.cancelRequested(this);
        }
    }

    /** The run stopped after a cancel; every target ended. */
    record RunCancelled(String reason, String actor, Instant at) implements EndsRun {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.runCancelled(this);
        }
    }

    /** Every step of the target succeeded. */
    record TargetSucceeded(String target, String actor, Instant at) implements EndsTarget {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.targetSucceeded(this);
        }
    }

    /** The target stopped at a failed step; later steps never ran on it. */
    record TargetFailed(String target, String step, String reason, String actor, Instant at)
            implements AtStep, EndsTarget {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.targetFailed(this);
        }
    }

    /** The target was never started because the rollout stopped before reaching it. */
    record TargetSkipped(String target, String reason, String actor, Instant at) implements EndsTarget {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.targetSkipped(this);
        }
    }

    /** Every target succeeded. */
    record RunSucceeded(String actor, Instant at) implements EndsRun {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.runSucceeded(this);
        }
    }

    /** At least one target failed; the rollout stopped there. */
    record RunFailed(String reason, String actor, Instant at) implements EndsRun {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.runFailed(this);
        }
    }
}
