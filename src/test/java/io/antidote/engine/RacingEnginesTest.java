package io.antidote.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.antidote.store.HashChain;
import io.antidote.store.InMemoryEventStore;
import io.antidote.store.StoredEvent;
import io.antidote.workflow.CommandRejected;
import io.antidote.workflow.RunCommand;
import io.antidote.workflow.RunDecider;
import io.antidote.workflow.RunEvent;
import io.antidote.workflow.RunState;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Two engines (two replicas, say) deciding on the same runs at the same time, with nothing between them
 * but the store's expected-version check: the loser of each race reloads and decides again. Whatever
 * the interleaving, every stream must come out gap-free and chained, and every step attempt must end
 * with exactly one outcome.
 *
 * <p>On the in-memory store: what is tested is the engine's retry loop and the decider's refusal of late
 * outcomes. That PostgreSQL keeps the store's side of the bargain under racing writers is {@code
 * EventStoreContract}'s to show (run by {@code PostgresEventStoreTest}), and that it writes the run list
 * with each append is {@code RunListProjectionTest}'s.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RacingEnginesTest {

    static final int RUNS = 30;

    final InMemoryEventStore store = new InMemoryEventStore();

    final EventCodec codec = new EventCodec(new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS));

    @Test
    void two_engines_driving_the_same_runs_leave_gap_free_chained_streams_with_one_outcome_per_attempt()
            throws Exception {
        RunCommands first = new RunCommands(store, codec);
        RunCommands second = new RunCommands(store, codec);
        RandomRuns setup = new RandomRuns(31L, Instant.parse("2021-03-04T00:00:00Z"));
        List<UUID> runs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            // Targets no other test's runs hold: a target held by a run left unfinished elsewhere would keep
            // these runs waiting (the store enforces one run per target), and this loop would never end.
            var request = setup.request("INC-RACE", "race-ex");
            await(() -> first.decideAndAppend(request.runId(), state -> request));
            runs.add(request.runId());
        }

        AtomicInteger rejected = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService engines = Executors.newFixedThreadPool(2);
        try {
            Future<?> a = engines.submit(() -> drive(first, runs, new RandomRuns(1L, Instant.parse("2021-03-05T00:00:00Z")),
                    start, rejected));
            Future<?> b = engines.submit(() -> drive(second, runs, new RandomRuns(2L, Instant.parse("2021-03-05T00:00:00Z")),
                    start, rejected));
            a.get(3, TimeUnit.MINUTES);
            b.get(3, TimeUnit.MINUTES);
        } finally {
            engines.shutdownNow();
        }

        System.out.printf("Racing engines: %d appends lost a race and were decided again, %d late outcomes rejected%n",
                first.conflictsRetried() + second.conflictsRetried(), rejected.get());
        assertThat(first.conflictsRetried() + second.conflictsRetried())
                .as("appends that lost a race and were decided again (none means the engines never raced)")
                .isPositive();
        for (UUID run : runs) {
            List<StoredEvent> stored = await(() -> store.load(run));
            assertThat(stored).extracting(StoredEvent::seq).as("seqs of run %s", run)
                    .containsExactlyElementsOf(seqs(stored.size()));
            assertThat(HashChain.verify(stored)).as("first broken link of run %s", run).isEmpty();

            List<RunEvent> events = codec.decodeAll(stored);
            RunState state = RunDecider.fold(events);
            assertThat(RunDecider.isTerminal(state)).as("run %s ended (it is %s)", run, state.status()).isTrue();
            Map<String, Integer> outcomes = new HashMap<>();
            for (RunEvent e : events) {
                if (e instanceof RunEvent.StepStarted s) {
                    outcomes.putIfAbsent(attempt(s), 0);
                } else if (e instanceof RunEvent.StepSucceeded || e instanceof RunEvent.StepFailed) {
                    outcomes.merge(attempt((RunEvent.OfStep) e), 1, Integer::sum);
                }
            }
            assertThat(outcomes).as("outcomes per step attempt of run %s", run).isNotEmpty()
                    .allSatisfy((attempt, count) -> assertThat(count).as("outcomes of %s", attempt).isEqualTo(1));
            assertThat(store.summary(run)).as("run list row of run %s after the race", run)
                    .hasValue(RunListProjection.of(state, events.get(events.size() - 1).at()));
        }
    }

    /**
     * One engine's loop: look at the run, pick the command that applies now (the outcome of the running
     * attempt, or advance) and send it. The outcome is fixed to the attempt this engine saw, as a real
     * engine's is; if the other engine recorded that attempt first, the decider rejects the late one.
     */
    private void drive(RunCommands engine, List<UUID> runs, RandomRuns random, CyclicBarrier start,
                       AtomicInteger rejected) {
        try {
            start.await(1, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("the other engine never started", e);
        }
        for (UUID run : runs) {
            while (true) {
                RunState seen = RunDecider.fold(codec.decodeAll(await(() -> store.load(run))));
                if (RunDecider.isTerminal(seen)) {
                    break;
                }
                Optional<RunCommand.RecordOutcome> outcome = random.outcomeFor(seen);
                RunCommand command = outcome.isPresent() ? outcome.get() : new RunCommand.Advance(random.tick());
                try {
                    await(() -> engine.decideAndAppend(run, fresh -> command));
                } catch (CommandRejected late) {
                    rejected.incrementAndGet();
                }
            }
        }
    }

    private static String attempt(RunEvent.OfStep e) {
        return e.target() + "/" + e.step() + "#" + e.attempt();
    }

    /** The in-memory store answers on the calling thread; no Vert.x context is needed. */
    private static <T> T await(Supplier<Uni<T>> work) {
        return work.get().await().indefinitely();
    }

    private static List<Long> seqs(int n) {
        List<Long> seqs = new ArrayList<>();
        for (long i = 1; i <= n; i++) {
            seqs.add(i);
        }
        return seqs;
    }
}
