package io.antidote.playbook;

import java.time.Duration;
import java.util.Set;

/**
 * How a step is retried, approved and undone (docs/playbooks.md, "Step policies"). {@link #DEFAULT}: one
 * attempt, no approval, nothing undoes it, not idempotent.
 *
 * @param compensate       id of the step that undoes this one when its target fails or is cancelled, or null
 * @param keepOnFailure    leave this step's effect in place when the target fails (it is still undone on cancel)
 * @param compensationOnly the step runs only to undo another, never in the normal order
 * @param idempotent       running it again does no harm, so an attempt whose outcome was lost is run again
 * @param readOnly         the step only reads the server: it runs again after a lost outcome, and its script is
 *                         not wrapped in the marker that steps changing the server leave on their host
 */
public record StepPolicy(Retry retry, Approval approval, String compensate, boolean keepOnFailure,
                         boolean compensationOnly, boolean idempotent, boolean readOnly) {

    public static final StepPolicy DEFAULT = new StepPolicy(Retry.NONE, null, null, false, false, false, false);

    public StepPolicy {
        retry = retry == null ? Retry.NONE : retry;
    }

    public StepPolicy(Retry retry, Approval approval, String compensate, boolean keepOnFailure,
                      boolean compensationOnly, boolean idempotent) {
        this(retry, approval, compensate, keepOnFailure, compensationOnly, idempotent, false);
    }

    /**
     * @param on        failure kinds retried: {@code connection}, {@code timeout}
     * @param exitCodes exit codes retried (the script ran and answered one of these)
     */
    public record Retry(int attempts, boolean exponential, Duration delay, Duration maxDelay, Set<String> on,
                        Set<Integer> exitCodes) {

        public static final Retry NONE = new Retry(1, false, Duration.ZERO, Duration.ZERO, Set.of(), Set.of());

        public Retry {
            on = Set.copyOf(on);
            exitCodes = Set.copyOf(exitCodes);
        }
    }

    /** @param timeout null: wait for ever */
    public record Approval(String role, Duration timeout, boolean requesterMayApprove) {
    }
}
