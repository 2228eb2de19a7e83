package io.antidote.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.antidote.store.Checkpoint;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * A signed checkpoint as published: a CloudEvents 1.0 event whose data is the checkpoint's export line
 * (the signed fields, {@code record} and {@code signature}), so a consumer can hold signed heads and check
 * them with the served public key exactly as an export is checked. The id is derived from the run, seq and
 * key, so a redelivered checkpoint has the id it had.
 */
public record CheckpointMessage(String specversion, UUID id, String source, String type, String subject,
                                Instant time, String datacontenttype, ObjectNode data) {

    static final String TYPE = "io.antidote.checkpoint";

    static CheckpointMessage of(Checkpoint c, ObjectNode exportLine) {
        UUID id = UUID.nameUUIDFromBytes((c.runId() + "/" + c.lastSeq() + "/" + c.keyId() + "/" + c.lastHash())
                .getBytes(StandardCharsets.UTF_8));
        return new CheckpointMessage("1.0", id, "/antidote/runs/" + c.runId(), TYPE, c.runId().toString(),
                c.signedAt(), "application/json", exportLine);
    }
}
