package io.antidote.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.antidote.store.WebhookSubscriptionRow;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A webhook subscription as the API shows it: its secret always masked, in every answer, the one that
 * created it included (the admin chose it). {@code status}: {@code ACTIVE} or {@code DISABLED}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookView(UUID id, String url, List<String> events, List<String> statuses, String secret,
                          String description, String status, String createdBy, Instant createdAt, String disabledBy,
                          Instant disabledAt) {

    static final String MASKED_SECRET = "whsec_********";

    static WebhookView of(WebhookSubscriptionRow row) {
        return new WebhookView(row.id(), row.url(), row.eventTypes(), row.statuses(), MASKED_SECRET,
                row.description(), row.active() ? "ACTIVE" : "DISABLED", row.createdBy(), row.createdAt(),
                row.disabledBy(), row.disabledAt());
    }
}
