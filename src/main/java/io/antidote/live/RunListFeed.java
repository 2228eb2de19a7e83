package io.antidote.live;

import io.antidote.store.RunSummaries;
import io.antidote.store.RunSummary;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The run list's changes for this replica's subscribers: one read of the changed row per signal, however many
 * watch, handed to each. Signals are read one after the other, so each subscriber sees a run's changes in the
 * order the database signalled them.
 */
@ApplicationScoped
class RunListFeed {

    private static final Logger LOG = Logger.getLogger(RunListFeed.class);

    private final AppendSignals signals;
    private final RunSummaries runList;
    private final Set<Consumer<RunListFollower.Change>> watchers = ConcurrentHashMap.newKeySet();
    private final Queue<String> signalled = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean reading = new AtomicBoolean();
    private Runnable unwatchSignals;

    RunListFeed(AppendSignals signals, RunSummaries runList) {
        this.signals = signals;
        this.runList = runList;
    }

    synchronized Runnable watch(Consumer<RunListFollower.Change> watcher) {
        watchers.add(watcher);
        if (unwatchSignals == null) {
            unwatchSignals = signals.watchRunList(this::signalled);
        }
        return () -> {
            synchronized (this) {
                watchers.remove(watcher);
                if (watchers.isEmpty() && unwatchSignals != null) {
                    unwatchSignals.run();
                    unwatchSignals = null;
                }
            }
        };
    }

    private void signalled(String payload) {
        if (payload == null) {
            return;  // signals may have been missed: the list itself is one GET away
        }
        signalled.add(payload);
        readNext();
    }

    private void readNext() {
        if (!reading.compareAndSet(false, true)) {
            return;
        }
        String payload = signalled.poll();
        if (payload == null) {
            reading.set(false);
            if (!signalled.isEmpty()) {
                readNext();
            }
            return;
        }
        String[] words = payload.split(" ", 2);
        Uni<RunSummary> row;
        try {
            UUID runId = UUID.fromString(words[0]);
            row = Uni.createFrom().deferred(() -> runList.get(runId));
        } catch (IllegalArgumentException e) {
            row = Uni.createFrom().nullItem();  // not one of ours: anybody may NOTIFY a channel
        }
        String kind = words.length > 1 ? words[1] : "status";
        row.subscribe().with(summary -> {
            if (summary != null) {
                RunListFollower.Change change = new RunListFollower.Change(kind, summary);
                watchers.forEach(w -> w.accept(change));
            }
            reading.set(false);
            readNext();
        }, failure -> {
            LOG.warnf("live run list: reading run %s failed: %s", words[0], failure.getMessage());
            reading.set(false);
            readNext();
        });
    }
}
