package io.antidote.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The signed checkpoints of {@code run_checkpoint} ({@code V6__run_checkpoint.sql}), on the reactive
 * pool. Append-only like the events: the database refuses to change or remove one.
 */
@ApplicationScoped
public class Checkpoints {

    /** The columns {@link #toCheckpoint} reads. */
    static final String COLUMNS = "run_id, last_seq, last_hash, signed_at, key_id, signature";

    private final Pool pool;

    public Checkpoints(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> record(Checkpoint c) {
        return pool.preparedQuery("""
                        insert into run_checkpoint (run_id, last_seq, last_hash, signed_at, key_id, signature)
                        values ($1, $2, $3, $4, $5, $6)""")
                .execute(Tuple.tuple(List.of(c.runId(), c.lastSeq(), c.lastHash(), c.signedAt().atOffset(ZoneOffset.UTC),
                        c.keyId(), c.signature())))
                .replaceWithVoid();
    }

    /** The run's checkpoints, oldest head first. */
    public Uni<List<Checkpoint>> forRun(UUID runId) {
        return forRun(pool, runId);
    }

    static Uni<List<Checkpoint>> forRun(SqlClient client, UUID runId) {
        return client.preparedQuery("select " + COLUMNS + " from run_checkpoint where run_id = $1 order by last_seq, id")
                .execute(Tuple.of(runId))
                .map(Checkpoints::toCheckpoints);
    }

    static List<Checkpoint> toCheckpoints(RowSet<Row> rows) {
        List<Checkpoint> found = new ArrayList<>(rows.size());
        for (Row row : rows) {
            found.add(toCheckpoint(row));
        }
        return List.copyOf(found);
    }

    /** A row of the {@link #COLUMNS}, by every reader of the table (a run's checkpoints, the outbox). */
    static Checkpoint toCheckpoint(Row row) {
        return new Checkpoint(row.getUUID("run_id"), row.getLong("last_seq"), row.getString("last_hash"),
                row.getOffsetDateTime("signed_at").toInstant(), row.getString("key_id"), row.getString("signature"));
    }
}
