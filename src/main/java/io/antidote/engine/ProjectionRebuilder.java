package io.antidote.engine;

import io.antidote.store.EventStore;
import io.antidote.store.RunQueries;
import io.antidote.store.RunSummaries;
import io.antidote.store.ServerHistory;
import io.antidote.workflow.RunDecider;
import io.antidote.workflow.RunEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Set;

/**
 * Throws a read model away (the run list, the servers' state) and derives it again from every run's events:
 * after a change to the projection, or to prove that the stored rows are exactly what the history says.
 *
 * <p>One transaction ({@link RunSummaries#replaceAll}): readers see the old list until the new one commits.
 */
@ApplicationScoped
public class ProjectionRebuilder {

    private final EventStore store;
    private final RunQueries queries;
    private final EventCodec codec;
    private final RunSummaries runList;
    private final ServerHistory servers;

    ProjectionRebuilder(EventStore store, RunQueries queries, EventCodec codec, RunSummaries runList,
                        ServerHistory servers) {
        this.servers = servers;
        this.store = store;
        this.queries = queries;
        this.codec = codec;
        this.runList = runList;
    }

    /** Rebuilds the run list; answers how many runs it holds afterwards. Call on a Vert.x context. */
    public Uni<Integer> rebuildRunList() {
        // Lazy: the runs are listed once the list is truncated, so that a run begun meanwhile is rebuilt too.
        return runList.replaceAll(queries.runsWithout(Set.of()).onItem().transformToMulti(Multi.createFrom()::iterable)
                // One run after the other: the rows go in on the rebuild's one connection.
                .onItem().transformToUniAndConcatenate(runId -> store.load(runId).map(stored -> {
                    List<RunEvent> events = codec.decodeAll(stored);
                    RunEvent last = events.get(events.size() - 1);
                    return RunListProjection.of(RunDecider.fold(events), last.at());
                })));
    }

    /**
     * Rebuilds the servers' state ({@code server_state}) with the very fold each append runs; answers how many
     * servers it holds.
     */
    public Uni<Integer> rebuildServers() {
        return servers.rebuild();
    }
}
