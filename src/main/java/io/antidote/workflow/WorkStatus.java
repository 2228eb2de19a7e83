package io.antidote.workflow;

/** Where a target or a step stands: the run's words plus SKIPPED and COMPENSATED. */
public enum WorkStatus {
    PENDING, RUNNING, WAITING_APPROVAL, SUCCEEDED, FAILED, SKIPPED, COMPENSATED, CANCELLED;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == SKIPPED || this == COMPENSATED || this == CANCELLED;
    }
}
