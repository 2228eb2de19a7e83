package io.antidote.live;

import io.antidote.store.ListeningDatasource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * PostgreSQL's notifications of appends (V13__live_signals.sql) on one listening connection per replica,
 * handed to whoever watches a run or the run list. They are hints that something changed, sent after the
 * commit by whichever replica appended: watchers read what changed from the store. When the connection is
 * lost and comes back, every watcher is woken, as notifications sent in between are gone.
 */
@ApplicationScoped
public class AppendSignals {

    static final String RUN_EVENT = "antidote_run_event";
    static final String RUN_LIST = "antidote_run_list";
    private static final Logger LOG = Logger.getLogger(AppendSignals.class);
    private static final long RECONNECT_DELAY_MS = 1000;

    private final Vertx vertx;
    private final ListeningDatasource datasource;
    private final Map<UUID, Set<Runnable>> runWatchers = new ConcurrentHashMap<>();
    private final Set<Consumer<String>> listWatchers = ConcurrentHashMap.newKeySet();
    private volatile PgSubscriber subscriber;

    AppendSignals(Vertx vertx, ListeningDatasource datasource) {
        this.vertx = vertx;
        this.datasource = datasource;
    }

    void start(@Observes StartupEvent start) {
        PgSubscriber listening = PgSubscriber.subscriber(vertx, ListeningDatasource.connectOptions(datasource))
                // Always again: a database away for a while must not leave the streams deaf once it is back.
                .reconnectPolicy(retries -> RECONNECT_DELAY_MS);
        listening.channel(RUN_EVENT)
                .subscribeHandler(v -> wakeEveryone())
                .handler(this::runAppended);
        listening.channel(RUN_LIST)
                .subscribeHandler(v -> listWatchers.forEach(w -> w.accept(null)))
                .handler(payload -> listWatchers.forEach(w -> w.accept(payload)));
        subscriber = listening;
        listening.connect().onFailure(failure -> {
            // The reconnect policy covers a connection lost, not a first one refused: try again later.
            LOG.warnf("live streams: listening for appends failed (%s); trying again", failure.getMessage());
            listening.close();
            vertx.setTimer(RECONNECT_DELAY_MS, id -> {
                if (subscriber == listening) {
                    start(start);
                }
            });
        });
    }

    void stop(@Observes ShutdownEvent stop) {
        PgSubscriber listening = subscriber;
        subscriber = null;
        if (listening != null) {
            listening.close();
        }
    }

    /** {@code wake} runs (on an event loop; it must not block) after each append to the run commits. */
    public Runnable watchRun(UUID runId, Runnable wake) {
        runWatchers.computeIfAbsent(runId, id -> ConcurrentHashMap.newKeySet()).add(wake);
        return () -> runWatchers.computeIfPresent(runId, (id, watchers) -> {
            watchers.remove(wake);
            return watchers.isEmpty() ? null : watchers;
        });
    }

    /**
     * {@code changed} is told "{@code <run id> created}" or "{@code <run id> status}" after a run appears in the
     * run list or its status changes, and null when changes may have been missed.
     */
    public Runnable watchRunList(Consumer<String> changed) {
        listWatchers.add(changed);
        return () -> listWatchers.remove(changed);
    }

    private void runAppended(String payload) {
        UUID runId;
        try {
            runId = UUID.fromString(payload);
        } catch (IllegalArgumentException e) {
            return;  // not one of ours: anybody may NOTIFY a channel
        }
        Set<Runnable> watchers = runWatchers.get(runId);
        if (watchers != null) {
            watchers.forEach(AppendSignals::wake);
        }
    }

    /** One watcher's failure must not keep the others from their signal. */
    private static void wake(Runnable watcher) {
        try {
            watcher.run();
        } catch (RuntimeException e) {
            LOG.warnf(e, "live streams: a watcher failed on a signal");
        }
    }

    private void wakeEveryone() {
        runWatchers.values().forEach(watchers -> watchers.forEach(AppendSignals::wake));
    }
}
