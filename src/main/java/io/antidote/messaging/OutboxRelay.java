package io.antidote.messaging;

import io.antidote.store.Outbox;
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

import java.util.concurrent.atomic.AtomicBoolean;

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
    private long timer = -1;

    OutboxRelay(Outbox outbox, @Channel(Channels.RUN_EVENTS) MutinyEmitter<RunEventMessage> emitter, Vertx vertx,
                @ConfigProperty(name = "antidote.outbox.interval", defaultValue = "250") long intervalMillis,
                @ConfigProperty(name = "antidote.outbox.batch-size", defaultValue = "500") int batchSize) {
        this.outbox = outbox;
        this.emitter = emitter;
        this.vertx = vertx;
        this.intervalMillis = intervalMillis;
        this.batchSize = batchSize;
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
            return sends;
        }).chain(count -> count == batchSize ? drain() : Uni.createFrom().item(count));
    }
}
