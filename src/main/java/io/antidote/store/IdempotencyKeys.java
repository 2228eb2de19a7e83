package io.antidote.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Each caller's {@code Idempotency-Key}s, until they expire ({@code V7__idempotency_key.sql}). A key is
 * claimed on the connection of the append that records its run's {@code RunRequested}, so the key never
 * exists without its run nor the run without its key; the primary key is what lets only one of two
 * concurrent requests with the same key commit. Expiry is judged by the database's clock, the one that
 * wrote {@code expires_at}, so replicas with drifting clocks agree.
 */
@ApplicationScoped
public class IdempotencyKeys {

    /** The run a key answers for, and the fingerprint of the body that created it. */
    public record Claimed(UUID runId, String fingerprint) {
    }

    private static final Logger LOG = Logger.getLogger(IdempotencyKeys.class);

    private final Pool pool;

    public IdempotencyKeys(Pool pool) {
        this.pool = pool;
    }

    /** The run the caller's key answers for now, if it has not expired. */
    public Uni<Optional<Claimed>> find(String caller, String key) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(key, "key");
        return pool.preparedQuery("""
                        select run_id, fingerprint from idempotency_key
                         where caller = $1 and idempotency_key = $2 and expires_at > now()""")
                .execute(Tuple.of(caller, key))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.<Claimed>empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new Claimed(row.getUUID("run_id"), row.getString("fingerprint")));
                });
    }

    /**
     * Claims the key for the run in the caller's transaction; an expired row of the same key is replaced.
     * Fails with {@link IdempotencyKeyTaken} when the key answers for another run: a concurrent request
     * holding it uncommitted makes this wait for that transaction, then decide.
     */
    Uni<Void> claim(SqlConnection connection, IdempotencyClaim claim) {
        return connection.preparedQuery("""
                        insert into idempotency_key (caller, idempotency_key, fingerprint, run_id, expires_at)
                        values ($1, $2, $3, $4, now() + make_interval(secs => $5))
                        on conflict (caller, idempotency_key) do update
                           set fingerprint = excluded.fingerprint, run_id = excluded.run_id,
                               created_at = excluded.created_at, expires_at = excluded.expires_at
                         where idempotency_key.expires_at <= now()""")
                .execute(Tuple.of(claim.caller(), claim.key(), claim.fingerprint(), claim.runId(),
                        (double) claim.keepFor().toMillis() / 1000.0))
                .invoke(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new IdempotencyKeyTaken(claim);
                    }
                })
                .replaceWithVoid();
    }

    /** Deletes the keys that have expired; returns how many. */
    public Uni<Integer> forgetExpired() {
        return pool.query("delete from idempotency_key where expires_at <= now()").execute()
                .map(rows -> rows.rowCount());
    }

    /**
     * Expired keys already answer for nothing ({@link #find} and {@link #claim} ignore them); the sweep only
     * keeps the table from growing with every request ever made.
     */
    @Scheduled(every = "${antidote.idempotency.sweep-interval:1h}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return forgetExpired().onFailure().recoverWithItem(failure -> {
            LOG.warnf("Expired idempotency keys not removed yet, tried again at the next interval: %s", failure.getMessage());
            return 0;
        }).replaceWithVoid();
    }
}
