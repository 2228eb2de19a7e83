package io.antidote.workflow;

/** Where a run stands. Terminal: SUCCEEDED, FAILED, CANCELLED. */
public enum RunStatus {
    PENDING, RUNNING, WAITING_APPROVAL, SUCCEEDED, FAILED, CANCELLED;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
