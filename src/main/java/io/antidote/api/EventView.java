package io.antidote.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.antidote.store.EventHash;
import io.antidote.store.StoredEvent;

import java.util.UUID;

/**
 * One stored event with its place in the hash chain, as auditors read it. {@code occurredAt} is the text
 * that was hashed (always six fraction digits), not a re-formatted instant: a verifier written from
 * docs/event-store.md must recompute the hash from exactly what it is served.
 */
public record EventView(UUID eventId, UUID runId, long seq, String type, String occurredAt, String actor,
                        String target, String step, Integer attempt, ObjectNode data, String prevHash, String hash) {

    static EventView of(StoredEvent e) {
        return new EventView(e.eventId(), e.runId(), e.seq(), e.type(), EventHash.formatInstant(e.occurredAt()), e.actor(), e.target(),
                e.step(), e.attempt(), e.data(), e.prevHash(), e.hash());
    }
}
