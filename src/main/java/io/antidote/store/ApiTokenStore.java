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

/** The {@code api_token} table ({@code V8__api_token.sql}), on the reactive pool. */
@ApplicationScoped
public class ApiTokenStore {

    private static final String COLUMNS =
            "id, name, token_hash, roles, playbooks, created_by, created_at, expires_at, revoked_by, revoked_at";

    private final Pool pool;

    public ApiTokenStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> insert(ApiTokenRow row) {
        return pool.preparedQuery("insert into api_token (" + COLUMNS + ") values ($1, $2, $3, $4, $5, $6, $7, $8, null, null)")
                .execute(Tuple.tuple(List.of(row.id(), row.name(), row.tokenHash(),
                        row.roles().toArray(String[]::new), row.playbooks().toArray(String[]::new), row.createdBy(),
                        utc(row.createdAt()), utc(row.expiresAt()))))
                .replaceWithVoid();
    }

    public Uni<Optional<ApiTokenRow>> byHash(String tokenHash) {
        return pool.preparedQuery("select " + COLUMNS + " from api_token where token_hash = $1")
                .execute(Tuple.of(tokenHash))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toRow(rows.iterator().next())));
    }

    public Uni<Optional<ApiTokenRow>> byId(UUID id) {
        return pool.preparedQuery("select " + COLUMNS + " from api_token where id = $1")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toRow(rows.iterator().next())));
    }

    /** Every token, newest first, revoked and expired ones included. */
    public Uni<List<ApiTokenRow>> all() {
        return pool.query("select " + COLUMNS + " from api_token order by created_at desc, id").execute()
                .map(rows -> {
                    List<ApiTokenRow> found = new ArrayList<>(rows.size());
                    rows.forEach(row -> found.add(toRow(row)));
                    return List.copyOf(found);
                });
    }

    /** Revokes a token in force; false when there is none by that id or it was already revoked. */
    public Uni<Boolean> revoke(UUID id, String by, Instant at) {
        return pool.preparedQuery("update api_token set revoked_by = $2, revoked_at = $3 where id = $1 and revoked_at is null")
                .execute(Tuple.of(id, by, utc(at)))
                .map(rows -> rows.rowCount() == 1);
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }

    private static ApiTokenRow toRow(Row row) {
        OffsetDateTime revokedAt = row.getOffsetDateTime("revoked_at");
        return new ApiTokenRow(row.getUUID("id"), row.getString("name"), row.getString("token_hash"),
                Arrays.asList(row.getArrayOfStrings("roles")), Arrays.asList(row.getArrayOfStrings("playbooks")),
                row.getString("created_by"), row.getOffsetDateTime("created_at").toInstant(),
                row.getOffsetDateTime("expires_at").toInstant(), row.getString("revoked_by"),
                revokedAt == null ? null : revokedAt.toInstant());
    }
}
