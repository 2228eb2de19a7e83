package io.antidote.store;

import static io.antidote.store.Events.data;
import static io.antidote.store.Events.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * What every {@link EventStore} promises, whichever holds the streams: {@code PostgresEventStoreTest} runs
 * it against PostgreSQL, {@code InMemoryEventStoreTest} against the store engine tests may use instead.
 * A store that passes it keeps streams gap-free and chained, refuses stale and malformed batches whole,
 * and writes a batch's projection with it or not at all.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class EventStoreContract {

    /** The store under test. */
    protected abstract EventStore store();

    /** Subscribes as the store needs it (a Vert.x context for PostgreSQL) and waits for the item. */
    protected abstract <T> T await(Supplier<Uni<T>> work);

    /** The run holding the target now, as the store's leases say. */
    protected abstract Optional<UUID> holder(String target);

    /** The run list row of the run, as the store's projection wrote it. */
    protected abstract Optional<RunSummary> summary(UUID runId);

    /** Checks what the store says of a batch that reuses a recorded event id, beyond "not a conflict". */
    protected void refusedAsADuplicateEvent(Throwable failure) {
    }

    @Test
    public void a_new_stream_grows_gap_free_from_seq_1_each_event_chained_to_the_one_before() {
        UUID run = UUID.randomUUID();

        List<StoredEvent> first = await(() -> store().append(run, 0, events("RunRequested", "RunStarted")));
        List<StoredEvent> second = await(() -> store().append(run, 2, events("TargetStarted", "StepStarted", "StepSucceeded")));
        List<StoredEvent> loaded = await(() -> store().load(run));

        assertThat(loaded).extracting(StoredEvent::seq).as("seqs of the run").containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(loaded).extracting(StoredEvent::type).as("types in order")
                .containsExactly("RunRequested", "RunStarted", "TargetStarted", "StepStarted", "StepSucceeded");
        assertThat(loaded.get(0).prevHash()).as("prev hash of the first event").isEqualTo(EventHash.GENESIS);
        for (int i = 1; i < loaded.size(); i++) {
            assertThat(loaded.get(i).prevHash()).as("prev hash of seq %d", i + 1).isEqualTo(loaded.get(i - 1).hash());
        }
        assertThat(loaded).extracting(StoredEvent::position).as("global positions in commit order").isSorted();
        assertThat(HashChain.verify(loaded)).as("first broken seq of the loaded run").isEmpty();

        List<StoredEvent> returned = new ArrayList<>(first);
        returned.addAll(second);
        assertThat(returned).as("what append returned, compared with what load reads back").isEqualTo(loaded);
        assertThat(await(() -> store().load(UUID.randomUUID()))).as("events of a run never written").isEmpty();
    }

    @Test
    public void an_append_after_a_stale_version_is_refused_and_writes_nothing() {
        UUID run = UUID.randomUUID();
        await(() -> store().append(run, 0, events("RunRequested", "RunStarted")));

        assertThatThrownBy(() -> await(() -> store().append(run, 1, events("StepStarted", "StepSucceeded", "RunSucceeded"))))
                .as("append of three events after version 1 when the run is at 2")
                .isInstanceOfSatisfying(ConcurrencyConflictException.class, conflict -> {
                    assertThat(conflict.runId()).as("run of the conflict").isEqualTo(run);
                    assertThat(conflict.expectedVersion()).as("expected version of the conflict").isEqualTo(1);
                });
        assertThatThrownBy(() -> await(() -> store().append(run, 5, events("StepStarted"))))
                .as("append after a version the run never reached")
                .isInstanceOf(ConcurrencyConflictException.class);
        assertThatThrownBy(() -> await(() -> store().append(run, 0, events("RunRequested"))))
                .as("a second start of the same stream")
                .isInstanceOf(ConcurrencyConflictException.class);

        assertThat(await(() -> store().load(run))).extracting(StoredEvent::type).as("the run after the refused appends")
                .containsExactly("RunRequested", "RunStarted");
    }

    @Test
    public void a_batch_that_fails_on_a_later_event_leaves_none_of_its_events() {
        UUID run = UUID.randomUUID();
        List<StoredEvent> existing = await(() -> store().append(run, 0, events("RunRequested")));
        List<NewEvent> batch = events("RunStarted", "TargetStarted");
        batch.add(new NewEvent(existing.get(0).eventId(), "StepStarted", Instant.now(), "tester", null, null, null, data("{}")));

        assertThatThrownBy(() -> await(() -> store().append(run, 1, batch)))
                .as("a batch whose third event reuses a recorded event id")
                .isNotInstanceOf(ConcurrencyConflictException.class)
                .satisfies(this::refusedAsADuplicateEvent);
        assertThat(await(() -> store().load(run))).as("events of the run after the failed batch").hasSize(1);
    }

    @Test
    public void events_that_cannot_be_hashed_are_refused_before_anything_is_written() {
        UUID run = UUID.randomUUID();
        List<NewEvent> batch = events("RunRequested");
        batch.add(new NewEvent(UUID.randomUUID(), "RunStarted", Instant.now(), "tester", null, null, null, data("{\"load\":0.75}")));

        assertThatThrownBy(() -> await(() -> store().append(run, 0, batch)))
                .as("a batch with a float in its second event")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> await(() -> store().append(run, -1, events("RunRequested"))))
                .as("a negative expected version")
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(await(() -> store().load(run))).as("events of the run").isEmpty();
        assertThat(await(() -> store().append(run, 0, List.of()))).as("what an empty batch stores").isEmpty();
    }

    @Test
    public void two_appenders_racing_on_one_run_leave_one_gap_free_chain_with_every_event_exactly_once() throws Exception {
        UUID run = UUID.randomUUID();
        await(() -> store().append(run, 0, events("RunRequested")));
        int perWriter = 40;
        AtomicInteger conflicts = new AtomicInteger();
        // Both writers load, wait for each other, then append: every round they hold the same
        // version, so every round one of them must lose and retry.
        Phaser lockstep = new Phaser(2);
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<UUID>>> results = new ArrayList<>();
            for (String writer : List.of("writer-a", "writer-b")) {
                results.add(writers.submit(() -> {
                    List<UUID> written = new ArrayList<>();
                    try {
                        for (int i = 0; i < perWriter; i++) {
                            NewEvent next = new NewEvent(UUID.randomUUID(), "StepSucceeded", Instant.now(), writer, null,
                                    "step-" + i, 1, data("{\"writer\":\"" + writer + "\",\"i\":" + i + "}"));
                            while (true) {
                                long version = await(() -> store().load(run)).size();
                                lockstep.arriveAndAwaitAdvance();
                                try {
                                    await(() -> store().append(run, version, List.of(next)));
                                    written.add(next.eventId());
                                    break;
                                } catch (ConcurrencyConflictException lost) {
                                    conflicts.incrementAndGet();
                                }
                            }
                        }
                    } finally {
                        lockstep.arriveAndDeregister();
                    }
                    return written;
                }));
            }
            Set<UUID> written = new HashSet<>();
            for (Future<List<UUID>> result : results) {
                written.addAll(result.get(60, TimeUnit.SECONDS));
            }

            List<StoredEvent> loaded = await(() -> store().load(run));
            assertThat(loaded).as("events of the raced run").hasSize(1 + 2 * perWriter);
            assertThat(loaded).extracting(StoredEvent::seq).as("seqs of the raced run")
                    .containsExactlyElementsOf(seqs(1 + 2 * perWriter));
            assertThat(loaded.subList(1, loaded.size())).extracting(StoredEvent::eventId).as("event ids after the first")
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(written);
            assertThat(HashChain.verify(loaded)).as("first broken seq of the raced run").isEmpty();
            assertThat(conflicts.get()).as("conflicts the losing writers saw").isGreaterThanOrEqualTo(perWriter);
        } finally {
            writers.shutdownNow();
        }
    }

    @Test
    public void a_projection_is_written_with_its_events() {
        UUID run = UUID.randomUUID();
        String target = "contract-" + UUID.randomUUID();
        RunSummary row = summaryOf(run, 2);

        await(() -> store().append(run, 0, events("RunRequested", "TargetStarted"),
                models -> models.upsert(row).chain(() -> models.take(run, target))));

        assertThat(summary(run)).as("run list row written with the events").hasValue(row);
        assertThat(holder(target)).as("holder of the target the events started").hasValue(run);

        await(() -> store().append(run, 2, events("TargetStarted"), models -> models.take(run, target)));
        assertThat(holder(target)).as("holder after the run took its own target again").hasValue(run);
        await(() -> store().append(run, 3, events("StepSucceeded"), models -> models.upsert(summaryOf(run, 1))));
        assertThat(summary(run)).as("run list row after an upsert that folds fewer events").hasValue(row);

        await(() -> store().append(run, 4, events("TargetSucceeded"), models -> models.release(run, target)));
        assertThat(holder(target)).as("holder after the run let the target go").isEmpty();
        String other = "contract-" + UUID.randomUUID();
        await(() -> store().append(run, 5, events("TargetStarted"), models -> models.take(run, other)));
        await(() -> store().append(run, 6, events("RunSucceeded"), models -> models.releaseAll(run)));
        assertThat(holder(other)).as("holder after the run ended").isEmpty();
    }

    @Test
    public void an_append_that_would_start_a_target_another_run_holds_writes_nothing() {
        UUID holding = UUID.randomUUID();
        UUID late = UUID.randomUUID();
        String target = "contract-" + UUID.randomUUID();
        await(() -> store().append(holding, 0, events("RunRequested", "TargetStarted"),
                models -> models.take(holding, target)));

        assertThatThrownBy(() -> await(() -> store().append(late, 0, events("RunRequested", "TargetStarted"),
                models -> models.upsert(summaryOf(late, 2)).chain(() -> models.take(late, target)))))
                .as("an append that starts a target another run holds")
                .isInstanceOfSatisfying(TargetBusyException.class, busy -> assertThat(busy.targets())
                        .as("targets of the refusal").containsExactly(target));
        assertThat(await(() -> store().load(late))).as("events of the refused run").isEmpty();
        assertThat(summary(late)).as("run list row of the refused run").isEmpty();
        assertThat(holder(target)).as("holder of the target").hasValue(holding);
    }

    // --- helpers ---

    static RunSummary summaryOf(UUID run, long lastSeq) {
        Instant at = Instant.parse("2021-03-02T10:00:00Z");
        return new RunSummary(run, "contract", "0".repeat(64), "RUNNING", null, "tester", at, at.plusSeconds(lastSeq),
                null, List.of("lab-ex01"), lastSeq);
    }

    static List<Long> seqs(int count) {
        List<Long> seqs = new ArrayList<>();
        for (long s = 1; s <= count; s++) {
            seqs.add(s);
        }
        return Collections.unmodifiableList(seqs);
    }
}
