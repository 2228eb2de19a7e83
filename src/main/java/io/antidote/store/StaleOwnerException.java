package io.antidote.store;

import java.util.UUID;

/**
 * The database refused an append because this replica no longer owns the run: another replica adopted it
 * (its fencing token is newer), or the run was never this replica's. Nothing of the append was written.
 * Deciding again does not help: the replica lets the run go, and the owner carries it on.
 */
public class StaleOwnerException extends RuntimeException {

    private final UUID runId;

    public StaleOwnerException(UUID runId, Throwable cause) {
        super("run " + runId + " is owned by another replica; this one may no longer append to it: "
                + (cause == null ? "" : cause.getMessage()), cause);
        this.runId = runId;
    }

    public UUID runId() {
        return runId;
    }
}
