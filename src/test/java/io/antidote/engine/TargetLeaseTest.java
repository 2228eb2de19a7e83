package io.antidote.engine;

import static io.antidote.engine.RandomRuns.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.antidote.store.EventStore;
import io.antidote.store.TargetLeases;
import io.antidote.workflow.FailureKind;
import io.antidote.workflow.RunCommand;
import io.antidote.workflow.RunCommand.Advance;
import io.antidote.workflow.RunCommand.RecordOutcome;
import io.antidote.workflow.RunCommand.Recover;
import io.antidote.workflow.RunCommand.RequestRun;
import io.antidote.workflow.RunDecider;
import io.antidote.workflow.RunEvent;
import io.antidote.workflow.RunPlan;
import io.antidote.workflow.RunState;
import io.antidote.workflow.StepOutcome;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * One run per target, held by the database ({@code target_lease}), not only by the engine's look at which
 * targets are busy: two engines that both believe a target is free (they were told nothing is busy) race
 * to start it for two runs, and only one run may start it; the other waits until it is let go.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TargetLeaseTest {

    static final Instant AT = Instant.parse("2021-03-06T00:00:00Z");
    static final int RACES = 12;

    @Inject
    EventStore store;

    @Inject
    EventCodec codec;

    @Inject
    TargetLeases leases;

    @Test
    void two_engines_starting_one_target_for_two_runs_start_it_once_and_the_loser_waits_until_it_is_let_go()
            throws Exception {
        RunCommands first = new RunCommands(store, codec);
        RunCommands second = new RunCommands(store, codec);
        ExecutorService engines = Executors.newFixedThreadPool(2);
        try {
            for (int race = 0; race < RACES; race++) {
                String target = "lease-" + UUID.randomUUID();
                UUID a = request(first, target);
                UUID b = request(second, target);
                CyclicBarrier start = new CyclicBarrier(2);
                // Both engines are told nothing is busy, as if each had looked before the other started it.
                Future<?> fa = engines.submit(() -> StoredRuns.advance(first, a, AT, start));
                Future<?> fb = engines.submit(() -> StoredRuns.advance(second, b, AT, start));
                fa.get(1, TimeUnit.MINUTES);
                fb.get(1, TimeUnit.MINUTES);

                boolean aWon = started(a, target);
                UUID winner = aWon ? a : b;
                UUID loser = aWon ? b : a;
                RunCommands winnerEngine = aWon ? first : second;
                RunCommands loserEngine = aWon ? second : first;
                assertThat(started(winner, target)).as("race %d: winner started %s", race, target).isTrue();
                assertThat(started(loser, target)).as("race %d: loser started %s too", race, target).isFalse();
                assertThat(types(loser)).as("race %d: the loser's events", race).contains("TargetWaiting")
                        .doesNotContain("StepStarted");
                assertThat(holder(target)).as("race %d: lease of %s", race, target).contains(winner);

                // The winner finishes the target: the lease goes with it, and the loser can start.
                await(() -> winnerEngine.decideAndAppend(winner, s -> new RecordOutcome(target, "step-1", 1,
                        new StepOutcome.Completed(0, "", "", List.of()), AT)));
                assertThat(types(winner)).as("race %d: winner's events", race).contains("TargetSucceeded", "RunSucceeded");
                assertThat(holder(target)).as("race %d: lease after the winner let %s go", race, target).isEmpty();
                await(() -> loserEngine.decideAndAppend(loser, s -> new Advance(AT, Set.of())));
                assertThat(started(loser, target)).as("race %d: loser started after the winner ended", race).isTrue();
                assertThat(holder(target)).as("race %d: lease after the loser started", race).contains(loser);
            }
        } finally {
            engines.shutdownNow();
        }
    }

    @Test
    void a_run_told_a_held_target_is_free_by_any_command_still_does_not_start_it() {
        RunCommands engine = new RunCommands(store, codec);
        String held = "lease-" + UUID.randomUUID();
        String other = "lease-" + UUID.randomUUID();
        UUID holderRun = request(engine, held);
        await(() -> engine.decideAndAppend(holderRun, s -> new Advance(AT, Set.of())));

        // Two targets one after the other (one at a time, the default): the second starts when the first's outcome is
        // recorded, a command that carries no busy targets at all.
        UUID run = UUID.randomUUID();
        RunPlan plan = new RunPlan("lease-test", "b".repeat(64), List.of(new RunPlan.PlannedStep("step-1")),
                List.of(other, held));
        await(() -> engine.decideAndAppend(run, s -> new RequestRun(run, plan, Map.of(), null, null, "alice", AT)));
        await(() -> engine.decideAndAppend(run, s -> new Advance(AT, Set.of())));
        await(() -> engine.decideAndAppend(run, s -> new RecordOutcome(other, "step-1", 1,
                new StepOutcome.Completed(0, "", "", List.of()), AT)));

        assertThat(started(run, held)).as("second target, held by another run, started").isFalse();
        assertThat(types(run)).as("events of the run").contains("TargetSucceeded", "TargetWaiting");
        assertThat(holder(held)).as("lease of the held target").contains(holderRun);
        assertThat(holder(other)).as("lease of the target the run finished").isEmpty();
    }

    @Test
    void a_run_recovered_after_a_crash_keeps_its_target_until_it_ends_it() {
        RunCommands beforeCrash = new RunCommands(store, codec);
        String target = "lease-" + UUID.randomUUID();
        UUID run = UUID.randomUUID();
        // A read-only step: recovery runs the lost attempt again, so the run goes on holding its target.
        RunPlan plan = new RunPlan("lease-test", "c".repeat(64), List.of(new RunPlan.PlannedStep("step-1",
                RunPlan.Retry.NONE, 0, null, null, false, false, false, null, false, Set.of(), true)), List.of(target));
        await(() -> beforeCrash.decideAndAppend(run, s -> new RequestRun(run, plan, Map.of(), null, null, "alice", AT)));
        await(() -> beforeCrash.decideAndAppend(run, s -> new Advance(AT, Set.of())));

        // A new process, nothing in memory: the lease is still the crashed run's, and recovery keeps it.
        RunCommands afterCrash = new RunCommands(store, codec);
        assertThat(holder(target)).as("lease after the crash").contains(run);
        await(() -> afterCrash.decideAndAppend(run, s -> new Recover(AT, Set.of())));
        assertThat(types(run)).as("events of the recovered run").contains("StepInterrupted")
                .doesNotContain("TargetSucceeded", "TargetFailed");
        assertThat(holder(target)).as("lease after recovery").contains(run);

        UUID second = request(afterCrash, target);
        await(() -> afterCrash.decideAndAppend(second, s -> new Advance(AT, Set.of())));
        assertThat(started(second, target)).as("a second run started the recovered run's target").isFalse();

        // Ending the run (cancelled, its running attempt interrupted) lets the target go.
        await(() -> afterCrash.decideAndAppend(run, s -> new RunCommand.Cancel(RunCommand.CancelMode.INTERRUPT,
                "alice", AT)));
        // What the engine does on an interrupting cancel: the attempt in flight is recorded as cancelled.
        await(() -> afterCrash.decideAndAppend(run, s -> new RecordOutcome(target, "step-1",
                s.target(target).orElseThrow().step("step-1").orElseThrow().attempts(),
                new StepOutcome.Errored(FailureKind.CANCELLED, "interrupted"), AT)));
        assertThat(types(run)).as("events of the cancelled run").contains("TargetCancelled");
        assertThat(holder(target)).as("lease after the recovered run was cancelled").isEmpty();
    }

    @Test
    void a_run_looks_only_at_the_leases_on_its_own_targets() {
        RunCommands engine = new RunCommands(store, codec);
        String mine = "lease-" + UUID.randomUUID();
        String elsewhere = "lease-" + UUID.randomUUID();
        UUID holdsMine = request(engine, mine);
        UUID holdsElsewhere = request(engine, elsewhere);
        await(() -> engine.decideAndAppend(holdsMine, s -> new Advance(AT, Set.of())));
        await(() -> engine.decideAndAppend(holdsElsewhere, s -> new Advance(AT, Set.of())));
        UUID run = request(engine, mine);

        assertThat(await(() -> leases.heldAgainst(run))).as("held targets this run would start")
                .containsExactly(mine);
        assertThat(await(() -> leases.heldAgainst(holdsMine))).as("its own lease is not busy for the holder")
                .isEmpty();
        assertThat(await(() -> leases.held(List.of(mine, elsewhere, "lease-free"))))
                .as("which of these targets any run holds").containsExactlyInAnyOrder(mine, elsewhere);
    }

    private UUID request(RunCommands engine, String target) {
        UUID run = UUID.randomUUID();
        RunPlan plan = new RunPlan("lease-test", "a".repeat(64), List.of(new RunPlan.PlannedStep("step-1")),
                List.of(target));
        await(() -> engine.decideAndAppend(run, s -> new RequestRun(run, plan, Map.of(), null, null, "alice", AT)));
        return run;
    }

    private boolean started(UUID run, String target) {
        return new StoredRuns(store, codec).started(run, target);
    }

    private List<String> types(UUID run) {
        return new StoredRuns(store, codec).types(run);
    }

    private Optional<UUID> holder(String target) {
        return await(() -> leases.holder(target));
    }
}
