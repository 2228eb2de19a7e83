package io.antidote.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Updates read models with an append, inside the append's own transaction (see {@link
 * EventStore#append(java.util.UUID, long, java.util.List, Projector)}): the read models commit with
 * the events or not at all. What to write comes from the decided events the caller holds, not from
 * the insert's results: the projector's first statement is sent right behind the insert, without
 * waiting for it (a failed insert aborts the transaction, and the projector's statements fail with
 * it). Its statements run one after the other on the given connection, and any failure rolls the
 * whole append back.
 */
@FunctionalInterface
public interface Projector {

    /** Writes no read model. */
    Projector NONE = connection -> Uni.createFrom().voidItem();

    Uni<Void> project(SqlConnection connection);
}
