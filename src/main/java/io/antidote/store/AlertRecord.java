package io.antidote.store;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One row of the {@code alert} table: an alert as it was received and what was decided about it (docs/alerts.md).
 * The alert's own fields are null when it was refused before they could be read.
 *
 * @param channel    {@code api} or {@code queue}
 * @param receivedBy who handed it in: the API caller's subject, or the queue's name
 * @param decision   MATCHED, DEDUPLICATED, IGNORED or REFUSED
 * @param runId      the run requested (MATCHED) or the one it was folded into (DEDUPLICATED), else null
 */
public record AlertRecord(UUID id, OffsetDateTime receivedAt, String channel, String receivedBy, String source,
                          String externalId, String server, String type, String severity, OffsetDateTime occurredAt,
                          String summary, String rule, String decision, String reason, UUID runId) {
}
