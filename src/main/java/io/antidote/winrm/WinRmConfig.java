package io.antidote.winrm;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;
import java.util.Optional;

/** {@code antidote.winrm.*}: see {@link WinRmSettings} and docs/winrm.md. */
@ConfigMapping(prefix = "antidote.winrm")
public interface WinRmConfig {

    /** TCP connect. */
    @WithDefault("10s")
    @DurationMin(nanos = 0, inclusive = false, message = "must be longer than 0")
    Duration connectTimeout();

    /** How long a host may hold one WS-Management Receive. */
    @WithDefault("20s")
    @DurationMin(nanos = 0, inclusive = false, message = "must be longer than 0")
    Duration operationTimeout();

    /** How long one HTTP exchange may wait; longer than the operation timeout. */
    @WithDefault("40s")
    @DurationMin(nanos = 0, inclusive = false, message = "must be longer than 0")
    Duration replyTimeout();

    /** A step's deadline when its caller gives none. */
    @WithDefault("30m")
    @DurationMin(nanos = 0, inclusive = false, message = "must be longer than 0")
    Duration defaultStepTimeout();

    /** Per stream; more is dropped and marked. */
    @WithDefault("1048576")
    @Min(1)
    int maxOutputChars();

    /** Sessions in flight across the fleet. */
    @WithDefault("32")
    @Min(1)
    int maxSessions();

    /** Sessions in flight to one target. */
    @WithDefault("2")
    @Min(1)
    int maxSessionsPerHost();

    /** A kept session unused this long is closed. */
    @WithDefault("60s")
    @DurationMin(nanos = 0, message = "must not be negative")
    Duration sessionIdleClose();

    /** PKCS#12 (or JKS by a {@code .jks} name) of CAs trusted beside the JVM's. */
    Optional<String> trustStore();

    /** Its password. */
    Optional<String> trustStorePassword();

    Breaker breaker();

    interface Breaker {
        /** Consecutive failures to start a command on a target that open its circuit. */
        @WithDefault("3")
        @Min(1)
        int failureThreshold();

        /** How long calls to it then fail fast. */
        @WithDefault("60s")
        @DurationMin(nanos = 0, inclusive = false, message = "must be longer than 0")
        Duration openFor();
    }
}
