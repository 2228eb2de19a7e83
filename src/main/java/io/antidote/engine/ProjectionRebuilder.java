package io.antidote.engine;

import io.antidote.store.EventStore;
import io.antidote.store.RunQueries;
import io.antidote.store.RunSummaries;
import io.antidote.workflow.RunDecider;
import io.antidote.workflow.RunEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.List;
import java.util.Set;

/**
 * Throws the run list away and derives it again from every run's events: after a change to the
 * projection, or to prove that the stored rows are exactly what the history says.
 *
 * <p>One transaction: readers see the old list until the new one commits, and the truncate's lock
 * holds back concurrent appends (whose own row update then lands on top of the rebuilt one, and wins
 * only if it folds more events).
 */
@ApplicationScoped
public class ProjectionRebuilder {

    private final Mutiny.SessionFactory sessionFactory;
    private final EventStore store;
    private final RunQueries queries;
    private final EventCodec codec;
    private final RunSummaries runList;

    ProjectionRebuilder(Mutiny.SessionFactory sessionFactory, EventStore store, RunQueries queries, EventCodec codec,
                        RunSummaries runList) {
        this.sessionFactory = sessionFactory;
        this.store = store;
        this.queries = queries;
        this.codec = codec;
        this.runList = runList;
    }

    /** Rebuilds the run list; answers how many runs it holds afterwards. Call on a Vert.x context. */
    public Uni<Integer> rebuildRunList() {
        return sessionFactory.withTransaction(session -> runList.clear(session)
                .chain(() -> queries.runsWithout(Set.of()))
                // Runs one after the other: store calls join this transaction's single session.
                .chain(runs -> Multi.createFrom().iterable(runs)
                        .onItem().transformToUniAndConcatenate(runId -> store.load(runId).chain(stored -> {
                            List<RunEvent> events = codec.decodeAll(stored);
                            RunEvent last = events.get(events.size() - 1);
                            return runList.upsert(session, RunListProjection.of(RunDecider.fold(events), last.at()));
                        }))
                        .collect().last()
                        .replaceWith(runs::size)));
    }
}
