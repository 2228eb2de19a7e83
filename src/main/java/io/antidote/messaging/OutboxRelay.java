package io.antidote.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.antidote.store.Checkpoint;
import io.antidote.store.Outbox;
import io.antidote.store.StoredEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes committed run events, then signed checkpoints, to {@link Channels#RUN_EVENTS} (RabbitMQ) from
 * the tables themselves, which are the outbox: nothing is sent that was not committed, and nothing
 * committed is left unsent, because a cursor moves only after the broker confirmed the whole batch. At
 * least once, in commit order, so in order per run: a batch that fails or outlasts the publish timeout
 * (a broker outage) is rolled back and sent again, from its first message, on a later tick.
 */
@ApplicationScoped
public class OutboxRelay {

    static final String CONSUMER = "run-events";
    static final String CHECKPOINT_CONSUMER = "run-checkpoints";
    static final String CLOUDEVENTS_JSON = "application/cloudevents+json";
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final Outbox outbox;
    private final MutinyEmitter<String> emitter;
    private final RunEventFeed feed;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final long intervalMillis;
    private final int batchSize;
    private final Duration publishTimeout;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile boolean stopping;
    private volatile boolean failing;
    /** When the relay last found nothing committed left to publish (System.nanoTime). */
    private final AtomicLong caughtUp = new AtomicLong(System.nanoTime());
    private final Counter published;
    private final Timer delay;
    private long timer = -1;

    OutboxRelay(Outbox outbox, @Channel(Channels.RUN_EVENTS) MutinyEmitter<String> emitter, RunEventFeed feed,
                ObjectMapper json, Vertx vertx, OutboxConfig config, MeterRegistry registry) {
        if (config.interval() < 1 || config.batchSize() < 1 || config.publishTimeout().isNegative()
                || config.publishTimeout().isZero()) {
            throw new IllegalArgumentException("antidote.outbox.interval and antidote.outbox.batch-size must be at least 1"
                    + " and antidote.outbox.publish-timeout positive, not " + config.interval() + ", "
                    + config.batchSize() + " and " + config.publishTimeout());
        }
        this.outbox = outbox;
        this.emitter = emitter;
        this.feed = feed;
        this.json = json;
        this.vertx = vertx;
        this.intervalMillis = config.interval();
        this.batchSize = config.batchSize();
        this.publishTimeout = config.publishTimeout();
        this.published = Counter.builder("antidote.outbox.published").description("Run events published")
                .register(registry);
        this.delay = Timer.builder("antidote.outbox.delay")
                .description("From an event's time to its publication")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
        // Grows while the relay fails or falls behind (a broker down, a backlog); near 0 while it keeps up.
        Gauge.builder("antidote.outbox.lag", caughtUp, since -> (System.nanoTime() - since.get()) / 1e9)
                .description("Seconds since the relay last had nothing committed left to publish")
                .baseUnit("seconds")
                .register(registry);
    }

    void start(@Observes StartupEvent start) {
        timer = vertx.setPeriodic(intervalMillis, id -> relayOnce());
    }

    void stop(@Observes ShutdownEvent stop) {
        stopping = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void relayOnce() {
        if (stopping || !busy.compareAndSet(false, true)) {
            return;
        }
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> drainEvents().chain(this::drainCheckpoints).subscribe().with(
                count -> {
                    if (failing) {
                        LOG.info("Outbox relay publishes again");
                        failing = false;
                    }
                    busy.set(false);
                },
                failure -> {
                    busy.set(false);
                    // One line when publishing stops, not one per tick for as long as the broker is away.
                    if (!stopping && !failing) {
                        failing = true;
                        LOG.warnf("Outbox relay paused, will retry until the broker confirms again: %s",
                                failure instanceof io.smallrye.mutiny.TimeoutException
                                        ? "no confirmation within " + publishTimeout
                                        : failure.getClass().getSimpleName() + ": " + failure.getMessage());
                    }
                }));
    }

    /** Publishes batches of events until nothing committed is left behind the cursor. */
    private Uni<Integer> drainEvents() {
        return outbox.publishNext(CONSUMER, batchSize, events -> {
            Uni<Void> sends = Uni.createFrom().voidItem();
            for (StoredEvent event : events) {
                RunEventMessage message = RunEventMessage.of(event);
                sends = sends.chain(() -> send(message, "run." + event.type(), message.id().toString()));
            }
            return sends.ifNoItem().after(publishTimeout).fail().invoke(() -> {
                Instant now = Instant.now();
                published.increment(events.size());
                events.forEach(e -> {
                    delay.record(Duration.between(e.occurredAt(), now));
                    feed.publish(RunEventMessage.of(e));
                });
            });
        }).chain(count -> {
            if (count == batchSize) {
                return drainEvents();
            }
            caughtUp.set(System.nanoTime());
            return Uni.createFrom().item(count);
        });
    }

    private Uni<Integer> drainCheckpoints(int ignored) {
        return outbox.publishNextCheckpoints(CHECKPOINT_CONSUMER, batchSize, checkpoints -> {
            Uni<Void> sends = Uni.createFrom().voidItem();
            for (Checkpoint checkpoint : checkpoints) {
                CheckpointMessage message = CheckpointMessage.of(checkpoint, exportLine(checkpoint));
                sends = sends.chain(() -> send(message, "checkpoint", message.id().toString()));
            }
            return sends.ifNoItem().after(publishTimeout).fail();
        }).chain(count -> count == batchSize ? drainCheckpoints(0) : Uni.createFrom().item(count));
    }

    /** One message, completed when the broker confirmed it (publish-confirms), failed when it did not. */
    private Uni<Void> send(Object cloudEvent, String routingKey, String id) {
        String body;
        try {
            body = json.writeValueAsString(cloudEvent);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        OutgoingRabbitMQMetadata metadata = OutgoingRabbitMQMetadata.builder()
                .withRoutingKey(routingKey)
                .withContentType(CLOUDEVENTS_JSON)
                .withMessageId(id)
                .withDeliveryMode(2)
                .withTimestamp(java.time.ZonedDateTime.now(ZoneOffset.UTC))
                .build();
        return emitter.sendMessage(Message.of(body).addMetadata(metadata));
    }

    private ObjectNode exportLine(Checkpoint checkpoint) {
        try {
            return (ObjectNode) json.readTree(checkpoint.exportLine());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a checkpoint's export line is JSON", e);
        }
    }
}
