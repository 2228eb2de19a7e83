package io.antidote.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/** {@code antidote.webhooks.*}: how deliveries are sent and retried (docs/webhooks.md). */
@ConfigMapping(prefix = "antidote.webhooks")
public interface WebhookConfig {

    /** Time between two looks for new events and for due deliveries. */
    @WithDefault("500ms")
    @DurationMin(millis = 1, message = "must be at least 1ms")
    Duration interval();

    /** Events read per outbox transaction, and deliveries claimed per look. */
    @WithDefault("50")
    @Min(1)
    int batchSize();

    /** How long an attempt may take to connect and to get the receiver's answer. */
    @WithDefault("10s")
    @DurationMin(nanos = 0, inclusive = false, message = "must be longer than 0")
    Duration requestTimeout();

    /** The wait after the first failed attempt; it doubles after each further failure. */
    @WithDefault("5s")
    @DurationMin(nanos = 0, inclusive = false, message = "must be longer than 0")
    Duration initialBackoff();

    /** The longest wait between two attempts. */
    @WithDefault("1h")
    @DurationMin(nanos = 0, inclusive = false, message = "must be longer than 0")
    Duration maxBackoff();

    /** How long after its creation (or its last replay) a delivery is tried before it is dead. */
    @WithDefault("24h")
    @DurationMin(nanos = 0, inclusive = false, message = "must be longer than 0")
    Duration retryWindow();

    /** The service's address as receivers reach it: payload links are this plus {@code /api/v1/runs/{id}}. */
    @WithDefault("http://localhost:8080")
    String linkBaseUrl();
}
