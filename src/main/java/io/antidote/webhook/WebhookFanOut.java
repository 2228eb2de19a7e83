package io.antidote.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.antidote.engine.EventCodec;
import io.antidote.store.EventStore;
import io.antidote.store.Outbox;
import io.antidote.store.StoredEvent;
import io.antidote.store.WebhookDeliveries;
import io.antidote.store.WebhookDeliveries.NewDelivery;
import io.antidote.store.WebhookSubscriptionRow;
import io.antidote.store.WebhookSubscriptions;
import io.antidote.workflow.RunDecider;
import io.antidote.workflow.RunEvent;
import io.antidote.workflow.RunState;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Turns committed run events into deliveries: reads {@code run_event} as an outbox consumer of its own
 * ({@value #CONSUMER}) and writes one {@code webhook_delivery} row per matching subscription and event
 * before its cursor moves past the event. A batch read again after a crash writes nothing twice (one row per
 * subscription and event), so no event is lost across restarts and none is delivered as two messages.
 */
@ApplicationScoped
public class WebhookFanOut {

    static final String CONSUMER = "webhooks";
    private static final Logger LOG = Logger.getLogger(WebhookFanOut.class);

    private final Outbox outbox;
    private final EventStore store;
    private final EventCodec codec;
    private final WebhookSubscriptions subscriptions;
    private final WebhookDeliveries deliveries;
    private final ObjectMapper json;
    private final WebhookConfig config;
    private final Rounds rounds;

    WebhookFanOut(Outbox outbox, EventStore store, EventCodec codec, WebhookSubscriptions subscriptions,
                  WebhookDeliveries deliveries, ObjectMapper json, Vertx vertx, WebhookConfig config) {
        if (config.batchSize() < 1 || config.interval().toMillis() < 1) {
            throw new IllegalArgumentException("antidote.webhooks.batch-size and antidote.webhooks.interval must be "
                    + "at least 1 and 1ms, not " + config.batchSize() + " and " + config.interval());
        }
        this.outbox = outbox;
        this.store = store;
        this.codec = codec;
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.json = json;
        this.config = config;
        this.rounds = new Rounds(vertx, config.interval(), "Webhook fan-out", this::drain, LOG);
    }

    void start(@Observes StartupEvent start) {
        rounds.start();
    }

    void stop(@Observes ShutdownEvent stop) {
        rounds.stop();
    }

    /** Batches until nothing committed is left behind the cursor. */
    Uni<Integer> drain() {
        return outbox.publishNext(CONSUMER, config.batchSize(), events -> subscriptions.active()
                        .chain(active -> deliveriesFor(events, active))
                        .chain(deliveries::insert)
                        .replaceWithVoid())
                .chain(count -> count == config.batchSize() ? drain() : Uni.createFrom().item(count));
    }

    private Uni<List<NewDelivery>> deliveriesFor(List<StoredEvent> events, List<WebhookSubscriptionRow> active) {
        if (active.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Map<UUID, List<StoredEvent>> byRun = events.stream().collect(
                Collectors.groupingBy(StoredEvent::runId, LinkedHashMap::new, Collectors.toList()));
        List<NewDelivery> found = new ArrayList<>();
        Uni<Void> runs = Uni.createFrom().voidItem();
        for (Map.Entry<UUID, List<StoredEvent>> run : byRun.entrySet()) {
            List<WebhookSubscriptionRow> interested = active.stream()
                    .filter(s -> run.getValue().stream().anyMatch(e -> mayMatch(s, e))).toList();
            if (interested.isEmpty()) {
                continue;
            }
            // One after the other: the loads share the outbox transaction's session.
            runs = runs.chain(() -> store.load(run.getKey())
                    .invoke(stored -> found.addAll(match(stored, run.getValue(), interested))).replaceWithVoid());
        }
        return runs.replaceWith(found);
    }

    /** Whether the subscription may want the event, before the run is folded to learn its status. */
    private static boolean mayMatch(WebhookSubscriptionRow subscription, StoredEvent event) {
        return !event.occurredAt().isBefore(subscription.createdAt())
                && (!subscription.statuses().isEmpty() || wantsType(subscription, event.type()));
    }

    private static boolean wantsType(WebhookSubscriptionRow subscription, String type) {
        return subscription.eventTypes().contains(type) || subscription.eventTypes().contains(Subscriptions.EVERY_TYPE);
    }

    /** Folds the run event by event and matches each event of the batch with the run just before and after it. */
    private List<NewDelivery> match(List<StoredEvent> history, List<StoredEvent> batch,
                                    List<WebhookSubscriptionRow> interested) {
        Set<Long> wanted = batch.stream().map(StoredEvent::seq).collect(Collectors.toSet());
        long last = batch.stream().mapToLong(StoredEvent::seq).max().orElse(0);
        List<NewDelivery> found = new ArrayList<>();
        RunState state = RunDecider.initialState();
        for (StoredEvent stored : history) {
            if (stored.seq() > last) {
                break;
            }
            RunEvent event = codec.decode(stored);
            RunState before = state;
            state = RunDecider.evolve(state, event);
            if (!wanted.contains(stored.seq())) {
                continue;
            }
            boolean statusChanged = !Objects.equals(before.status(), state.status());
            String payload = null;
            for (WebhookSubscriptionRow subscription : interested) {
                boolean matches = !stored.occurredAt().isBefore(subscription.createdAt())
                        && (wantsType(subscription, stored.type()) || statusChanged && state.status() != null
                        && subscription.statuses().contains(state.status().name()));
                if (matches) {
                    if (payload == null) {
                        payload = WebhookPayload.of(stored, before, state, config.linkBaseUrl(), json);
                    }
                    found.add(new NewDelivery(UUID.randomUUID(), subscription.id(), stored.eventId(), stored.runId(),
                            stored.type(), payload));
                }
            }
        }
        return found;
    }
}
