package io.antidote.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Reads committed events from {@code run_event} in commit order for a named consumer, and moves that
 * consumer's cursor only once the consumer has taken a batch. At least once: a batch whose handling
 * fails is read again. Several replicas may run the same consumer; the cursor row is locked for the
 * batch, so only one of them publishes at a time and the others skip the round.
 *
 * <p>Call on a Vert.x duplicated context, as {@link EventStore}.
 */
@ApplicationScoped
public class Outbox {

    private final Mutiny.SessionFactory sessionFactory;
    private final ObjectMapper objectMapper;

    public Outbox(Mutiny.SessionFactory sessionFactory, ObjectMapper objectMapper) {
        this.sessionFactory = sessionFactory;
        this.objectMapper = objectMapper;
    }

    /**
     * Hands the next committed events after the consumer's cursor (at most {@code limit}) to
     * {@code handler}, and advances the cursor past them once the handler's Uni succeeds. Completes with
     * the number of events handled: 0 when there was nothing new, or another replica held the cursor.
     */
    public Uni<Integer> publishNext(String consumer, int limit, Function<List<StoredEvent>, Uni<Void>> handler) {
        return next(consumer, limit, """
                select position, event_id, run_id, seq, type,
                       (extract(epoch from occurred_at) * 1000000)::bigint, actor, target, step,
                       attempt, data::text, prev_hash, hash, tx_id::text
                  from run_event
                 where (tx_id, position) > (cast(:tx as xid8), :pos)
                   and tx_id < pg_snapshot_xmin(pg_current_snapshot())
                 order by tx_id, position
                 limit :limit""", this::toStored, handler);
    }

    /**
     * The same for signed checkpoints ({@code run_checkpoint}), in commit order, under a cursor of their
     * own: what the stream publishes so that a consumer holds signed heads, not only events.
     */
    public Uni<Integer> publishNextCheckpoints(String consumer, int limit,
                                               Function<List<Checkpoint>, Uni<Void>> handler) {
        return next(consumer, limit, """
                select id, run_id, last_seq, last_hash, (extract(epoch from signed_at) * 1000000)::bigint,
                       key_id, signature, tx_id::text
                  from run_checkpoint
                 where (tx_id, id) > (cast(:tx as xid8), :pos)
                   and tx_id < pg_snapshot_xmin(pg_current_snapshot())
                 order by tx_id, id
                 limit :limit""", Outbox::toCheckpoint, handler);
    }

    /**
     * The cursor protocol shared by both streams: the query's first column is the row's position and its
     * last the row's transaction id, and only rows of transactions older than every one still in flight
     * are read, so that a row committed late is never skipped.
     */
    private <T> Uni<Integer> next(String consumer, int limit, String select, Function<Object[], T> read,
                                  Function<List<T>, Uni<Void>> handler) {
        return sessionFactory.withTransaction(session -> session
                .createNativeQuery("insert into outbox_cursor (consumer, tx_id, position) values (:c, '0'::xid8, 0) "
                        + "on conflict (consumer) do nothing")
                .setParameter("c", consumer)
                .executeUpdate()
                .chain(() -> session.createNativeQuery(
                                "select tx_id::text, position from outbox_cursor where consumer = :c "
                                        + "for update skip locked", Object[].class)
                        .setParameter("c", consumer)
                        .getResultList())
                .chain(cursor -> {
                    if (cursor.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    String txId = (String) cursor.get(0)[0];
                    long position = ((Number) cursor.get(0)[1]).longValue();
                    return session.createNativeQuery(select, Object[].class)
                            .setParameter("tx", txId)
                            .setParameter("pos", position)
                            .setParameter("limit", limit)
                            .getResultList()
                            .chain(rows -> {
                                if (rows.isEmpty()) {
                                    return Uni.createFrom().item(0);
                                }
                                List<T> items = rows.stream().map(read).toList();
                                Object[] last = rows.get(rows.size() - 1);
                                return handler.apply(items)
                                        .chain(() -> session.createNativeQuery("update outbox_cursor set "
                                                        + "tx_id = cast(:tx as xid8), position = :pos where consumer = :c")
                                                .setParameter("tx", last[last.length - 1])
                                                .setParameter("pos", ((Number) last[0]).longValue())
                                                .setParameter("c", consumer)
                                                .executeUpdate())
                                        .replaceWith(items.size());
                            });
                }));
    }

    private static Checkpoint toCheckpoint(Object[] row) {
        return new Checkpoint((UUID) row[1], ((Number) row[2]).longValue(), ((String) row[3]).trim(),
                micros(((Number) row[4]).longValue()), (String) row[5], (String) row[6]);
    }

    private StoredEvent toStored(Object[] row) {
        return new StoredEvent(((Number) row[0]).longValue(), (UUID) row[2], ((Number) row[3]).longValue(),
                new NewEvent((UUID) row[1], (String) row[4], micros(((Number) row[5]).longValue()), (String) row[6],
                        (String) row[7], (String) row[8], row[9] == null ? null : ((Number) row[9]).intValue(),
                        data((String) row[10])),
                ((String) row[11]).trim(), ((String) row[12]).trim());
    }

    private static java.time.Instant micros(long micros) {
        return java.time.Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    private ObjectNode data(String json) {
        try {
            JsonNode node = objectMapper.readTree(json);
            return (ObjectNode) node;
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("an outbox event holds data that is not a JSON object", e);
        }
    }
}
