package io.antidote.webhook;

import io.antidote.engine.Clock;
import io.antidote.engine.InvalidRequestException;
import io.antidote.engine.InvalidRequestException.Violation;
import io.antidote.store.WebhookDeliveries;
import io.antidote.store.WebhookDelivery;
import io.antidote.store.WebhookSubscriptionRow;
import io.antidote.store.WebhookSubscriptions;
import io.antidote.workflow.RunEventTypes;
import io.antidote.workflow.RunStatus;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** Webhook subscriptions, as an admin manages them through the API, and their delivery logs. */
@ApplicationScoped
public class Subscriptions {

    /** In {@code events}: every event type. */
    public static final String EVERY_TYPE = "*";
    static final int MAX_URL = 2000;
    static final int MAX_DESCRIPTION = 500;
    private static final Set<String> TYPES = new TreeSet<>(RunEventTypes.ALL.stream().map(RunEventTypes::nameOf).toList());
    private static final List<String> STATUSES = Arrays.stream(RunStatus.values()).map(Enum::name).toList();

    /** What an admin asks for. */
    public record Request(String url, List<String> events, List<String> statuses, String secret, String description) {
        @Override
        public String toString() {
            return "Request[url, events=" + events + ", statuses=" + statuses + "]";
        }
    }

    private final WebhookSubscriptions subscriptions;
    private final WebhookDeliveries deliveries;
    private final Clock clock;

    Subscriptions(WebhookSubscriptions subscriptions, WebhookDeliveries deliveries, Clock clock) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.clock = clock;
    }

    /**
     * Validates the request (422 naming each field, never quoting the secret) and stores the subscription.
     * It receives the events that happen from now on.
     */
    public Uni<WebhookSubscriptionRow> register(Request request, String by) {
        List<Violation> violations = new ArrayList<>();
        checkUrl(request.url(), violations);
        int before = violations.size();
        List<String> types = names("events", request.events(), TYPES, true, violations);
        List<String> statuses = names("statuses", request.statuses(), STATUSES, false, violations);
        if (types.isEmpty() && statuses.isEmpty() && violations.size() == before) {
            violations.add(new Violation("events", "name at least one event type, or a run status in statuses"));
        }
        if (WebhookSecret.parse(request.secret()).isEmpty()) {
            violations.add(new Violation("secret", WebhookSecret.SHAPE + " is required"));
        }
        if (request.description() != null && request.description().length() > MAX_DESCRIPTION) {
            violations.add(new Violation("description", "at most " + MAX_DESCRIPTION + " characters"));
        }
        if (!violations.isEmpty()) {
            return Uni.createFrom().failure(new InvalidRequestException(violations));
        }
        WebhookSubscriptionRow row = new WebhookSubscriptionRow(UUID.randomUUID(), request.url(), types, statuses,
                request.secret(), request.description(), by, clock.now(), null, null);
        return subscriptions.insert(row).replaceWith(row);
    }

    public Uni<List<WebhookSubscriptionRow>> all() {
        return subscriptions.all();
    }

    public Uni<Optional<WebhookSubscriptionRow>> byId(UUID id) {
        return subscriptions.byId(id);
    }

    /** Stops new deliveries and the sending of pending ones; false when it was already disabled. */
    public Uni<Boolean> disable(UUID id, String by) {
        return subscriptions.disable(id, by, clock.now());
    }

    public Uni<List<WebhookDelivery>> log(UUID subscriptionId, String status, int limit) {
        return deliveries.log(subscriptionId, status, limit);
    }

    /** Sends the delivery again, due now, with the same {@code webhook-id}. */
    public Uni<Optional<WebhookDelivery>> replay(UUID subscriptionId, UUID deliveryId) {
        return deliveries.replay(subscriptionId, deliveryId);
    }

    private static void checkUrl(String url, List<Violation> violations) {
        if (url == null || url.isBlank()) {
            violations.add(new Violation("url", "an http or https URL is required"));
            return;
        }
        if (url.length() > MAX_URL) {
            violations.add(new Violation("url", "at most " + MAX_URL + " characters"));
            return;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            violations.add(new Violation("url", "not a URL: " + e.getReason()));
            return;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            violations.add(new Violation("url", "only http and https URLs are delivered to, not '"
                    + (scheme.length() > 20 ? scheme.substring(0, 20) : scheme) + ":'"));
        } else if (uri.getHost() == null) {
            violations.add(new Violation("url", "names no host"));
        } else if (uri.getRawUserInfo() != null) {
            violations.add(new Violation("url", "carries credentials: the receiver checks the signature instead"));
        } else if (uri.getRawFragment() != null) {
            violations.add(new Violation("url", "has a fragment, which is never sent"));
        }
    }

    private static List<String> names(String field, List<String> given, java.util.Collection<String> known,
                                      boolean everyAllowed, List<Violation> violations) {
        if (given == null) {
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String name = given.get(i);
            if (name != null && (known.contains(name) || everyAllowed && EVERY_TYPE.equals(name))) {
                names.add(name);
            } else {
                violations.add(new Violation(field + "[" + i + "]", everyAllowed
                        ? "a run event type (" + String.join(", ", known) + ") or '*' for every one"
                        : "one of " + String.join(", ", known)));
            }
        }
        return List.copyOf(names);
    }
}
