package io.antidote.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads committed events from {@code run_event} in commit order for a named consumer, and moves that
 * consumer's cursor only once the consumer has taken a batch. At least once: a batch whose handling
 * fails is read again. Several replicas may run the same consumer; the cursor row is locked for the
 * batch, so only one of them publishes at a time and the others skip the round.
 *
 * <p>On the reactive pool, as the stream that writes the rows, and reading them back as a stream's load does
 * ({@link EventRows}, {@link Checkpoints#toCheckpoint}), so that a consumer is sent exactly what a load returns.
 * Call on a Vert.x duplicated context, as {@link EventStore}.
 */
@ApplicationScoped
public class Outbox {

    private final Pool pool;
    private final ObjectMapper objectMapper;

    public Outbox(Pool pool, ObjectMapper objectMapper) {
        this.pool = pool;
        this.objectMapper = objectMapper;
    }

    /**
     * Hands the next committed events after the consumer's cursor (at most {@code limit}) to
     * {@code handler}, and advances the cursor past them once the handler's Uni succeeds. Completes with
     * the number of events handled: 0 when there was nothing new, or another replica held the cursor.
     */
    public Uni<Integer> publishNext(String consumer, int limit, Function<List<StoredEvent>, Uni<Void>> handler) {
        return next(consumer, limit, "select " + EventRows.COLUMNS + ", tx_id::text as tx from run_event"
                        + " where (tx_id, position) > (cast($1::text as xid8), $2)"
                        + " and tx_id < pg_snapshot_xmin(pg_current_snapshot())"
                        + " order by tx_id, position limit $3",
                "position", row -> EventRows.toStored(row, objectMapper), handler);
    }

    /**
     * The same for signed checkpoints ({@code run_checkpoint}), in commit order, under a cursor of their
     * own: what the stream publishes so that a consumer holds signed heads, not only events.
     */
    public Uni<Integer> publishNextCheckpoints(String consumer, int limit,
                                               Function<List<Checkpoint>, Uni<Void>> handler) {
        return next(consumer, limit, "select id, " + Checkpoints.COLUMNS + ", tx_id::text as tx from run_checkpoint"
                        + " where (tx_id, id) > (cast($1::text as xid8), $2)"
                        + " and tx_id < pg_snapshot_xmin(pg_current_snapshot())"
                        + " order by tx_id, id limit $3",
                "id", Checkpoints::toCheckpoint, handler);
    }

    /**
     * The cursor protocol shared by both streams: the query reads rows after the cursor ({@code $1} the
     * transaction id as text, {@code $2} the position, {@code $3} the limit) with their transaction id as
     * {@code tx}, and only rows of transactions older than every one still in flight, so that a row committed
     * late is never skipped.
     */
    private <T> Uni<Integer> next(String consumer, int limit, String select, String position, Function<Row, T> read,
                                  Function<List<T>, Uni<Void>> handler) {
        return pool.withTransaction(connection -> connection
                .preparedQuery("insert into outbox_cursor (consumer, tx_id, position) values ($1, '0'::xid8, 0) "
                        + "on conflict (consumer) do nothing")
                .execute(Tuple.of(consumer))
                .chain(() -> connection.preparedQuery("select tx_id::text as tx, position from outbox_cursor "
                                + "where consumer = $1 for update skip locked")
                        .execute(Tuple.of(consumer)))
                .chain(cursor -> {
                    if (cursor.size() == 0) {
                        return Uni.createFrom().item(0);
                    }
                    Row at = cursor.iterator().next();
                    return connection.preparedQuery(select)
                            .execute(Tuple.of(at.getString("tx"), at.getLong("position"), (long) limit))
                            .chain(rows -> {
                                if (rows.size() == 0) {
                                    return Uni.createFrom().item(0);
                                }
                                List<T> items = new ArrayList<>(rows.size());
                                Row last = null;
                                for (Row row : rows) {
                                    items.add(read.apply(row));
                                    last = row;
                                }
                                Tuple moved = Tuple.of(last.getString("tx"), last.getLong(position), consumer);
                                return handler.apply(List.copyOf(items))
                                        .chain(() -> connection.preparedQuery("update outbox_cursor set "
                                                        + "tx_id = cast($1::text as xid8), position = $2 where consumer = $3")
                                                .execute(moved))
                                        .replaceWith(items.size());
                            });
                }));
    }
}
