package io.antidote.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code alert} table ({@code V15__alert.sql}): append-only, one row per alert received. A matched alert's row
 * is written in the transaction of its run's first events ({@link ReadModels#recordAlert}), so that neither exists
 * without the other; every other decision is written on its own.
 */
@ApplicationScoped
public class Alerts {

    /** Exact-match filters of the auditors' list; null means any. */
    public record Filter(String decision, String server, String source, UUID runId) {
    }

    private static final String COLUMNS = "id, received_at, channel, received_by, source, external_id, server, type,"
            + " severity, occurred_at, summary, rule, decision, reason, run_id";

    private final Pool pool;

    public Alerts(Pool pool) {
        this.pool = pool;
    }

    /** Records an alert that started no run. */
    public Uni<Void> record(AlertRecord alert) {
        return insert(pool, alert);
    }

    static Uni<Void> insert(SqlClient client, AlertRecord alert) {
        return client.preparedQuery("insert into alert (id, received_at, channel, received_by, source, external_id,"
                        + " server, type, severity, occurred_at, summary, rule, decision, reason, run_id)"
                        + " values ($1, coalesce($2, now()), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)")
                .execute(Tuple.from(new Object[] {alert.id(), alert.receivedAt(), alert.channel(), alert.receivedBy(), alert.source(),
                        alert.externalId(), alert.server(), alert.type(), alert.severity(), alert.occurredAt(),
                        alert.summary(), alert.rule(), alert.decision(), alert.reason(), alert.runId()}))
                .replaceWithVoid();
    }

    public Uni<Optional<AlertRecord>> find(UUID id) {
        return pool.preparedQuery("select " + COLUMNS + " from alert where id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.<AlertRecord>empty() : Optional.of(of(rows.iterator().next())));
    }

    /** Newest first, then by id, {@code size} rows from {@code page * size}. */
    public Uni<List<AlertRecord>> list(Filter filter, int page, int size) {
        return pool.preparedQuery("select " + COLUMNS + " from alert"
                        + " where ($1::text is null or decision = $1) and ($2::text is null or server = $2)"
                        + " and ($3::text is null or source = $3) and ($4::uuid is null or run_id = $4)"
                        + " order by received_at desc, id limit $5 offset $6")
                .execute(Tuple.from(new Object[] {filter.decision(), filter.server(), filter.source(), filter.runId(),
                        size, (long) page * size}))
                .map(rows -> {
                    List<AlertRecord> found = new ArrayList<>();
                    rows.forEach(row -> found.add(of(row)));
                    return found;
                });
    }

    private static AlertRecord of(Row row) {
        return new AlertRecord(row.getUUID("id"), row.getOffsetDateTime("received_at"), row.getString("channel"),
                row.getString("received_by"), row.getString("source"), row.getString("external_id"),
                row.getString("server"), row.getString("type"), row.getString("severity"),
                row.getOffsetDateTime("occurred_at"), row.getString("summary"), row.getString("rule"),
                row.getString("decision"), row.getString("reason"), row.getUUID("run_id"));
    }
}
