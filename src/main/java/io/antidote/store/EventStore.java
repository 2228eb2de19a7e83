package io.antidote.store;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.UUID;

/**
 * One append-only, gap-free, hash-chained stream per run, appended with an expected version so that
 * concurrent writers (threads or replicas) race safely. {@link PostgresEventStore} is the system of
 * record; an in-memory store for tests keeps the same promises, checked by the same contract tests.
 *
 * <h2>How to call it</h2>
 *
 * <ul>
 *   <li>Every method returns a lazy {@link Uni}; nothing happens until it is subscribed, and it must
 *       be subscribed on a safe Vert.x <em>duplicated</em> context. REST endpoints returning {@code Uni},
 *       {@code Uni}-returning {@code @Incoming} methods and Vert.x timers already run on one.
 *   <li>From any other thread (a worker running a WinRM step, startup code, a test) use {@code
 *       io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> store.append(...))}, which
 *       creates such a context and blocks that thread, never the event loop.
 *   <li>Never subscribe two store {@code Uni}s concurrently on one Vert.x context (for example with
 *       {@code Uni.combine()} or {@code merge}): chain them one after the other instead.
 *   <li>On {@link ConcurrencyConflictException}, nothing of the batch was written: reload the run,
 *       decide again and append after the version just loaded.
 * </ul>
 */
public interface EventStore {

    /** Jackson refuses strings over 20 M characters when reading back; stay well below. */
    int MAX_DATA_CHARS = 4 * 1024 * 1024;

    /** The run's events in seq order (empty list if none). */
    Uni<List<StoredEvent>> load(UUID runId);

    /**
     * Appends in one transaction after expectedVersion (0 for a new stream): seq
     * expectedVersion+1.., chained to the stored hash of seq expectedVersion. Fails with
     * ConcurrencyConflictException when another writer got there first (seq expectedVersion+1 is
     * taken, or the stream's last seq != expectedVersion). Returns the stored events.
     *
     * <p>An empty batch writes nothing and returns an empty list. An event that cannot be hashed
     * (see {@link EventHash}) or whose data exceeds {@value #MAX_DATA_CHARS} characters fails the
     * whole batch with IllegalArgumentException before anything is written. An event id that is
     * already recorded fails the batch, not with a conflict: it is the same event, not a stale decision.
     */
    default Uni<List<StoredEvent>> append(UUID runId, long expectedVersion, List<NewEvent> events) {
        return append(runId, expectedVersion, events, Projector.NONE);
    }

    /**
     * As {@link #append(UUID, long, List)}, and lets {@code projector} update read models in the same
     * transaction, after the events are inserted: the projections commit with the events or not at
     * all, so a read model is never ahead of (or behind) the history it is derived from. A projector's
     * failure (a target another run holds: {@link TargetBusyException}) leaves nothing written.
     */
    Uni<List<StoredEvent>> append(UUID runId, long expectedVersion, List<NewEvent> events, Projector projector);
}
