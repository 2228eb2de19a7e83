package io.antidote.store;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code webhook_delivery} as the delivery log shows it: one run event for one subscription, and
 * how its attempts went.
 *
 * @param status        {@code PENDING}, {@code DELIVERED} or {@code DEAD}
 * @param nextAttemptAt when a pending delivery is due (or its claim by a sender lapses)
 * @param lastStatus    the HTTP status of the last answer, null when none came
 * @param lastError     why the last attempt failed, null once delivered
 */
public record WebhookDelivery(UUID id, UUID subscriptionId, UUID eventId, UUID runId, String eventType, String status,
                              int attempts, Instant createdAt, Instant nextAttemptAt, Instant lastAttemptAt,
                              Integer lastStatus, String lastError, Instant deliveredAt) {

    public static final String PENDING = "PENDING";
    public static final String DELIVERED = "DELIVERED";
    public static final String DEAD = "DEAD";
}
