package io.antidote.live;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Vertx;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * One subscriber's side of a live stream: a bounded queue between whatever fills it (the store, read on a
 * signal) and the connection, which takes an item only when the previous one was written out. Nothing that
 * appends ever waits here: a signal only marks the stream to be read again. A subscriber that has had
 * something waiting and taken nothing for the stall limit, or whose queue would overflow, has its connection
 * closed. Every method may be called from any thread; the state is guarded by the instance.
 */
abstract class LiveStream<T> {

    private static final Logger LOG = Logger.getLogger(LiveStream.class);

    protected final Sse sse;
    private final Vertx vertx;
    private final LiveConfig config;
    private final Runnable closeConnection;
    private final Deque<T> pending = new ArrayDeque<>();
    private MultiEmitter<? super OutboundSseEvent> emitter;
    private long timer = -1;
    private long waitingSince = -1;
    private long lastSent;
    private boolean draining;
    private boolean drainAgain;
    private boolean finishing;
    private boolean over;
    private boolean endedOnce;

    LiveStream(Sse sse, Vertx vertx, LiveConfig config, Runnable closeConnection) {
        this.sse = sse;
        this.vertx = vertx;
        this.config = config;
        this.closeConnection = closeConnection;
    }

    final Multi<OutboundSseEvent> open() {
        return Multi.createFrom().<OutboundSseEvent>emitter(e -> {
            synchronized (this) {
                emitter = e;
                lastSent = System.nanoTime();
            }
            e.onTermination(this::end);
            e.onRequest(n -> drain());
            long tick = Math.max(50, Math.min(config.heartbeatInterval().toMillis(), config.stallLimit().toMillis()) / 4);
            synchronized (this) {
                timer = vertx.setPeriodic(tick, id -> tick());
            }
            // A comment first, so that the client has the response's head at once, not at the first event.
            offerComment("stream open");
            started();
        }, BackPressureStrategy.ERROR);
    }

    /** Called once the stream is open: register for signals, read what is already there. */
    protected abstract void started();

    /** Called on every tick of the stream's timer: a chance to read again (a signal may have been missed). */
    protected void ticked() {
    }

    /** Called when the stream ended, whichever way: unregister. */
    protected abstract void ended();

    protected abstract OutboundSseEvent toSse(T item);

    /** Called after the connection took items: there may be room to read more. */
    protected void taken() {
    }

    /** How many more items the queue takes now. */
    protected final synchronized int room() {
        return config.buffer() - pending.size();
    }

    protected final synchronized boolean isOver() {
        return over;
    }

    /** Queues items for the connection; more than there is room for drops the subscriber. */
    protected final void offer(List<T> items) {
        synchronized (this) {
            if (over) {
                return;
            }
            if (items.size() > config.buffer() - pending.size()) {
                drop("its buffer of " + config.buffer() + " is full");
                return;
            }
            pending.addAll(items);
        }
        drain();
    }

    /** The stream ends once everything queued has been taken. */
    protected final void finish() {
        synchronized (this) {
            finishing = true;
        }
        drain();
    }

    private final Deque<OutboundSseEvent> comments = new ArrayDeque<>();

    private void offerComment(String text) {
        synchronized (this) {
            comments.add(sse.newEventBuilder().comment(text).build());
        }
        drain();
    }

    private void drain() {
        MultiEmitter<? super OutboundSseEvent> out;
        synchronized (this) {
            if (draining) {
                drainAgain = true;
                return;
            }
            draining = true;
            out = emitter;
        }
        boolean complete = false;
        boolean emitted = false;
        try {
            while (true) {
                OutboundSseEvent next;
                synchronized (this) {
                    drainAgain = false;
                    if (over || out == null) {
                        return;
                    }
                    if (out.requested() > 0 && (!comments.isEmpty() || !pending.isEmpty())) {
                        next = !comments.isEmpty() ? comments.poll() : toSse(pending.poll());
                        lastSent = System.nanoTime();
                        waitingSince = -1;
                    } else {
                        waitingSince = pending.isEmpty() ? -1 : waitingSince < 0 ? System.nanoTime() : waitingSince;
                        if (finishing && pending.isEmpty() && comments.isEmpty()) {
                            over = true;
                            complete = true;
                        }
                        if (!drainAgain) {
                            return;
                        }
                        continue;
                    }
                }
                out.emit(next);
                emitted = true;
            }
        } finally {
            synchronized (this) {
                draining = false;
            }
            if (complete) {
                out.complete();
            } else if (emitted) {
                taken();
            }
        }
    }

    private void tick() {
        boolean heartbeat;
        synchronized (this) {
            if (over) {
                return;
            }
            long now = System.nanoTime();
            if (waitingSince >= 0 && now - waitingSince > config.stallLimit().toNanos()) {
                drop("it took nothing for " + config.stallLimit().toMillis() + " ms with events waiting");
                return;
            }
            heartbeat = pending.isEmpty() && comments.isEmpty()
                    && now - lastSent >= config.heartbeatInterval().toNanos();
            if (heartbeat) {
                lastSent = now;
            }
        }
        if (heartbeat) {
            offerComment("heartbeat");
        }
        ticked();
    }

    /** Closes the connection of a subscriber that does not keep up; called holding the lock. */
    private void drop(String why) {
        over = true;
        pending.clear();
        LOG.infof("live stream: dropping a subscriber: %s", why);
        closeConnection.run();
        vertx.runOnContext(v -> end());
    }

    private void end() {
        long id;
        synchronized (this) {
            if (endedOnce) {
                return;
            }
            endedOnce = true;
            over = true;
            pending.clear();
            id = timer;
            timer = -1;
        }
        if (id >= 0) {
            vertx.cancelTimer(id);
        }
        ended();
    }
}
