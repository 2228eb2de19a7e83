package io.antidote.api;

import io.antidote.store.AlertRecord;

import java.time.Instant;
import java.util.UUID;

/**
 * One alert as recorded, with what was decided and why (docs/alerts.md). {@code decision}: {@code MATCHED} (a rule
 * requested {@code runId}), {@code DEDUPLICATED} (folded into {@code runId}, which its rule requested for this
 * server within its window), {@code IGNORED} or {@code REFUSED}; {@code reason} says why in words. The alert's own
 * fields are null where a refused alert did not carry them readably.
 *
 * @param channel    {@code api} or {@code queue}
 * @param receivedBy the subject of the API token that sent it, or {@code queue:<name>}
 */
public record AlertView(UUID id, Instant receivedAt, String channel, String receivedBy, String source,
                        String externalId, String server, String type, String severity, Instant occurredAt,
                        String summary, String rule, String decision, String reason, UUID runId) {

    static AlertView of(AlertRecord a) {
        return new AlertView(a.id(), a.receivedAt() == null ? null : a.receivedAt().toInstant(), a.channel(),
                a.receivedBy(), a.source(), a.externalId(), a.server(), a.type(), a.severity(),
                a.occurredAt() == null ? null : a.occurredAt().toInstant(), a.summary(), a.rule(), a.decision(),
                a.reason(), a.runId());
    }
}
