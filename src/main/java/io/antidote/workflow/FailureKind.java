package io.antidote.workflow;

/** Why an attempt could not run or finish; a step's retry policy names the kinds worth another attempt. */
public enum FailureKind {
    /** The target could not be reached or the connection broke. */
    CONNECTION,
    /** The attempt ran longer than the step's timeout. */
    TIMEOUT,
    /** Anything else: authentication, a WS-Management fault, a bug. Never retried. */
    FAULT,
    /** The attempt was interrupted because the run was cancelled. */
    CANCELLED
}
