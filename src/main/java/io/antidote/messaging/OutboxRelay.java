package io.antidote.messaging;

import io.antidote.store.Outbox;
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
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes committed run events to {@link Channels#RUN_EVENTS} from the event table itself, which is
 * the outbox: nothing is sent that was not committed, and nothing committed is left unsent (the cursor
 * moves only after the channel acknowledged a batch). At least once, in commit order.
 */
@ApplicationScoped
public class OutboxRelay {

    static final String CONSUMER = "run-events";
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final Outbox outbox;
    private final MutinyEmitter<RunEventMessage> emitter;
    private final Vertx vertx;
    private final long intervalMillis;
    private final int batchSize;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile boolean stopping;
    /** When the relay last found nothing committed left to publish (System.nanoTime). */
    private final AtomicLong caughtUp = new AtomicLong(System.nanoTime());
    private final Counter published;
    private final Timer delay;
    private long timer = -1;

    OutboxRelay(Outbox outbox, @Channel(Channels.RUN_EVENTS) MutinyEmitter<RunEventMessage> emitter, Vertx vertx,
                @ConfigProperty(name = "antidote.outbox.interval", defaultValue = "250") long intervalMillis,
                @ConfigProperty(name = "antidote.outbox.batch-size", defaultValue = "500") int batchSize,
                MeterRegistry registry) {
        this.outbox = outbox;
        this.emitter = emitter;
        this.vertx = vertx;
        this.intervalMillis = intervalMillis;
        this.batchSize = batchSize;
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
        context.runOnContext(ignored -> drain().subscribe().with(
                count -> busy.set(false),
                failure -> {
                    busy.set(false);
                    if (!stopping) {
                        LOG.warnf("Outbox relay will retry: %s", failure.getMessage());
                    }
                }));
    }

    /** Publishes batches until nothing committed is left behind the cursor. */
    private Uni<Integer> drain() {
        return outbox.publishNext(CONSUMER, batchSize, events -> {
            Uni<Void> sends = Uni.createFrom().voidItem();
            for (var event : events) {
                sends = sends.chain(() -> emitter.send(RunEventMessage.of(event)));
            }
            return sends.invoke(() -> {
                Instant now = Instant.now();
                published.increment(events.size());
                events.forEach(event -> delay.record(Duration.between(event.occurredAt(), now)));
            });
        }).chain(count -> {
            if (count == batchSize) {
                return drain();
            }
            caughtUp.set(System.nanoTime());
            return Uni.createFrom().item(count);
        });
    }
}
