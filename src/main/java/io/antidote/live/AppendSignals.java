package io.antidote.live;

import io.antidote.store.ListeningConnection;
import io.antidote.store.ListeningDatasource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
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

    private final Vertx vertx;
    private final ListeningDatasource datasource;
    private final Map<UUID, Set<Runnable>> runWatchers = new ConcurrentHashMap<>();
    private final Set<Consumer<String>> listWatchers = ConcurrentHashMap.newKeySet();
    private volatile ListeningConnection connection;

    AppendSignals(Vertx vertx, ListeningDatasource datasource) {
        this.vertx = vertx;
        this.datasource = datasource;
    }

    void start(@Observes StartupEvent start) {
        ListeningConnection listening = new ListeningConnection(vertx, datasource, "live streams")
                .channel(RUN_EVENT, this::runAppended)
                .channel(RUN_LIST, payload -> listWatchers.forEach(w -> w.accept(payload)));
        connection = listening;
        listening.open();
    }

    void stop(@Observes ShutdownEvent stop) {
        ListeningConnection listening = connection;
        connection = null;
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

    /** null: the connection came back and appends may have been missed, so every watcher looks. */
    private void runAppended(String payload) {
        if (payload == null) {
            wakeEveryone();
            return;
        }
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
