package io.antidote.engine;

import static io.antidote.engine.RandomRuns.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.antidote.store.EventStore;
import io.antidote.store.RunSummaries;
import io.antidote.store.RunSummary;
import io.antidote.workflow.RunDecider;
import io.antidote.workflow.RunEvent;
import io.antidote.workflow.RunState;
import io.antidote.workflow.RunStatus;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The run list is derived data: the row written with each append must be exactly what a rebuild from
 * the events gives, for any valid history, or the list and the history would tell different stories.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RunListProjectionTest {

    static final int RUNS = 200;

    @Inject
    RunCommands commands;

    @Inject
    ProjectionRebuilder rebuilder;

    @Inject
    RunSummaries runList;

    @Inject
    EventStore store;

    @Inject
    EventCodec codec;

    @Inject
    Mutiny.SessionFactory sessionFactory;

    @Test
    void rebuilding_from_the_events_of_many_generated_runs_gives_exactly_the_rows_written_with_each_append() {
        RandomRuns random = new RandomRuns(20210302L, Instant.parse("2021-03-02T00:00:00Z"));
        Map<UUID, RunSummary> expected = new HashMap<>();
        for (int i = 0; i < RUNS; i++) {
            RunState state = RunState.NONE;
            // Targets of its own: these runs are appended directly, not through the engine's busy check,
            // and the store refuses a second run on a target another run still holds.
            var request = random.request("INC-PROJ", "run" + i + "-ex");
            List<RunEvent> events = RunDecider.decide(request, state);
            RunState before = state;
            state = await(() -> commands.append(before, events)).state();
            Instant lastAt = events.get(events.size() - 1).at();
            // Each run stops at a random point: some stay PENDING or RUNNING, most finish.
            while (!RunDecider.isTerminal(state) && !random.chance(3)) {
                List<RunEvent> decided = RunDecider.decide(random.next(state), state);
                if (decided.isEmpty()) {
                    continue;
                }
                RunState current = state;
                state = await(() -> commands.append(current, decided)).state();
                lastAt = decided.get(decided.size() - 1).at();
            }
            expected.put(state.runId(), RunListProjection.of(state, lastAt));
        }

        List<RunSummary> stored = await(() -> runList.all());
        Map<UUID, RunSummary> storedById = stored.stream().collect(Collectors.toMap(RunSummary::runId, s -> s));
        for (RunSummary want : expected.values()) {
            assertThat(storedById.get(want.runId())).as("run list row written with the appends of run %s", want.runId())
                    .isEqualTo(want);
        }
        assertThat(expected.values()).extracting(RunSummary::status).as("statuses the generated runs reached")
                .contains(RunStatus.PENDING.name(), RunStatus.RUNNING.name(), RunStatus.SUCCEEDED.name(),
                        RunStatus.FAILED.name());

        // Spoil the list first, so that a rebuild that kept the old rows could not pass.
        await(() -> sessionFactory.withTransaction(s -> s
                .createNativeQuery("update run_summary set status = 'CANCELLED', targets = '{}'").executeUpdate()));
        int rebuilt = await(() -> rebuilder.rebuildRunList());

        assertThat(rebuilt).as("runs in the rebuilt list").isEqualTo(stored.size());
        assertThat(await(() -> runList.all())).as("run list rebuilt from the events").isEqualTo(stored);
    }

    @Test
    void a_row_is_never_replaced_by_one_that_folds_fewer_events() {
        RandomRuns random = new RandomRuns(7L, Instant.parse("2021-03-03T00:00:00Z"));
        var request = random.request("INC-STALE", "stale-ex");
        List<RunEvent> requested = RunDecider.decide(request, RunState.NONE);
        RunState pending = await(() -> commands.append(RunState.NONE, requested)).state();
        RunSummary stale = RunListProjection.of(pending, request.at());
        List<RunEvent> advanced = RunDecider.decide(random.next(pending), pending);
        RunState running = await(() -> commands.append(pending, advanced)).state();

        await(() -> runList.upsert(stale));

        RunSummary row = await(() -> runList.all()).stream().filter(s -> s.runId().equals(request.runId()))
                .findFirst().orElseThrow();
        assertThat(row.status()).as("status after a late write of an older state").isEqualTo("RUNNING");
        assertThat(row.lastSeq()).as("events folded into the row").isEqualTo(running.version());
    }
}
