package io.antidote.engine;

import static io.antidote.engine.RandomRuns.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.antidote.store.EventStore;
import io.antidote.store.RunQueries;
import io.antidote.store.TargetLeases;
import io.antidote.workflow.FailureKind;
import io.antidote.workflow.RunCommand;
import io.antidote.workflow.RunCommand.Advance;
import io.antidote.workflow.RunCommand.RecordOutcome;
import io.antidote.workflow.RunCommand.Recover;
import io.antidote.workflow.RunCommand.RequestRun;
import io.antidote.workflow.RunEvent;
import io.antidote.workflow.RunPlan;
import io.antidote.workflow.StepOutcome;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
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
 * Issue 12, point 5, in the store: members of one group (a DAG) are never started together by two runs, because
 * the database holds the group ({@code group_lease}) from a member's start to its end, as it holds a target. Two
 * engines that both believe they may start their member race, one wins, the other records waiting and starts
 * once the winner's member ended; a crash keeps the group with the run, and any end of the target lets it go.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GroupLeaseTest {

    static final Instant AT = Instant.parse("2021-03-06T00:00:00Z");
    static final int RACES = 8;

    @Inject
    EventStore store;

    @Inject
    EventCodec codec;

    @Inject
    TargetLeases leases;

    @Inject
    RunQueries queries;

    @Inject
    Pool pool;

    @Test
    void the_database_refuses_a_second_holder_of_a_group() {
        String group = "dag=" + UUID.randomUUID();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        String insert = "insert into group_lease (group_name, run_id, target) values ($1, $2, $3)";
        await(() -> pool.preparedQuery(insert).execute(Tuple.of(group, first, "ex01")));

        assertThatThrownBy(() -> await(() -> pool.preparedQuery(insert).execute(Tuple.of(group, second, "ex02"))))
                .as("a second run holding the same group")
                .hasMessageContaining("group_lease_pkey");
        assertThatThrownBy(() -> await(() -> pool.preparedQuery(insert).execute(Tuple.of(group, first, "ex02"))))
                .as("the same run holding it through a second member")
                .hasMessageContaining("group_lease_pkey");
        assertThat(await(() -> leases.groupHolder(group))).contains(new TargetLeases.GroupHolder(first, "ex01"));
        await(() -> pool.preparedQuery("delete from group_lease where group_name = $1").execute(Tuple.of(group)));
    }

    @Test
    void two_engines_starting_two_members_of_one_dag_for_two_runs_start_one_and_the_other_waits_until_it_ended()
            throws Exception {
        RunCommands first = new RunCommands(store, codec);
        RunCommands second = new RunCommands(store, codec);
        ExecutorService engines = Executors.newFixedThreadPool(2);
        try {
            for (int race = 0; race < RACES; race++) {
                String group = "dag=DAG-" + UUID.randomUUID();
                String ex01 = "member-" + UUID.randomUUID();
                String ex02 = "member-" + UUID.randomUUID();
                UUID a = request(first, ex01, group);
                UUID b = request(second, ex02, group);
                CyclicBarrier start = new CyclicBarrier(2);
                // Both engines are told nothing is busy, as if each had looked before the other started its member.
                Future<?> fa = engines.submit(() -> StoredRuns.advance(first, a, AT, start));
                Future<?> fb = engines.submit(() -> StoredRuns.advance(second, b, AT, start));
                fa.get(1, TimeUnit.MINUTES);
                fb.get(1, TimeUnit.MINUTES);

                boolean aWon = started(a, ex01);
                UUID winner = aWon ? a : b;
                UUID loser = aWon ? b : a;
                String winnerTarget = aWon ? ex01 : ex02;
                String loserTarget = aWon ? ex02 : ex01;
                RunCommands winnerEngine = aWon ? first : second;
                RunCommands loserEngine = aWon ? second : first;
                assertThat(started(winner, winnerTarget)).as("race %d: the winner started its member", race).isTrue();
                assertThat(started(loser, loserTarget)).as("race %d: the loser started its member too", race).isFalse();
                // The reason names the member and the run that hold the group (issue 12 pt 5).
                assertThat(waitingReason(loser)).as("race %d: why the loser waits", race)
                        .contains("another run holds a member of its group '" + group + "': '" + winnerTarget
                                + "' in run " + winner);
                assertThat(await(() -> leases.groupHolder(group))).as("race %d: holder of %s", race, group)
                        .contains(new TargetLeases.GroupHolder(winner, winnerTarget));
                assertThat(await(() -> leases.heldAgainst(loser))).as("race %d: busy for the loser", race)
                        .containsExactly(group);
                assertThat(await(() -> queries.runsWaitingFor(Set.of(winnerTarget), Set.of(group))))
                        .as("race %d: runs woken when the winner's member ends", race).contains(loser);
                assertThat(await(() -> queries.runsWaitingForFreeTargets(Set.of(loser))))
                        .as("race %d: the loser's member is free, its group is not", race).isEmpty();

                // The winner's member ends: the group goes with it, and the loser starts its own.
                await(() -> winnerEngine.decideAndAppend(winner, s -> new RecordOutcome(winnerTarget, "step-1", 1,
                        new StepOutcome.Completed(0, "", "", List.of()), AT)));
                assertThat(await(() -> leases.groupHolder(group))).as("race %d: group after the winner ended", race)
                        .isEmpty();
                assertThat(await(() -> queries.runsWaitingForFreeTargets(Set.of(loser))))
                        .as("race %d: the loser found by a heartbeat's look", race).containsExactly(loser);
                assertThat(await(() -> leases.free(loser, loserTarget, group))).isTrue();
                await(() -> loserEngine.decideAndAppend(loser, s -> new Advance(AT, Set.of())));
                assertThat(started(loser, loserTarget)).as("race %d: the loser started after the winner ended", race)
                        .isTrue();
                assertThat(await(() -> leases.groupHolder(group))).as("race %d: group after the loser started", race)
                        .contains(new TargetLeases.GroupHolder(loser, loserTarget));
                await(() -> loserEngine.decideAndAppend(loser, s -> new RecordOutcome(loserTarget, "step-1", 1,
                        new StepOutcome.Completed(0, "", "", List.of()), AT)));
                assertThat(await(() -> leases.groupHolder(group))).as("race %d: group at the end", race).isEmpty();
            }
        } finally {
            engines.shutdownNow();
        }
    }

    @Test
    void a_member_of_another_group_or_of_none_is_not_held_back() {
        RunCommands engine = new RunCommands(store, codec);
        String group = "dag=DAG-" + UUID.randomUUID();
        UUID holder = request(engine, "member-" + UUID.randomUUID(), group);
        await(() -> engine.decideAndAppend(holder, s -> new Advance(AT, Set.of())));

        String other = "member-" + UUID.randomUUID();
        UUID elsewhere = request(engine, other, "dag=DAG-" + UUID.randomUUID());
        String loner = "member-" + UUID.randomUUID();
        UUID alone = request(engine, loner, null);
        await(() -> engine.decideAndAppend(elsewhere, s -> new Advance(AT, Set.of())));
        await(() -> engine.decideAndAppend(alone, s -> new Advance(AT, Set.of())));

        assertThat(started(elsewhere, other)).as("a member of another DAG").isTrue();
        assertThat(started(alone, loner)).as("a target in no DAG").isTrue();
        for (UUID run : List.of(holder, elsewhere, alone)) {
            await(() -> engine.decideAndAppend(run, s -> new RunCommand.Cancel(RunCommand.CancelMode.INTERRUPT,
                    "alice", AT)));
        }
    }

    @Test
    void a_crashed_run_keeps_its_group_and_lets_it_go_when_its_member_ends_by_a_cancel() {
        RunCommands beforeCrash = new RunCommands(store, codec);
        String group = "dag=DAG-" + UUID.randomUUID();
        String member = "member-" + UUID.randomUUID();
        UUID run = UUID.randomUUID();
        // A read-only step: recovery runs the lost attempt again, so the run goes on holding its member.
        RunPlan plan = new RunPlan("group-test", "c".repeat(64), List.of(new RunPlan.PlannedStep("step-1",
                RunPlan.Retry.NONE, 0, null, null, false, false, false, null, false, Set.of(), true)), List.of(member),
                RunPlan.Strategy.ONE_AT_A_TIME, Map.of(member, group));
        await(() -> beforeCrash.decideAndAppend(run, s -> new RequestRun(run, plan, Map.of(), null, null, "alice", AT)));
        await(() -> beforeCrash.decideAndAppend(run, s -> new Advance(AT, Set.of())));

        RunCommands afterCrash = new RunCommands(store, codec);
        await(() -> afterCrash.decideAndAppend(run, s -> new Recover(AT, Set.of())));
        assertThat(await(() -> leases.groupHolder(group))).as("group after recovery")
                .contains(new TargetLeases.GroupHolder(run, member));
        String sibling = "member-" + UUID.randomUUID();
        UUID second = request(afterCrash, sibling, group);
        await(() -> afterCrash.decideAndAppend(second, s -> new Advance(AT, Set.of())));
        assertThat(started(second, sibling)).as("another member started while the recovered run holds the DAG")
                .isFalse();

        await(() -> afterCrash.decideAndAppend(run, s -> new RunCommand.Cancel(RunCommand.CancelMode.INTERRUPT,
                "alice", AT)));
        await(() -> afterCrash.decideAndAppend(run, s -> new RecordOutcome(member, "step-1",
                s.target(member).orElseThrow().step("step-1").orElseThrow().attempts(),
                new StepOutcome.Errored(FailureKind.CANCELLED, "interrupted"), AT)));
        assertThat(new StoredRuns(store, codec).types(run)).contains("TargetCancelled");
        assertThat(await(() -> leases.groupHolder(group))).as("group after the member was cancelled").isEmpty();
        await(() -> afterCrash.decideAndAppend(second, s -> new Advance(AT, Set.of())));
        assertThat(started(second, sibling)).as("the other member once the group was let go").isTrue();
        await(() -> afterCrash.decideAndAppend(second, s -> new RunCommand.Cancel(RunCommand.CancelMode.INTERRUPT,
                "alice", AT)));
    }

    private UUID request(RunCommands engine, String target, String group) {
        UUID run = UUID.randomUUID();
        RunPlan plan = new RunPlan("group-test", "a".repeat(64), List.of(new RunPlan.PlannedStep("step-1")),
                List.of(target), RunPlan.Strategy.ONE_AT_A_TIME, group == null ? Map.of() : Map.of(target, group));
        await(() -> engine.decideAndAppend(run, s -> new RequestRun(run, plan, Map.of(), null, null, "alice", AT)));
        return run;
    }

    private boolean started(UUID run, String target) {
        return new StoredRuns(store, codec).started(run, target);
    }

    private Optional<String> waitingReason(UUID run) {
        return new StoredRuns(store, codec).events(run).stream().filter(e -> e instanceof RunEvent.TargetWaiting)
                .map(e -> ((RunEvent.TargetWaiting) e).reason()).findFirst();
    }
}
