package io.antidote.engine;

import io.antidote.store.ChainBrokenException;
import io.antidote.store.StaleOwnerException;
import io.antidote.workflow.CommandRejected;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One writer per run: the decisions for a run are taken and appended one at a time, in this process,
 * so that a run over many targets, whose outcomes come back together, never races itself for the next
 * version of its stream. Racing writers used to lose the race ten times in a row and drop the outcome.
 *
 * <p>Each run has a mailbox; it takes the next piece of work once the one before has been stored (or
 * refused by the decider), each on a fresh Vert.x context, and nothing waits on a thread meanwhile. Work
 * the engine owes the run (an outcome the transport returned, an advance, a recovery) is never given
 * up when the store fails: it stays at the head of its mailbox and is tried again with a growing pause
 * (back-off), until the database takes it. The run goes on by itself when the database comes back.
 *
 * <p>Outcomes go first. A run's next decisions wait behind its outcomes not yet stored, and an outcome
 * is decided before an advance that came earlier but could not be stored either: otherwise an advance
 * decided after a long outage would find the step past its deadline and record a timeout for a step
 * whose outcome was waiting in memory.
 *
 * <p>That is also the back-pressure: new steps only start from stored decisions, so a run whose outcomes
 * cannot be stored starts nothing new, and the outcomes in memory are bounded by the steps in flight.
 * Readiness is down while any outcome waits ({@link #waitingOutcomes()}).
 *
 * <p>Across runs, at most {@code antidote.engine.max-concurrent-writes} pieces are carried out at once; the
 * runs whose turn it is wait, in order, for one of these write slots, a person's command ahead of the engine's
 * work. Without it, 10,000 runs whose steps ended together put all their appends to the pool at once: tens of
 * thousands of queries queued behind 8 connections filled a 512 MiB heap, timed out waiting for a connection,
 * were tried again into the same queue, and progress stalled (docs/benchmarks.md, "Heap with 10,000 target runs
 * in flight"). Waiting for a slot holds nothing but the run's place in line.
 */
@ApplicationScoped
public class RunWriters {

    private static final Logger LOG = Logger.getLogger(RunWriters.class);

    /** First pause after a failed write; it doubles after each failure of the same work, up to {@link #MAX_PAUSE}. */
    static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    static final Duration MAX_PAUSE = Duration.ofSeconds(2);

    /** What a piece of work is to its run: how it is ordered, and whether it is given up on a failure. */
    public enum Kind {
        /** An outcome the transport returned: first in line, tried until stored or refused by the decider. */
        OUTCOME,
        /** The engine moving the run on: tried until stored; an advance asked while one waits joins it. */
        ADVANCE,
        /** Recovery of a run found in flight at start: tried until stored. */
        RECOVERY,
        /**
         * An attempt began on a worker (its deadline counts from then): tried until stored, or refused by the
         * decider once the attempt's outcome went first. Never joined with an advance: it decides something of its own.
         */
        BEGUN,
        /** A person's command or a new run: tried once, the failure goes back to the caller. */
        PERSON
    }

    private final Vertx vertx;
    private final RunMetrics metrics;
    private final Map<UUID, Mailbox> mailboxes = new ConcurrentHashMap<>();
    private final AtomicInteger waitingOutcomes = new AtomicInteger();
    private final AtomicInteger waitingOther = new AtomicInteger();
    private final WriteSlots slots;

    RunWriters(Vertx vertx) {
        this(vertx, RunMetrics.unregistered(), DEFAULT_SLOTS);
    }

    RunWriters(Vertx vertx, int maxConcurrentWrites) {
        this(vertx, RunMetrics.unregistered(), maxConcurrentWrites);
    }

    @Inject
    RunWriters(Vertx vertx, RunMetrics metrics, EngineConfig config) {
        this(vertx, metrics, config.maxConcurrentWrites());
    }

    private RunWriters(Vertx vertx, RunMetrics metrics, int maxConcurrentWrites) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.slots = new WriteSlots(maxConcurrentWrites);
    }

    static final int DEFAULT_SLOTS = 32;

    /** Runs whose next piece of work waits for a write slot. */
    public int waitingForSlot() {
        return slots.waiting();
    }

    /**
     * Queues work for the run and completes with its result once it has been carried out. An
     * {@link Kind#ADVANCE} joins an advance already waiting in the mailbox, if there is one: moving a run on
     * twice in a row decides nothing more than once, and a flood of wake-ups stays one piece of work.
     */
    public <T> Uni<T> write(UUID runId, Kind kind, Supplier<Uni<T>> work) {
        return Uni.createFrom().emitter(emitter -> {
            Waiter<T> waiter = new Waiter<>(emitter, Vertx.currentContext());
            boolean[] start = new boolean[1];
            // Joined or queued inside compute: a piece is polled inside compute too, so nobody joins it too late.
            mailboxes.compute(runId, (id, box) -> {
                Mailbox mailbox = box == null ? new Mailbox() : box;
                Work<?> same = kind == Kind.ADVANCE ? mailbox.pendingAdvance() : null;
                if (same != null) {
                    joinAs(same, waiter);
                } else {
                    Work<T> piece = new Work<>(kind, work);
                    piece.waiters.add(waiter);
                    mailbox.add(piece);
                }
                if (!mailbox.busy) {
                    mailbox.busy = true;
                    start[0] = true;
                }
                return mailbox;
            });
            if (start[0]) {
                takeNext(runId);
            }
        });
    }

    /** Outcomes returned by the transport that the store has not taken yet (each has failed at least once). */
    public int waitingOutcomes() {
        return waitingOutcomes.get();
    }

    /** Other engine work (advances, recoveries) waiting for the store the same way. */
    public int waitingOther() {
        return waitingOther.get();
    }

    @SuppressWarnings("unchecked")
    private static <T> void joinAs(Work<?> work, Waiter<T> waiter) {
        ((Work<T>) work).waiters.add(waiter);
    }

    /** Carries out the run's next piece of work, or marks its mailbox idle (and lets it go) if there is none. */
    private void takeNext(UUID runId) {
        Work<?>[] next = new Work<?>[1];
        mailboxes.compute(runId, (id, box) -> {
            if (box == null) {
                return null;
            }
            next[0] = box.poll();
            if (next[0] == null) {
                box.busy = false;
                return null;
            }
            return box;
        });
        if (next[0] != null) {
            Work<?> work = next[0];
            slots.take(work.kind == Kind.PERSON, () -> carryOut(runId, work));
        }
    }

    /** Holds a write slot from its start until its result or failure is known. */
    private <T> void carryOut(UUID runId, Work<T> work) {
        VertxContexts.onNewContext(vertx, work.work).subscribe().with(
                result -> {
                    slots.release();
                    work.stored();
                    work.waiters.forEach(w -> w.complete(result));
                    takeNext(runId);
                },
                failure -> {
                    slots.release();
                    // Refused for good: by the decider, by the database because another replica owns the run, or
                    // because the run's history fails verification: no retry makes a tampered chain whole, and
                    // retrying would only hold readiness down (StoreBacklogCheck). The run stays as it is; the
                    // chain alarm has fired; people decide.
                    if (failure instanceof ChainBrokenException) {
                        try (RunMdc mdc = RunMdc.of(runId, null, null, null)) {
                            LOG.errorf("Run %s: %s given up: %s", runId,
                                    work.kind == Kind.OUTCOME ? "a step outcome" : "an engine decision",
                                    failure.getMessage());
                        }
                    }
                    if (work.kind == Kind.PERSON || failure instanceof CommandRejected
                            || failure instanceof StaleOwnerException || failure instanceof ChainBrokenException) {
                        work.stored();
                        work.waiters.forEach(w -> w.fail(failure));
                        takeNext(runId);
                        return;
                    }
                    Duration pause = work.failed();
                    metrics.writeRetried(work.kind);
                    try (RunMdc mdc = RunMdc.of(runId, null, null, null)) {
                        LOG.warnf("Run %s: %s not stored yet (failure %d, trying again in %d ms): %s", runId,
                                work.kind == Kind.OUTCOME ? "a step outcome" : "an engine decision", work.failures,
                                pause.toMillis(), failure.getMessage());
                    }
                    mailboxes.compute(runId, (id, box) -> {
                        Mailbox mailbox = box == null ? new Mailbox() : box;
                        mailbox.putBack(work);
                        mailbox.busy = true;
                        return mailbox;
                    });
                    vertx.setTimer(pause.toMillis(), id -> takeNext(runId));
                });
    }

    /**
     * Someone waiting for a piece's result, told on the Vert.x context it asked from (a REST request's, for
     * instance), not on the context the work ran on.
     */
    private record Waiter<T>(UniEmitter<? super T> emitter, Context context) {
        void complete(T result) {
            tell(() -> emitter.complete(result));
        }

        void fail(Throwable failure) {
            tell(() -> emitter.fail(failure));
        }

        private void tell(Runnable told) {
            if (context == null) {
                told.run();
            } else {
                context.runOnContext(ignored -> told.run());
            }
        }
    }

    /** One piece of work and those who wait for its result. */
    private final class Work<T> {
        final Kind kind;
        final Supplier<Uni<T>> work;
        final List<Waiter<T>> waiters = new CopyOnWriteArrayList<>();
        int failures;

        Work(Kind kind, Supplier<Uni<T>> work) {
            this.kind = kind;
            this.work = work;
        }

        /** Counts the failure and says how long to pause before the next try. */
        Duration failed() {
            if (failures++ == 0) {
                (kind == Kind.OUTCOME ? waitingOutcomes : waitingOther).incrementAndGet();
            }
            long millis = FIRST_PAUSE.toMillis() << Math.min(failures - 1, 10);
            return Duration.ofMillis(Math.min(millis, MAX_PAUSE.toMillis()));
        }

        /** Done with (stored or refused): it no longer waits. */
        void stored() {
            if (failures > 0) {
                (kind == Kind.OUTCOME ? waitingOutcomes : waitingOther).decrementAndGet();
            }
        }
    }

    /** A run's queue; only touched inside {@code mailboxes.compute}, which is what serialises access to it. */
    private static final class Mailbox {
        final Deque<Work<?>> outcomes = new ArrayDeque<>();
        final Deque<Work<?>> others = new ArrayDeque<>();
        /** A piece of work is being carried out, or waits for its pause to end. */
        boolean busy;

        void add(Work<?> work) {
            (work.kind == Kind.OUTCOME ? outcomes : others).addLast(work);
        }

        /** A failed piece goes back to the head of its line, so that its turn comes before what queued after it. */
        void putBack(Work<?> work) {
            (work.kind == Kind.OUTCOME ? outcomes : others).addFirst(work);
        }

        Work<?> poll() {
            Work<?> outcome = outcomes.pollFirst();
            return outcome != null ? outcome : others.pollFirst();
        }

        Work<?> pendingAdvance() {
            for (Work<?> w : others) {
                if (w.kind == Kind.ADVANCE) {
                    return w;
                }
            }
            return null;
        }
    }
}
