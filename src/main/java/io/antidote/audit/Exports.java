package io.antidote.audit;


import io.antidote.store.Checkpoints;
import io.antidote.store.ExportLines;
import io.antidote.store.PostgresEventStore;
import io.antidote.store.RunQueries;
import io.antidote.store.StoredEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/**
 * Audit exports as JSON Lines, read page by page and streamed as they are read: every event of a run in
 * canonical form, then the run's checkpoints (docs/event-store.md, "Export"). Nothing is held whole in
 * memory, and nothing blocks: the pages are reactive reads.
 */
@ApplicationScoped
public class Exports {

    static final int PAGE = 500;

    private final PostgresEventStore store;
    private final Checkpoints checkpoints;
    private final RunQueries runs;

    Exports(PostgresEventStore store, Checkpoints checkpoints, RunQueries runs) {
        this.store = store;
        this.checkpoints = checkpoints;
        this.runs = runs;
    }

    /** The run's lines (each ends with a newline). */
    public Multi<String> run(UUID runId) {
        Multi<String> events = Multi.createBy().repeating()
                .uni(() -> new long[] {0}, after -> store.page(runId, after[0], PAGE).invoke(page -> {
                    if (!page.isEmpty()) {
                        after[0] = page.get(page.size() - 1).seq();
                    }
                }))
                .whilst(page -> page.size() == PAGE)
                .onItem().transformToIterable(page -> page.stream().map(Exports::line).toList());
        Multi<String> heads = checkpoints.forRun(runId).onItem()
                .transformToMulti(found -> Multi.createFrom().iterable(found))
                .map(head -> head.exportLine() + "\n");
        return Multi.createBy().concatenating().streams(events, heads);
    }

    /** Every run whose first event occurred in [from, to), whole, run after run in order of their start. */
    public Multi<String> between(Instant from, Instant to) {
        return Multi.createBy().repeating()
                .uni(() -> new UUID[1], after -> runs.runsStartedBetween(from, to, after[0], PAGE).invoke(page -> {
                    if (!page.isEmpty()) {
                        after[0] = page.get(page.size() - 1);
                    }
                }))
                .whilst(page -> page.size() == PAGE)
                .onItem().transformToIterable(page -> page)
                .onItem().transformToMultiAndConcatenate(this::run);
    }

    /** Whether the run has any event. */
    public Uni<Boolean> exists(UUID runId) {
        return store.page(runId, 0, 1).map(page -> !page.isEmpty());
    }

    private static String line(StoredEvent event) {
        return ExportLines.of(event) + "\n";
    }

}
