package io.antidote.store;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An event as recorded in a run's stream: the {@link NewEvent} that was appended, with the place the
 * store gave it. This is the one envelope of the system: the store returns it, the API serves it and the
 * messages carry it, all as the same JSON.
 *
 * <p>Its JSON is the hashed envelope ({@link EventHash#envelope}) plus {@code position}, {@code prevHash}
 * and {@code hash}, so {@code occurredAt} is always served as the text that was hashed (six fraction
 * digits) and a verifier written from docs/event-store.md recomputes the hash from exactly what it reads.
 *
 * @param position global commit order across all runs (the outbox publishes by it)
 * @param seq position within the run's stream, gap-free from 1
 * @param event the event's own fields, as appended
 * @param prevHash the {@code hash} of seq - 1, or {@link EventHash#GENESIS} for seq 1
 * @param hash SHA-256 over {@code prevHash} and this event's canonical JSON, see {@link EventHash}
 */
public record StoredEvent(long position, UUID runId, long seq, NewEvent event, String prevHash, String hash) {

    public StoredEvent {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(event, "event");
    }

    public UUID eventId() {
        return event.eventId();
    }

    public String type() {
        return event.type();
    }

    public Instant occurredAt() {
        return event.occurredAt();
    }

    public String actor() {
        return event.actor();
    }

    public String target() {
        return event.target();
    }

    public String step() {
        return event.step();
    }

    public Integer attempt() {
        return event.attempt();
    }

    public ObjectNode data() {
        return event.data();
    }

    /** The same event with other data and the same place; the hash is kept, so it no longer verifies. */
    public StoredEvent withData(ObjectNode data) {
        return new StoredEvent(position, runId, seq, event.withData(data), prevHash, hash);
    }

    /** The JSON every reader is served: the hashed envelope with the event's place in the chain. */
    @JsonValue
    public ObjectNode json() {
        ObjectNode out = EventHash.envelope(runId, seq, event);
        out.put("position", position);
        out.put("prevHash", prevHash);
        out.put("hash", hash);
        return out;
    }
}
