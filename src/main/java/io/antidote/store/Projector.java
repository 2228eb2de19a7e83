package io.antidote.store;

import io.smallrye.mutiny.Uni;
import java.util.List;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Updates read models from events just appended, inside the append's own transaction (see {@link
 * EventStore#append(java.util.UUID, long, List, Projector)}). It must run its statements one after
 * the other on the given session, never concurrently, and a failure rolls the append back.
 */
@FunctionalInterface
public interface Projector {

    /** Writes no read model. */
    Projector NONE = (connection, appended) -> Uni.createFrom().voidItem();

    Uni<Void> project(SqlConnection connection, List<StoredEvent> appended);
}
