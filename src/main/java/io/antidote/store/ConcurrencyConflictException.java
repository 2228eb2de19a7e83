package io.antidote.store;

import java.util.UUID;

/**
 * Another writer appended to the run's stream after the caller read it: the caller's decision was
 * taken on a stale history. Reload the stream, decide again, and append after the new version.
 *
 * <p>Nothing of the failed batch was written.
 */
public class ConcurrencyConflictException extends RuntimeException {

    private final UUID runId;
    private final long expectedVersion;

    public ConcurrencyConflictException(UUID runId, long expectedVersion, Throwable cause) {
        super("run " + runId + " is no longer at version " + expectedVersion
                + ": another writer appended first; reload and retry", cause);
        this.runId = runId;
        this.expectedVersion = expectedVersion;
    }

    public ConcurrencyConflictException(UUID runId, long expectedVersion, long actualVersion) {
        super("run " + runId + " is at version " + actualVersion + ", not at the expected version "
                + expectedVersion + "; reload and retry");
        this.runId = runId;
        this.expectedVersion = expectedVersion;
    }

    public UUID runId() {
        return runId;
    }

    public long expectedVersion() {
        return expectedVersion;
    }
}
