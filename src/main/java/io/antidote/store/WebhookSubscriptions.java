package io.antidote.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The {@code webhook_subscription} table ({@code V14__webhooks.sql}), on the reactive pool. */
@ApplicationScoped
public class WebhookSubscriptions {

    private static final String COLUMNS =
            "id, url, event_types, statuses, secret, description, created_by, created_at, disabled_by, disabled_at";

    private final Pool pool;

    public WebhookSubscriptions(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> insert(WebhookSubscriptionRow row) {
        return pool.preparedQuery("insert into webhook_subscription (" + COLUMNS
                        + ") values ($1, $2, $3, $4, $5, $6, $7, $8, null, null)")
                .execute(Tuple.tuple(Arrays.asList(row.id(), row.url(), row.eventTypes().toArray(String[]::new),
                        row.statuses().toArray(String[]::new), row.secret(), row.description(), row.createdBy(),
                        utc(row.createdAt()))))
                .replaceWithVoid();
    }

    public Uni<Optional<WebhookSubscriptionRow>> byId(UUID id) {
        return pool.preparedQuery("select " + COLUMNS + " from webhook_subscription where id = $1")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toRow(rows.iterator().next())));
    }

    /** Every subscription, newest first, disabled ones included. */
    public Uni<List<WebhookSubscriptionRow>> all() {
        return list("select " + COLUMNS + " from webhook_subscription order by created_at desc, id");
    }

    /** The subscriptions that get new deliveries. */
    public Uni<List<WebhookSubscriptionRow>> active() {
        return list("select " + COLUMNS + " from webhook_subscription where disabled_at is null order by created_at, id");
    }

    /** Disables a subscription: no new delivery, and its pending ones are not sent. False if none or already. */
    public Uni<Boolean> disable(UUID id, String by, Instant at) {
        return pool.preparedQuery("update webhook_subscription set disabled_by = $2, disabled_at = $3 "
                        + "where id = $1 and disabled_at is null")
                .execute(Tuple.of(id, by, utc(at)))
                .map(rows -> rows.rowCount() == 1);
    }

    private Uni<List<WebhookSubscriptionRow>> list(String sql) {
        return pool.query(sql).execute().map(rows -> {
            List<WebhookSubscriptionRow> found = new ArrayList<>(rows.size());
            rows.forEach(row -> found.add(toRow(row)));
            return List.copyOf(found);
        });
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }

    private static WebhookSubscriptionRow toRow(Row row) {
        OffsetDateTime disabledAt = row.getOffsetDateTime("disabled_at");
        return new WebhookSubscriptionRow(row.getUUID("id"), row.getString("url"),
                Arrays.asList(row.getArrayOfStrings("event_types")), Arrays.asList(row.getArrayOfStrings("statuses")),
                row.getString("secret"), row.getString("description"), row.getString("created_by"),
                row.getOffsetDateTime("created_at").toInstant(), row.getString("disabled_by"),
                disabledAt == null ? null : disabledAt.toInstant());
    }
}
