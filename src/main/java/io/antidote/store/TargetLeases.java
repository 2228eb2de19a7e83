package io.antidote.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.UUID;

/**
 * One run per target, held in {@code target_lease} (see {@code V5__target_lease.sql}): taken and let go
 * on the connection of the append whose events start and end the target, so that the lease and the
 * history never disagree. The primary key on the target is what makes a second run's start fail.
 */
public final class TargetLeases {

    private TargetLeases() {
    }

    /**
     * Takes the target for the run, or confirms the run already holds it. Fails with {@link
     * TargetBusyException} if another run holds it; a run holding it but not committed yet makes this
     * wait for that transaction, then decide.
     */
    public static Uni<Void> take(SqlConnection connection, UUID runId, String target) {
        return connection.preparedQuery("""
                        insert into target_lease (target, run_id) values ($1, $2)
                        on conflict (target) do update set run_id = excluded.run_id
                        where target_lease.run_id = excluded.run_id""")
                .execute(Tuple.of(target, runId))
                .invoke(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new TargetBusyException(runId, target);
                    }
                })
                .replaceWithVoid();
    }

    /** Lets the target go if the run holds it. */
    public static Uni<Void> release(SqlConnection connection, UUID runId, String target) {
        return connection.preparedQuery("delete from target_lease where target = $1 and run_id = $2")
                .execute(Tuple.of(target, runId))
                .replaceWithVoid();
    }

    /** Lets go every target the run still holds (it ended). */
    public static Uni<Void> releaseAll(SqlConnection connection, UUID runId) {
        return connection.preparedQuery("delete from target_lease where run_id = $1")
                .execute(Tuple.of(runId))
                .replaceWithVoid();
    }
}
