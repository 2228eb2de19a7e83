package io.antidote.store;

import io.smallrye.mutiny.Uni;
import java.util.UUID;

/**
 * What a {@link Projector} may write in an append's transaction: the run list row, the servers' state, the target
 * and group leases a run request's idempotency key and the alert that requested it. Each event store hands its own, so the engine's projection is the same whichever store it
 * runs on.
 */
public interface ReadModels {

    /** Inserts or replaces the run's row; a row that already folds as many events or more is kept. */
    Uni<Void> upsert(RunSummary summary);

    /**
     * Folds the run's events after {@code afterSeq}, as the append stored them, into each server's state
     * (the servers a request names, the verdicts a run records; see {@link ServerHistory}).
     */
    Uni<Void> foldServers(UUID runId, long afterSeq);

    /**
     * Takes the target for the run, or confirms the run already holds it. Fails with {@link
     * TargetBusyException} if another run holds it.
     */
    Uni<Void> take(UUID runId, String target);

    /**
     * Takes the target's group (a DAG) for the run through that target, or confirms the run holds it so. Fails
     * with {@link TargetBusyException}, naming the group, if another run or another target holds it.
     */
    Uni<Void> takeGroup(UUID runId, String target, String group);

    /** Lets the target, and the group held through it, go if the run holds them. */
    Uni<Void> release(UUID runId, String target);

    /**
     * The target ended with {@code step} still in effect on the server (left in maintenance): the target goes, and
     * the group held through it stays held, for that server, until a new run on it takes it over or
     * {@link #releaseKept} lets it go.
     */
    Uni<Void> keepGroup(UUID runId, String target, String step);

    /** The step kept on the ended target was undone: the group held for it goes. */
    Uni<Void> releaseKept(UUID runId, String target);

    /** Lets go every target and group the run still holds (it ended), but groups kept for a member in maintenance. */
    Uni<Void> releaseAll(UUID runId);

    /**
     * Claims the caller's idempotency key for the run. Fails with {@link IdempotencyKeyTaken} if the key
     * answers for another run and has not expired.
     */
    Uni<Void> claim(IdempotencyClaim claim);

    /** Records the alert that requested the run (docs/alerts.md): the alert and its run commit together. */
    Uni<Void> recordAlert(AlertRecord alert);

    /**
     * Marks a person's command written to {@link RunCommandInbox} as applied by the events of this append; the
     * append fails with {@link CommandDecidedException} if it was decided already.
     */
    Uni<Void> consumeCommand(UUID commandId, String decidedBy);
}
