package io.antidote.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What "the same body" means for an {@code Idempotency-Key}: SHA-256 over the request's fields in one
 * canonical form (map keys sorted at every depth, no whitespace), so that key order and spacing in the JSON
 * sent do not matter, while any value that changes what the run would do does. The caller and the key are
 * not part of it: they are what the fingerprint is stored under.
 *
 * <p>Hashed as UTF-16 code units rather than UTF-8 bytes: UTF-8 encoding turns every unpaired surrogate into
 * the same '?', and two bodies that differ only there would look the same.
 */
final class RequestFingerprint {

    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private RequestFingerprint() {
    }

    static String of(RunRequests.Request request) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("onBusy", request.onBusy());
        fields.put("params", request.params());
        fields.put("playbook", request.playbook());
        fields.put("targetLabels", request.targetLabels());
        fields.put("targets", request.targets());
        fields.put("ticket", request.ticket());
        try {
            String canonical = CANONICAL.writeValueAsString(fields);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_16BE));
            return HexFormat.of().formatHex(digest);
        } catch (JsonProcessingException e) {
            // The body was read as JSON: maps, lists, strings, numbers and booleans always write back.
            throw new IllegalStateException("a run request that cannot be written as JSON", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
