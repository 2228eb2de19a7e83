package io.antidote.api;

import java.util.List;

/**
 * An admin's request for a webhook subscription: {@code POST /api/v1/webhooks}. {@link #toString()} leaves
 * the secret out.
 */
public record WebhookBody(String url, List<String> events, List<String> statuses, String secret, String description) {

    @Override
    public String toString() {
        return "WebhookBody[events=" + events + ", statuses=" + statuses + "]";
    }
}
