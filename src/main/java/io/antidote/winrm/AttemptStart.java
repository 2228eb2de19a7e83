package io.antidote.winrm;

/**
 * The moment an attempt really begins: the transport holds its connection slots and is about to send the
 * script. A step's timeout counts from here, so that time spent waiting for a worker or a slot never counts
 * against it; the caller starts its clock in {@link #begin()}.
 */
public interface AttemptStart {

    /** An attempt nobody waits for: it begins whenever the transport is ready. */
    AttemptStart NOW = new AttemptStart() {
        @Override
        public boolean begin() {
            return true;
        }

        @Override
        public boolean givenUp() {
            return false;
        }
    };

    /**
     * Called once, when the script is about to be sent. False: the attempt was given up while it waited (its
     * outcome is decided already), and nothing may reach the host.
     */
    boolean begin();

    /** Whether the attempt was given up while it waits for a slot: the transport then stops waiting. */
    boolean givenUp();
}
