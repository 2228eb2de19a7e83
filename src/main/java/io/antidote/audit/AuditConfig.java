package io.antidote.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.hibernate.validator.constraints.time.DurationMin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code antidote.audit.*}: the key that signs checkpoints of run heads ({@link SigningKeys}) and how often
 * heads are checkpointed and histories verified. The two schedules read their settings by name in their
 * {@code @Scheduled} expressions; ConfigurationDocTest holds those names and defaults to the ones here.
 */
@ConfigMapping(prefix = "antidote.audit")
public interface AuditConfig {

    /** Ed25519 private key (PKCS#8, PEM or base64) that signs checkpoints; prefer {@code signing-key-file}. */
    Optional<String> signingKey();

    /** The same from a mounted secret file. */
    Optional<Path> signingKeyFile();

    /** Its public half (required with a signing key). */
    Optional<String> publicKey();

    /** Earlier public keys, so that old checkpoints still verify after a rotation. */
    Optional<List<String>> previousPublicKeys();

    /** Sign with a key generated at start (lab and tests only). */
    @WithDefault("false")
    boolean ephemeralKey();

    /** How often run heads are checkpointed ({@code Checkpointer}). */
    @WithDefault("60s")
    @DurationMin(nanos = 0, inclusive = false, message = "must be longer than 0")
    Duration checkpointInterval();

    /** How often every run's history is verified in the background ({@code RunVerifier}). */
    @WithDefault("10m")
    @DurationMin(nanos = 0, inclusive = false, message = "must be longer than 0")
    Duration verifyInterval();

    /** Delay of the first background verification after start. */
    @WithDefault("30s")
    @DurationMin(nanos = 0, message = "must not be negative")
    Duration verifyDelay();
}
