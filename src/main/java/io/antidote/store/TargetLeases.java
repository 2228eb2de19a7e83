package io.antidote.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One run per target, held in {@code target_lease} (see {@code V5__target_lease.sql}): taken and let go
 * on the connection of the append whose events start and end the target, so that the lease and the
 * history never disagree (see {@link PostgresEventStore}'s {@link ReadModels}). The primary key on the
 * target is what makes a second run's start fail. Read on the pool to decide which targets are busy.
 */
@ApplicationScoped
public class TargetLeases {

    private final Pool pool;

    public TargetLeases(Pool pool) {
        this.pool = pool;
    }

    /**
     * Takes the target for the run, or confirms the run already holds it. Fails with {@link
     * TargetBusyException} if another run holds it; a run holding it but not committed yet makes this
     * wait for that transaction, then decide.
     */
    Uni<Void> take(SqlConnection connection, UUID runId, String target) {
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
    Uni<Void> release(SqlConnection connection, UUID runId, String target) {
        return connection.preparedQuery("delete from target_lease where target = $1 and run_id = $2")
                .execute(Tuple.of(target, runId))
                .replaceWithVoid();
    }

    /** Lets go every target the run still holds (it ended). */
    Uni<Void> releaseAll(SqlConnection connection, UUID runId) {
        return connection.preparedQuery("delete from target_lease where run_id = $1")
                .execute(Tuple.of(runId))
                .replaceWithVoid();
    }

    /**
     * Targets of this run's plan (as its {@code RunRequested} recorded it) that other runs hold now: the
     * busy set a run is decided on. Only the run's own targets are read: every lease in the fleet, on every
     * advance, grew with the number of runs in flight.
     */
    public Uni<Set<String>> heldAgainst(UUID runId) {
        Objects.requireNonNull(runId, "runId");
        return pool.preparedQuery("""
                        select l.target from target_lease l
                         where l.run_id <> $1
                           and l.target in (select jsonb_array_elements_text(e.data -> 'plan' -> 'targets')
                                              from run_event e
                                             where e.run_id = $1 and e.seq = 1)""")
                .execute(Tuple.of(runId))
                .map(TargetLeases::targets);
    }

    /** Which of these targets some run holds now. */
    public Uni<Set<String>> held(Collection<String> targets) {
        Objects.requireNonNull(targets, "targets");
        return pool.preparedQuery("select target from target_lease where target = any($1)")
                .execute(Tuple.of(targets.toArray(String[]::new)))
                .map(TargetLeases::targets);
    }

    /** The run holding this target now, if any. */
    public Uni<Optional<UUID>> holder(String target) {
        Objects.requireNonNull(target, "target");
        return pool.preparedQuery("select run_id from target_lease where target = $1")
                .execute(Tuple.of(target))
                .map(rows -> rows.size() == 0 ? Optional.<UUID>empty() : Optional.of(rows.iterator().next().getUUID(0)));
    }

    private static Set<String> targets(RowSet<Row> rows) {
        Set<String> held = new HashSet<>();
        rows.forEach(row -> held.add(row.getString(0)));
        return Set.copyOf(held);
    }
}
