package io.antidote.live;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/** {@code antidote.live.*}: the live streams of run events and of the run list (docs/api.md, "Live streams"). */
@ConfigMapping(prefix = "antidote.live")
public interface LiveConfig {

    /** A comment line is sent after this long without anything else, so proxies and clients see the stream alive. */
    @WithDefault("15s")
    @DurationMin(nanos = 0, inclusive = false, message = "must be longer than 0")
    Duration heartbeatInterval();

    /**
     * A subscriber that has had something waiting for it, and taken nothing, for this long is dropped: its
     * connection is closed, and it may come back with {@code Last-Event-ID}.
     */
    @WithDefault("30s")
    @DurationMin(nanos = 0, inclusive = false, message = "must be longer than 0")
    Duration stallLimit();

    /** Events (or run list changes) held for one subscriber beyond what its connection has taken. */
    @WithDefault("256")
    @Min(1)
    int buffer();

    /**
     * The socket send buffer of a streaming connection, in bytes: with {@code buffer}, what one subscriber
     * that stopped reading can hold of the server's memory. 0 leaves it to the operating system, which on a
     * fast link lets it grow to megabytes.
     */
    @WithDefault("65536")
    @Min(0)
    int socketSendBuffer();
}
