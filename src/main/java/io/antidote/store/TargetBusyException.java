package io.antidote.store;

import java.util.UUID;

/**
 * Another run holds the target this run's append wanted to start ({@code target_lease}). Nothing of
 * the append was written: decide again with the target busy, so that the run waits for it.
 */
public class TargetBusyException extends RuntimeException {

    private final String target;

    public TargetBusyException(UUID runId, String target) {
        super("run " + runId + " cannot start '" + target + "': another run holds it");
        this.target = target;
    }

    public String target() {
        return target;
    }
}
