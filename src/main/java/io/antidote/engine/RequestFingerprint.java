package io.antidote.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.antidote.playbook.Param;
import io.antidote.playbook.ParamType;
import io.antidote.playbook.Playbook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What "the same body" means for an {@code Idempotency-Key}: SHA-256 over the request's fields in one
 * canonical form (map keys sorted at every depth, no whitespace), so that key order and spacing in the JSON
 * sent do not matter, while any value that changes what the run would do does. The caller and the key are
 * not part of it: they are what the fingerprint is stored under.
 *
 * <p>The fingerprint is stored in {@code idempotency_key}, so a secret parameter's value enters it only as an
 * HMAC-SHA256 under a key the database never sees ({@code antidote.idempotency.fingerprint-key}): a plain or
 * salted hash of a short secret would be found by trying every candidate against a copy of the table. Two
 * bodies that differ only in a secret still differ here. The other fields are in the run's events anyway,
 * so hashing them plainly gives nothing away, and keeps their fingerprints comparable across replicas and
 * restarts even where no key is configured: then the key is generated at start and, like the secret values
 * themselves ({@link RunSecrets}), lives in this process only; a request with secrets sent again after a
 * restart or to another replica is then a 422, never a second run.
 *
 * <p>Hashed as UTF-16 code units rather than UTF-8 bytes: UTF-8 encoding turns every unpaired surrogate into
 * the same '?', and two bodies that differ only there would look the same.
 */
@ApplicationScoped
class RequestFingerprint {

    private static final Logger LOG = Logger.getLogger(RequestFingerprint.class);
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final String HMAC = "HmacSHA256";
    /** As many bytes as the HMAC's output: a shorter key would be the weakest part. */
    static final int MIN_KEY_BYTES = 32;

    private final SecretKeySpec key;

    @Inject
    RequestFingerprint(IdempotencyConfig config) {
        this(config.fingerprintKey(), config.fingerprintKeyFile());
    }

    RequestFingerprint(Optional<String> keyText, Optional<Path> keyFile) {
        Optional<String> configured = keyFile.map(RequestFingerprint::read).or(() -> keyText).map(String::strip);
        if (configured.isPresent()) {
            byte[] bytes = configured.get().getBytes(StandardCharsets.UTF_8);
            if (bytes.length < MIN_KEY_BYTES) {
                throw new IllegalArgumentException("antidote.idempotency.fingerprint-key must be at least "
                        + MIN_KEY_BYTES + " bytes (e.g. openssl rand -base64 32), not " + bytes.length);
            }
            key = new SecretKeySpec(bytes, HMAC);
        } else {
            byte[] bytes = new byte[MIN_KEY_BYTES];
            new SecureRandom().nextBytes(bytes);
            key = new SecretKeySpec(bytes, HMAC);
            LOG.warn("antidote.idempotency.fingerprint-key is not set: secret parameters are fingerprinted under a key"
                    + " that lives in this process only. A run request with secret parameters sent again with its"
                    + " Idempotency-Key after a restart or to another replica is refused (422) instead of answered"
                    + " with its run. Give every replica the same key (docs/security.md).");
        }
    }

    /** The fingerprint of a request for this playbook, whose secret parameters are the ones it declares. */
    String of(RunRequests.Request request, Playbook playbook) {
        Set<String> secret = playbook.params().stream().filter(p -> p.type() == ParamType.SECRET)
                .map(Param::name).collect(Collectors.toSet());
        return of(request, secret::contains);
    }

    /**
     * The fingerprint of a request whose playbook is not known: every parameter is treated as secret, since
     * nothing says which are not.
     */
    String ofUnknownPlaybook(RunRequests.Request request) {
        return of(request, name -> true);
    }

    private String of(RunRequests.Request request, Predicate<String> isSecret) {
        Map<String, Object> params = null;
        if (request.params() != null) {
            params = new LinkedHashMap<>();
            for (Map.Entry<String, Object> param : request.params().entrySet()) {
                params.put(param.getKey(), isSecret.test(param.getKey())
                        ? Map.of("hmacSha256", keyed(param.getValue())) : param.getValue());
            }
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("onBusy", request.onBusy());
        fields.put("params", params);
        fields.put("playbook", request.playbook());
        fields.put("targetLabels", request.targetLabels());
        fields.put("targets", request.targets());
        fields.put("ticket", request.ticket());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical(fields)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private String keyed(Object value) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(canonical(value)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }

    private static byte[] canonical(Object value) {
        try {
            return CANONICAL.writeValueAsString(value).getBytes(StandardCharsets.UTF_16BE);
        } catch (JsonProcessingException e) {
            // The body was read as JSON: maps, lists, strings, numbers and booleans always write back.
            throw new IllegalStateException("a run request that cannot be written as JSON", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("antidote.idempotency.fingerprint-key-file " + file + " cannot be read", e);
        }
    }
}
