package io.antidote.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A row of {@code webhook_subscription} ({@code V14__webhooks.sql}). It holds the signing secret, so it
 * never leaves the service as it is: {@link #toString()} leaves the secret out, should a row end up in a log.
 *
 * @param eventTypes run event types delivered whatever the status ({@code *}: every type)
 * @param statuses   run statuses delivered when a run enters one
 * @param secret     {@code whsec_<base64>}, the key deliveries are signed with
 */
public record WebhookSubscriptionRow(UUID id, String url, List<String> eventTypes, List<String> statuses, String secret,
                                     String description, String createdBy, Instant createdAt, String disabledBy,
                                     Instant disabledAt) {

    public WebhookSubscriptionRow {
        eventTypes = List.copyOf(eventTypes);
        statuses = List.copyOf(statuses);
    }

    public boolean active() {
        return disabledAt == null;
    }

    @Override
    public String toString() {
        return "WebhookSubscriptionRow[id=" + id + ", eventTypes=" + eventTypes + ", statuses=" + statuses
                + ", createdAt=" + createdAt + ", disabledAt=" + disabledAt + "]";
    }
}
