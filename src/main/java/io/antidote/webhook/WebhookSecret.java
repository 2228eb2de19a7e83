package io.antidote.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Optional;

/**
 * A subscription's signing secret in the Standard Webhooks form, {@code whsec_} and the base64 of the key,
 * and the signature it gives a delivery: {@code v1,} and the base64 of HMAC-SHA256 over
 * {@code <webhook-id>.<webhook-timestamp>.<body>}. {@link #toString()} never shows the key.
 */
final class WebhookSecret {

    static final String PREFIX = "whsec_";
    static final int MIN_BYTES = 24;
    static final int MAX_BYTES = 64;
    static final String SHAPE = PREFIX + " followed by the base64 of " + MIN_BYTES + " to " + MAX_BYTES + " random bytes";

    private final byte[] key;

    private WebhookSecret(byte[] key) {
        this.key = key;
    }

    /** The secret, or empty when the text is not of the documented shape (the reason never quotes it). */
    static Optional<WebhookSecret> parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (key.length < MIN_BYTES || key.length > MAX_BYTES) {
            return Optional.empty();
        }
        return Optional.of(new WebhookSecret(key));
    }

    /** The value of the {@code webhook-signature} header. */
    String sign(String id, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] signature = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return PREFIX + "***";
    }
}
