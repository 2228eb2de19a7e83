package io.antidote.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.antidote.store.StoredEvent;

import java.time.Instant;
import java.util.UUID;

/** One stored event with its place in the hash chain, as auditors read it. */
public record EventView(UUID eventId, UUID runId, long seq, String type, Instant occurredAt, String actor,
                        String target, String step, Integer attempt, ObjectNode data, String prevHash, String hash) {

    static EventView of(StoredEvent e) {
        return new EventView(e.eventId(), e.runId(), e.seq(), e.type(), e.occurredAt(), e.actor(), e.target(),
                e.step(), e.attempt(), e.data(), e.prevHash(), e.hash());
    }
}
