package io.antidote.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which runs this process (a replica) owns, and under which fencing token: {@code engine_replica} and
 * {@code run_owner} (see {@code V9__run_owner.sql}). A replica is alive while its heartbeat keeps its
 * {@code expires_at} in the future, by the database's clock, so that replicas never compare clocks.
 *
 * <p>The tokens held here are what {@link PostgresEventStore} writes with every append of an owned run; the
 * database refuses an append whose token is not the run's current one. A run is claimed by its first
 * append (a new run, see {@link #willOwn}) or adopted from a dead replica ({@link #adopt}), and let go when
 * it ends ({@link #ended}), when another replica turns out to own it ({@link #lost}), or all at once when
 * the process stops ({@link #resign}).
 */
@ApplicationScoped
public class RunOwners {

    /** A run this replica will claim with its first append (a new run): it holds no token yet. */
    private static final long TO_CLAIM = 0;

    private final Pool pool;
    private final String replicaId;
    private final Duration expiry;
    private final Map<UUID, Long> held = new ConcurrentHashMap<>();

    @Inject
    RunOwners(Pool pool, OwnershipConfig config) {
        this(pool, replicaName(), config.expiry());
    }

    /** A replica of its own, such as a second one in a test. */
    public RunOwners(Pool pool, String replicaId, Duration expiry) {
        this.pool = pool;
        this.replicaId = Objects.requireNonNull(replicaId, "replicaId");
        this.expiry = expiry;
    }

    /** The host name (a pod's name in Kubernetes) and a fresh id: a restarted process is a new replica. */
    private static String replicaName() {
        String host = Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank()).orElse("antidote");
        return host + "/" + UUID.randomUUID();
    }

    public String replicaId() {
        return replicaId;
    }

    /** How long this replica is presumed alive after a heartbeat. */
    public Duration expiry() {
        return expiry;
    }

    /** Says the replica is alive for {@link #expiry()} more, counted by the database's clock. */
    public Uni<Void> heartbeat() {
        return pool.preparedQuery("""
                        insert into engine_replica (replica_id, expires_at)
                        values ($1, now() + make_interval(secs => $2))
                        on conflict (replica_id) do update
                           set heartbeat_at = now(), expires_at = now() + make_interval(secs => $2)""")
                .execute(Tuple.of(replicaId, expiry.toMillis() / 1000.0))
                .replaceWithVoid();
    }

    /**
     * Takes over up to {@code limit} runs whose owner is dead (expired, or gone after letting go), each under
     * the next fencing token; a run whose owner is alive is never taken. Returns the runs adopted, with their
     * tokens, which this replica now holds. Two replicas adopting at once skip each other's rows.
     */
    public Uni<Map<UUID, Long>> adopt(int limit) {
        return pool.preparedQuery("""
                        with orphans as (
                            select o.run_id from run_owner o
                             where o.replica_id <> $1
                               and not exists (select 1 from engine_replica r
                                                where r.replica_id = o.replica_id and r.expires_at > now())
                             order by o.owned_since
                             limit $2
                               for update of o skip locked)
                        update run_owner o
                           set replica_id = $1, token = o.token + 1, owned_since = now()
                          from orphans
                         where o.run_id = orphans.run_id
                        returning o.run_id, o.token""")
                .execute(Tuple.of(replicaId, limit))
                .map(rows -> {
                    Map<UUID, Long> adopted = new LinkedHashMap<>();
                    for (Row row : rows) {
                        adopted.put(row.getUUID(0), row.getLong(1));
                    }
                    held.putAll(adopted);
                    return adopted;
                });
    }

    /** Forgets replicas dead for longer than {@code after}; their runs have long been adopted. */
    public Uni<Void> forgetDeadReplicas(Duration after) {
        return pool.preparedQuery("""
                        delete from engine_replica r
                         where r.expires_at < now() - make_interval(secs => $1)
                           and not exists (select 1 from run_owner o where o.replica_id = r.replica_id)""")
                .execute(Tuple.of((double) after.toSeconds()))
                .replaceWithVoid();
    }

    /** The next append of this new run claims it for this replica, under token 1, in the append's transaction. */
    public void willOwn(UUID runId) {
        held.putIfAbsent(runId, TO_CLAIM);
    }

    /** Whether this replica carries the run (or is about to claim it). */
    public boolean holds(UUID runId) {
        return held.containsKey(runId);
    }

    /** The runs this replica carries now. */
    public java.util.Set<UUID> runs() {
        return java.util.Set.copyOf(held.keySet());
    }

    /** A new run this replica asked to own was not recorded: there is nothing to claim. */
    public void abandon(UUID runId) {
        held.remove(runId, TO_CLAIM);
    }

    /** Another replica owns the run (an append was refused): nothing more is done for it here. */
    public void lost(UUID runId) {
        held.remove(runId);
    }

    /**
     * The run ended: its row goes, under this replica's token only (a stale replica deletes nothing). The
     * token is let go at once; the returned delete may be tried again.
     */
    public Uni<Void> ended(UUID runId) {
        Long token = held.remove(runId);
        if (token == null || token == TO_CLAIM) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("delete from run_owner where run_id = $1 and replica_id = $2 and token = $3")
                .execute(Tuple.of(runId, replicaId, token))
                .replaceWithVoid();
    }

    /**
     * The process stops: its replica row goes, so that its runs are dead at once and any live replica adopts
     * them at its next look, instead of after the expiry. The runs' rows and tokens stay: the next owner takes
     * the next token. This process holds no token any more, so the database refuses any append it still tries.
     */
    public Uni<Void> resign() {
        return pool.preparedQuery("delete from engine_replica where replica_id = $1")
                .execute(Tuple.of(replicaId))
                .replaceWithVoid()
                // Whatever this process still tries to append from now on carries no token and is refused:
                // what it could not finish belongs to the adopter, who recovers it.
                .eventually(held::clear);
    }

    /** The token an append of this run carries now (null if this replica holds none). */
    Long tokenFor(UUID runId) {
        Long token = held.get(runId);
        return token == null || token == TO_CLAIM ? null : token;
    }

    /** Whether the append of seq 1 must claim the run first (a new run this replica asked to own). */
    boolean claimsWithFirstAppend(UUID runId, long expectedVersion) {
        return expectedVersion == 0 && Long.valueOf(TO_CLAIM).equals(held.get(runId));
    }

    /** Inserts the run's owner row, token 1, on the append's connection, before its events. */
    Uni<Void> claim(SqlConnection connection, UUID runId) {
        return connection.preparedQuery("insert into run_owner (run_id, replica_id, token) values ($1, $2, 1)")
                .execute(Tuple.of(runId, replicaId))
                .replaceWithVoid();
    }

    /** The claim committed with the first events: the run's appends now carry token 1. */
    void claimed(UUID runId) {
        held.replace(runId, TO_CLAIM, 1L);
    }
}
