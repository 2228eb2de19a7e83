package io.antidote.store;

import io.smallrye.mutiny.Uni;

/**
 * Updates read models with an append, inside the append's own transaction (see {@link
 * EventStore#append(java.util.UUID, long, java.util.List, Projector)}): the read models commit with
 * the events or not at all. What to write comes from the decided events the caller holds, not from
 * what the store returns: in PostgreSQL the projector's first statement is sent right behind the
 * insert, without waiting for it (a failed insert aborts the transaction, and the projector's
 * statements fail with it). Its writes run one after the other, and any failure rolls the whole
 * append back.
 */
@FunctionalInterface
public interface Projector {

    /** Writes no read model. */
    Projector NONE = models -> Uni.createFrom().voidItem();

    Uni<Void> project(ReadModels models);
}
