package io.antidote.messaging;

/** Channel names shared by code, configuration and tests. */
public final class Channels {

    /**
     * Every committed run event and checkpoint, in commit order, as CloudEvents: bound to RabbitMQ (the
     * topic exchange {@code antidote.runs}) in application.properties; docs/messaging.md.
     */
    public static final String RUN_EVENTS = "run-events";

    private Channels() {
    }
}
