package io.antidote.engine;

import io.antidote.store.ChainBrokenException;
import io.antidote.store.ChainCheck;
import io.antidote.workflow.CommandRejected;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

/**
 * The per-run writer on its own, with work that stands in for a store: one piece of a run at a time,
 * outcomes first, work the engine owes a run kept and tried again while the store fails, a person's
 * command failed back at once. The end-to-end proofs are {@code api.FleetRunTest} and
 * {@code api.DatabaseOutageTest}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RunWritersTest {

    private final Vertx vertx = Vertx.vertx();
    private final RunWriters writers = new RunWriters(vertx);
    private final UUID run = UUID.randomUUID();

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void pieces_of_one_run_never_overlap_and_keep_their_order() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicBoolean overlapped = new AtomicBoolean();
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Integer>> done = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            done.add(writers.write(run, RunWriters.Kind.OUTCOME, () -> {
                if (running.incrementAndGet() > 1) {
                    overlapped.set(true);
                }
                return Uni.createFrom().item(n).onItem().delayIt().by(Duration.ofMillis(2))
                        .invoke(() -> {
                            order.add(n);
                            running.decrementAndGet();
                        });
            }).subscribeAsCompletionStage());
        }
        for (CompletableFuture<Integer> f : done) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertThat(overlapped).as("two pieces of one run carried out at once").isFalse();
        assertThat(order).as("order in which the pieces were carried out")
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).boxed().toList());
    }

    @Test
    void an_outcome_the_store_refuses_is_kept_and_stored_when_the_store_is_back_and_goes_before_an_earlier_advance()
            throws Exception {
        AtomicBoolean storeUp = new AtomicBoolean(false);
        List<String> stored = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger advanceTries = new AtomicInteger();
        CompletableFuture<String> advance = writers.write(run, RunWriters.Kind.ADVANCE,
                counted(advanceTries, store(storeUp, stored, "advance"))).subscribeAsCompletionStage();
        // The advance has met the dead store and waits for its retry when the outcome arrives.
        await().atMost(Duration.ofSeconds(10)).untilAtomic(advanceTries, greaterThanOrEqualTo(1));
        AtomicInteger outcomeTries = new AtomicInteger();
        CompletableFuture<String> outcome = writers.write(run, RunWriters.Kind.OUTCOME,
                counted(outcomeTries, store(storeUp, stored, "outcome"))).subscribeAsCompletionStage();
        await().atMost(Duration.ofSeconds(10)).untilAtomic(outcomeTries, greaterThanOrEqualTo(1));
        assertThat(writers.waitingOutcomes()).as("outcomes waiting while the store is down").isEqualTo(1);
        assertThat(advance).as("the advance while the store is down").isNotDone();

        storeUp.set(true);
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("outcome");
        assertThat(advance.get(10, TimeUnit.SECONDS)).isEqualTo("advance");
        assertThat(stored).as("what the store took, in order").containsExactly("outcome", "advance");
        assertThat(writers.waitingOutcomes()).as("outcomes waiting once stored").isZero();
    }

    @Test
    void an_advance_asked_while_one_waits_joins_it() throws Exception {
        AtomicBoolean storeUp = new AtomicBoolean(false);
        List<String> stored = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<String> first = writers.write(run, RunWriters.Kind.OUTCOME, store(storeUp, stored, "outcome"))
                .subscribeAsCompletionStage();
        CompletableFuture<String> a = writers.write(run, RunWriters.Kind.ADVANCE, store(storeUp, stored, "advance 1"))
                .subscribeAsCompletionStage();
        CompletableFuture<String> b = writers.write(run, RunWriters.Kind.ADVANCE, store(storeUp, stored, "advance 2"))
                .subscribeAsCompletionStage();
        storeUp.set(true);
        first.get(10, TimeUnit.SECONDS);
        assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo("advance 1");
        assertThat(b.get(10, TimeUnit.SECONDS)).as("the second advance's result").isEqualTo("advance 1");
        assertThat(stored).containsExactly("outcome", "advance 1");
    }

    @Test
    void a_persons_command_fails_back_at_once_and_a_refused_outcome_is_not_tried_again() {
        AtomicInteger tries = new AtomicInteger();
        assertThatThrownBy(() -> writers.write(run, RunWriters.Kind.PERSON, () -> {
            tries.incrementAndGet();
            return Uni.createFrom().failure(new IllegalStateException("database down"));
        }).await().atMost(Duration.ofSeconds(10))).hasMessageContaining("database down");
        assertThatThrownBy(() -> writers.write(run, RunWriters.Kind.OUTCOME, () -> {
            tries.incrementAndGet();
            return Uni.createFrom().failure(new CommandRejected("already recorded"));
        }).await().atMost(Duration.ofSeconds(10))).isInstanceOf(CommandRejected.class);
        assertThat(tries).as("tries of the two pieces").hasValue(2);
        assertThat(writers.waitingOutcomes()).isZero();
    }

    @Test
    void work_on_a_run_whose_history_fails_verification_is_given_up_at_once_and_the_run_takes_more_work() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        ChainBrokenException broken = new ChainBrokenException(new ChainCheck(run, 3, 2L, "seq 2 is missing", 4));
        for (RunWriters.Kind kind : List.of(RunWriters.Kind.OUTCOME, RunWriters.Kind.RECOVERY, RunWriters.Kind.ADVANCE)) {
            assertThatThrownBy(() -> writers.write(run, kind, counted(tries, () -> Uni.createFrom().failure(broken)))
                    .await().atMost(Duration.ofSeconds(10))).as("%s on a broken history", kind).isSameAs(broken);
        }
        assertThat(tries).as("tries: one per piece, none again").hasValue(3);
        assertThat(writers.waitingOutcomes()).as("outcomes waiting (readiness)").isZero();
        assertThat(writers.waitingOther()).as("decisions waiting (readiness)").isZero();
        assertThat(writers.write(run, RunWriters.Kind.OUTCOME, () -> Uni.createFrom().item("next"))
                .await().atMost(Duration.ofSeconds(10))).as("the run's next piece").isEqualTo("next");
    }

    /** The same work, counting how often it has been tried. */
    private static <T> Supplier<Uni<T>> counted(AtomicInteger tries, Supplier<Uni<T>> work) {
        return () -> {
            tries.incrementAndGet();
            return work.get();
        };
    }

    /** Work that fails like a database that is away until {@code up} is set, then records its name. */
    private static Supplier<Uni<String>> store(AtomicBoolean up, List<String> stored, String name) {
        return () -> {
            if (!up.get()) {
                return Uni.createFrom().failure(new IllegalStateException("Connection refused"));
            }
            stored.add(name);
            return Uni.createFrom().item(name);
        };
    }

    @Test
    void across_runs_no_more_writes_than_the_slots_are_carried_out_at_once_and_every_one_is() throws Exception {
        RunWriters bounded = new RunWriters(vertx, 3);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<CompletableFuture<Integer>> done = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int n = i;
            done.add(bounded.write(UUID.randomUUID(), RunWriters.Kind.OUTCOME, () -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                return Uni.createFrom().item(n).onItem().delayIt().by(Duration.ofMillis(5))
                        .invoke(running::decrementAndGet);
            }).subscribeAsCompletionStage());
        }
        for (int i = 0; i < done.size(); i++) {
            assertThat(done.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i);
        }
        assertThat(most.get()).as("writes carried out at once, 40 runs and 3 slots").isEqualTo(3);
        assertThat(bounded.waitingForSlot()).isZero();
    }

    @Test
    void a_persons_command_waiting_for_a_slot_goes_before_the_engines_work_that_waited_longer() throws Exception {
        RunWriters bounded = new RunWriters(vertx, 1);
        CompletableFuture<Void> release = new CompletableFuture<>();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<String> holding = bounded.write(UUID.randomUUID(), RunWriters.Kind.OUTCOME,
                () -> Uni.createFrom().completionStage(release).replaceWith("holding")).subscribeAsCompletionStage();
        List<CompletableFuture<String>> queued = new ArrayList<>();
        for (String name : List.of("outcome-1", "outcome-2")) {
            queued.add(bounded.write(UUID.randomUUID(), RunWriters.Kind.OUTCOME, record(order, name))
                    .subscribeAsCompletionStage());
        }
        queued.add(bounded.write(UUID.randomUUID(), RunWriters.Kind.PERSON, record(order, "cancel"))
                .subscribeAsCompletionStage());
        await().atMost(Duration.ofSeconds(5)).until(() -> bounded.waitingForSlot() == 3);
        assertThat(order).as("carried out while the only slot is held").isEmpty();

        release.complete(null);
        assertThat(holding.get(5, TimeUnit.SECONDS)).isEqualTo("holding");
        for (CompletableFuture<String> f : queued) {
            f.get(5, TimeUnit.SECONDS);
        }
        assertThat(order).containsExactly("cancel", "outcome-1", "outcome-2");
    }

    private static Supplier<Uni<String>> record(List<String> order, String name) {
        return () -> {
            order.add(name);
            return Uni.createFrom().item(name);
        };
    }
}
