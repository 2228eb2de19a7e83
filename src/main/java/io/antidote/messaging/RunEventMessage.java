package io.antidote.messaging;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.antidote.store.StoredEvent;

import java.time.Instant;
import java.util.UUID;

/**
 * A run event as published: a CloudEvents 1.0 event in structured JSON mode. The id is the event's own
 * UUID, so consumers de-duplicate the redeliveries that at-least-once publishing allows.
 */
public record RunEventMessage(String specversion, UUID id, String source, String type, String subject,
                              Instant time, String datacontenttype, Data data) {

    /** The stored envelope, with its place in the run's hash chain. */
    public record Data(UUID runId, long seq, long position, String type, String actor, String target, String step,
                       Integer attempt, ObjectNode data, @JsonProperty("prevHash") String prevHash, String hash) {
    }

    static RunEventMessage of(StoredEvent e) {
        return new RunEventMessage("1.0", e.eventId(), "/antidote/runs/" + e.runId(), "io.antidote.run." + e.type(),
                e.runId().toString(), e.occurredAt(), "application/json",
                new Data(e.runId(), e.seq(), e.position(), e.type(), e.actor(), e.target(), e.step(), e.attempt(),
                        e.data(), e.prevHash(), e.hash()));
    }
}
