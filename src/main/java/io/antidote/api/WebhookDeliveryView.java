package io.antidote.api;

import io.antidote.store.WebhookDelivery;

import java.time.Instant;
import java.util.UUID;

/**
 * One line of a subscription's delivery log. {@code id} is the {@code webhook-id} every attempt carried;
 * {@code status}: {@code PENDING}, {@code DELIVERED} or {@code DEAD}.
 */
public record WebhookDeliveryView(UUID id, UUID subscriptionId, UUID eventId, UUID runId, String eventType,
                                  String status, int attempts, Instant createdAt, Instant nextAttemptAt,
                                  Instant lastAttemptAt, Integer lastStatus, String lastError, Instant deliveredAt) {

    static WebhookDeliveryView of(WebhookDelivery d) {
        return new WebhookDeliveryView(d.id(), d.subscriptionId(), d.eventId(), d.runId(), d.eventType(), d.status(),
                d.attempts(), d.createdAt(), d.nextAttemptAt(), d.lastAttemptAt(), d.lastStatus(), d.lastError(),
                d.deliveredAt());
    }
}
