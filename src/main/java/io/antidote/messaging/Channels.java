package io.antidote.messaging;

/** Channel names shared by code, configuration and tests. */
public final class Channels {

    /**
     * Every committed run event and checkpoint, in commit order, as CloudEvents: bound to RabbitMQ (the
     * topic exchange {@code antidote.runs}) in application.properties; docs/messaging.md.
     */
    public static final String RUN_EVENTS = "run-events";

    /**
     * Alerts in, from an EDR or SIEM (docs/alerts.md): bound to the RabbitMQ queue {@code antidote.alerts}, whose
     * poison messages go to the dead-letter queue {@code antidote.alerts.dlq}.
     */
    public static final String ALERTS = "alerts";

    private Channels() {
    }
}
