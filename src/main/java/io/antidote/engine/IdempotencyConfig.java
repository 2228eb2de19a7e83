package io.antidote.engine;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.hibernate.validator.constraints.time.DurationMin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** {@code antidote.idempotency.*}: how long an {@code Idempotency-Key} answers with its run (docs/api.md). */
@ConfigMapping(prefix = "antidote.idempotency")
public interface IdempotencyConfig {

    /** How long a key answers with its run. */
    @WithDefault("7d")
    @DurationMin(nanos = 0, inclusive = false, message = "must be longer than 0")
    Duration keepFor();

    /** How often expired keys are removed ({@code IdempotencyKeys}' schedule reads it). */
    @WithDefault("1h")
    @DurationMin(nanos = 0, inclusive = false, message = "must be longer than 0")
    Duration sweepInterval();

    /** The HMAC key, the same on every replica, under which secret parameters enter a stored fingerprint. */
    Optional<String> fingerprintKey();

    /** A file holding that key (a mounted Secret); wins over {@code fingerprint-key}. */
    Optional<Path> fingerprintKeyFile();
}
