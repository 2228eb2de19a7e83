package io.antidote.messaging;

import io.antidote.store.StoredEvent;

import java.time.Instant;
import java.util.UUID;

/**
 * A run event as published: a CloudEvents 1.0 event in structured JSON mode whose data is the stored
 * envelope, the same JSON the API serves. The id is the event's own UUID, so consumers de-duplicate the
 * redeliveries that at-least-once publishing allows.
 */
public record RunEventMessage(String specversion, UUID id, String source, String type, String subject,
                              Instant time, String datacontenttype, StoredEvent data) {

    static RunEventMessage of(StoredEvent e) {
        return new RunEventMessage("1.0", e.eventId(), "/antidote/runs/" + e.runId(), "io.antidote.run." + e.type(),
                e.runId().toString(), e.occurredAt(), "application/json", e);
    }
}
