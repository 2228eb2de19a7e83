package io.antidote.messaging;

/** Channel names shared by code and tests. */
public final class Channels {

    /** Every committed run event, in commit order, as {@link RunEventMessage}. */
    public static final String RUN_EVENTS = "run-events";

    private Channels() {
    }
}
