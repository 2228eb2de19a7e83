package io.antidote.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code webhook_delivery} table ({@code V14__webhooks.sql}), on the reactive pool. Times are the
 * database's ({@code now()}), so that replicas never compare clocks when they take turns on due rows.
 */
@ApplicationScoped
public class WebhookDeliveries {

    private static final String COLUMNS = "id, subscription_id, event_id, run_id, event_type, status, attempts, "
            + "created_at, next_attempt_at, last_attempt_at, last_status, last_error, delivered_at";

    /** A delivery to write: the payload is final, every attempt sends exactly these bytes. */
    public record NewDelivery(UUID id, UUID subscriptionId, UUID eventId, UUID runId, String eventType,
                              String payload) {
    }

    /**
     * A delivery a sender has claimed, with what it needs to send it. Holds the secret: {@link #toString()}
     * leaves it out.
     *
     * @param attempts this attempt's number, from 1
     */
    public record Claimed(UUID id, UUID subscriptionId, String eventType, String payload, int attempts, String url,
                          String secret) {
        @Override
        public String toString() {
            return "Claimed[id=" + id + ", subscriptionId=" + subscriptionId + ", attempts=" + attempts + "]";
        }
    }

    private final Pool pool;

    public WebhookDeliveries(Pool pool) {
        this.pool = pool;
    }

    /**
     * Writes the deliveries, due now; one already written for the same subscription and event is left as it
     * is, so that an outbox batch read again writes nothing twice. Returns how many are new.
     */
    public Uni<Integer> insert(List<NewDelivery> deliveries) {
        if (deliveries.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<Tuple> rows = deliveries.stream().map(d -> Tuple.tuple(Arrays.asList(d.id(), d.subscriptionId(),
                d.eventId(), d.runId(), d.eventType(), d.payload()))).toList();
        return pool.preparedQuery("insert into webhook_delivery (id, subscription_id, event_id, run_id, event_type, "
                        + "payload, status, created_at, window_start, next_attempt_at) "
                        + "values ($1, $2, $3, $4, $5, $6, 'PENDING', now(), now(), now()) "
                        + "on conflict (subscription_id, event_id) do nothing")
                .executeBatch(rows)
                .map(result -> {
                    int inserted = 0;
                    for (var r = result; r != null; r = r.next()) {
                        inserted += r.rowCount();
                    }
                    return inserted;
                });
    }

    /**
     * Claims up to {@code limit} due deliveries of active subscriptions, oldest due first, skipping rows
     * another replica is claiming: each attempt is counted and the row is not due again before
     * {@code lease} has passed, by when its sender has recorded the outcome or has died.
     */
    public Uni<List<Claimed>> claimDue(int limit, Duration lease) {
        return pool.preparedQuery("""
                        with due as (
                            select d.id from webhook_delivery d
                              join webhook_subscription s on s.id = d.subscription_id
                             where d.status = 'PENDING' and d.next_attempt_at <= now() and s.disabled_at is null
                             order by d.next_attempt_at
                             limit $1
                               for update of d skip locked)
                        update webhook_delivery d
                           set attempts = d.attempts + 1, last_attempt_at = now(),
                               next_attempt_at = now() + make_interval(secs => $2)
                          from due, webhook_subscription s
                         where d.id = due.id and s.id = d.subscription_id
                        returning d.id, d.subscription_id, d.event_type, d.payload, d.attempts, s.url, s.secret""")
                .execute(Tuple.of(limit, seconds(lease)))
                .map(rows -> {
                    List<Claimed> claimed = new ArrayList<>(rows.size());
                    rows.forEach(r -> claimed.add(new Claimed(r.getUUID("id"), r.getUUID("subscription_id"),
                            r.getString("event_type"), r.getString("payload"), r.getInteger("attempts"),
                            r.getString("url"), r.getString("secret"))));
                    return List.copyOf(claimed);
                });
    }

    /** The receiver answered 2xx. */
    public Uni<Void> delivered(UUID id, int httpStatus) {
        return pool.preparedQuery("update webhook_delivery set status = 'DELIVERED', delivered_at = now(), "
                        + "last_status = $2, last_error = null where id = $1 and status = 'PENDING'")
                .execute(Tuple.of(id, httpStatus))
                .replaceWithVoid();
    }

    /**
     * The attempt failed: due again after {@code backoff}, or dead when that would fall past the delivery's
     * window ({@code window} from its creation or its last replay). True when it is dead now.
     */
    public Uni<Boolean> failed(UUID id, Integer httpStatus, String error, Duration backoff, Duration window) {
        return pool.preparedQuery("""
                        update webhook_delivery
                           set last_status = $2, last_error = $3,
                               next_attempt_at = now() + make_interval(secs => $4),
                               status = case when now() + make_interval(secs => $4)
                                                  > window_start + make_interval(secs => $5)
                                             then 'DEAD' else 'PENDING' end
                         where id = $1 and status = 'PENDING'
                        returning status""")
                .execute(Tuple.of(id, httpStatus, error, seconds(backoff), seconds(window)))
                .map(rows -> rows.size() == 1 && WebhookDelivery.DEAD.equals(rows.iterator().next().getString("status")));
    }

    /** The subscription's deliveries, newest first, optionally of one status only. */
    public Uni<List<WebhookDelivery>> log(UUID subscriptionId, String status, int limit) {
        return pool.preparedQuery("select " + COLUMNS + " from webhook_delivery where subscription_id = $1 "
                        + "and ($2::text is null or status = $2) order by created_at desc, id limit $3")
                .execute(Tuple.of(subscriptionId, status, limit))
                .map(rows -> {
                    List<WebhookDelivery> found = new ArrayList<>(rows.size());
                    rows.forEach(row -> found.add(toDelivery(row)));
                    return List.copyOf(found);
                });
    }

    public Uni<Optional<WebhookDelivery>> byId(UUID subscriptionId, UUID id) {
        return pool.preparedQuery("select " + COLUMNS + " from webhook_delivery where subscription_id = $1 and id = $2")
                .execute(Tuple.of(subscriptionId, id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toDelivery(rows.iterator().next())));
    }

    /**
     * Makes the delivery due now with a fresh window, whatever its status: sent again with the same
     * {@code webhook-id}, so that a receiver that already has it recognises it. Empty when there is none.
     */
    public Uni<Optional<WebhookDelivery>> replay(UUID subscriptionId, UUID id) {
        return pool.preparedQuery("update webhook_delivery set status = 'PENDING', next_attempt_at = now(), "
                        + "window_start = now(), delivered_at = null where subscription_id = $1 and id = $2 "
                        + "returning " + COLUMNS)
                .execute(Tuple.of(subscriptionId, id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toDelivery(rows.iterator().next())));
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static WebhookDelivery toDelivery(Row row) {
        return new WebhookDelivery(row.getUUID("id"), row.getUUID("subscription_id"), row.getUUID("event_id"),
                row.getUUID("run_id"), row.getString("event_type"), row.getString("status"), row.getInteger("attempts"),
                instant(row, "created_at"), instant(row, "next_attempt_at"), instant(row, "last_attempt_at"),
                row.getInteger("last_status"), row.getString("last_error"), instant(row, "delivered_at"));
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime at = row.getOffsetDateTime(column);
        return at == null ? null : at.toInstant();
    }
}
