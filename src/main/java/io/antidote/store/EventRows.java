package io.antidote.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.mutiny.sqlclient.Row;
import java.util.UUID;

/**
 * How a row of {@code run_event} is read back into the envelope, by every reader of the table (a stream's
 * load and pages, the outbox): one column list and one mapping, so that what a consumer is sent is what a
 * load returns, field for field.
 */
final class EventRows {

    /**
     * The columns to select. {@code data} as text: jsonb's own text is parsed here, and the hash recomputed
     * from the parsed data.
     */
    static final String COLUMNS = "position, event_id, run_id, seq, type, occurred_at, actor, target, step, attempt, "
            + "data::text as data, prev_hash, hash";

    private EventRows() {
    }

    static StoredEvent toStored(Row row, ObjectMapper json) {
        UUID runId = row.getUUID("run_id");
        long seq = row.getLong("seq");
        return new StoredEvent(row.getLong("position"), runId, seq,
                new NewEvent(row.getUUID("event_id"), row.getString("type"), row.getOffsetDateTime("occurred_at").toInstant(),
                        row.getString("actor"), row.getString("target"), row.getString("step"), row.getInteger("attempt"),
                        data(runId, seq, row.getString("data"), json)),
                row.getString("prev_hash"), row.getString("hash"));
    }

    private static ObjectNode data(UUID runId, long seq, String text, ObjectMapper json) {
        try {
            JsonNode node = json.readTree(text);
            if (node instanceof ObjectNode object) {
                return object;
            }
            throw new IllegalStateException("run " + runId + " seq " + seq + " holds data that is not a JSON object");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("run " + runId + " seq " + seq + " holds data that is not readable JSON", e);
        }
    }
}
