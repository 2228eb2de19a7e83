package io.antidote.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * A signed head of one run's stream: whoever holds the public key of {@code keyId} can prove that the
 * run had at least {@code lastSeq} events, the last with {@code lastHash}, at {@code signedAt}. A
 * truncated or re-hashed tail still chains, but no longer reaches a head signed before it.
 *
 * @param signature base64 of the Ed25519 signature over the UTF-8 of {@link #signedText()}
 */
public record Checkpoint(UUID runId, long lastSeq, String lastHash, Instant signedAt, String keyId,
                         String signature) {

    public Checkpoint {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(lastHash, "lastHash");
        Objects.requireNonNull(signedAt, "signedAt");
        Objects.requireNonNull(keyId, "keyId");
        signedAt = signedAt.truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * What is signed: the canonical JSON of {@code {keyId, lastHash, lastSeq, runId, signedAt}}, in the
     * same canonical form as events (docs/event-store.md).
     */
    public String signedText() {
        return CanonicalJson.write(signed());
    }

    /** The checkpoint as one line of an export: the signed fields plus {@code record} and {@code signature}. */
    public String exportLine() {
        ObjectNode line = signed();
        line.put("record", "checkpoint");
        line.put("signature", signature);
        return CanonicalJson.write(line);
    }

    private ObjectNode signed() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("keyId", keyId);
        out.put("lastHash", lastHash);
        out.put("lastSeq", lastSeq);
        out.put("runId", runId.toString());
        out.put("signedAt", EventHash.formatInstant(signedAt));
        return out;
    }
}
