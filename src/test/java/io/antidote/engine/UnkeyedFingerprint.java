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
 * The Idempotency-Key fingerprint as it was before secrets were keyed: SHA-256 of the whole body in canonical
 * form, secrets included. What anyone holding a copy of {@code idempotency_key} can compute for a guessed secret.
 */
public final class UnkeyedFingerprint {

    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private UnkeyedFingerprint() {
    }

    public static String of(RunRequests.Request request) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("onBusy", request.onBusy());
        fields.put("params", request.params());
        fields.put("playbook", request.playbook());
        fields.put("targetLabels", request.targetLabels());
        fields.put("targets", request.targets());
        fields.put("ticket", request.ticket());
        try {
            return sha256(CANONICAL.writeValueAsString(fields).getBytes(StandardCharsets.UTF_16BE));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
