package io.antidote.webhook;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A piece of work done in rounds, every interval, each on a fresh duplicated Vert.x context marked safe (the
 * store's sessions want one), never two rounds at once. A failing round is logged once when the failures
 * start and once when a round succeeds again, not once per interval for as long as the database is away.
 */
final class Rounds {

    private final Vertx vertx;
    private final Duration interval;
    private final String what;
    private final Supplier<Uni<?>> round;
    private final Logger log;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile boolean stopping;
    private volatile boolean failing;
    private long timer = -1;

    /** @param what the work, as log lines name it ("Webhook fan-out") */
    Rounds(Vertx vertx, Duration interval, String what, Supplier<Uni<?>> round, Logger log) {
        this.vertx = vertx;
        this.interval = interval;
        this.what = what;
        this.round = round;
        this.log = log;
    }

    void start() {
        timer = vertx.setPeriodic(interval.toMillis(), id -> once());
    }

    void stop() {
        stopping = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void once() {
        if (stopping || !busy.compareAndSet(false, true)) {
            return;
        }
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> Uni.createFrom().deferred(round).subscribe().with(
                done -> {
                    if (failing) {
                        log.infof("%s works again", what);
                        failing = false;
                    }
                    busy.set(false);
                },
                failure -> {
                    busy.set(false);
                    if (!stopping && !failing) {
                        failing = true;
                        log.warnf("%s paused, will try again every %s: %s: %s", what, interval,
                                failure.getClass().getSimpleName(), failure.getMessage());
                    }
                }));
    }
}
