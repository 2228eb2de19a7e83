package io.antidote.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/** {@code antidote.outbox.*}: how the relay polls the event table (docs/messaging.md). */
@ConfigMapping(prefix = "antidote.outbox")
public interface OutboxConfig {

    /** Milliseconds between polls. */
    @WithDefault("250")
    @Min(1)
    long interval();

    /** Events read and published per transaction. */
    @WithDefault("500")
    @Min(1)
    int batchSize();

    /** How long a batch may wait for the broker's acknowledgement before it is read again. */
    @WithDefault("10s")
    @DurationMin(nanos = 0, inclusive = false, message = "must be longer than 0")
    Duration publishTimeout();
}
