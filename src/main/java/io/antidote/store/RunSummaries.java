package io.antidote.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The run list read model ({@code run_summary}, see {@code V3__run_projections.sql}): written by the
 * engine in the transaction of each append, read by {@code GET /api/v1/runs}, rebuilt from the events
 * on demand.
 *
 * <p>The row goes in as text cast to jsonb: a parameter the server types as jsonb would be encoded by
 * the Vert.x client as a JSON string, not as the object the text holds.
 *
 * <p>Rows cross the driver as one JSON document each ({@code jsonb_populate_record} in, {@code
 * to_jsonb} out), so arrays, nulls and timestamps need no driver-specific binding.
 */
@ApplicationScoped
public class RunSummaries {

    private static final String COLUMNS = "run_id, playbook, digest, status, ticket, requested_by, created_at, "
            + "updated_at, finished_at, targets, last_seq";

    private final Mutiny.SessionFactory sessionFactory;
    private final ObjectMapper mapper;

    public RunSummaries(Mutiny.SessionFactory sessionFactory, ObjectMapper mapper) {
        this.sessionFactory = sessionFactory;
        this.mapper = mapper;
    }

    /** Which runs to list; a null field does not filter. */
    public record Filter(String status, String playbook, String target, String ticket) {

        public static final Filter ALL = new Filter(null, null, null, null);
    }

    /** One page of the run list, newest first; {@code total} counts every row the filter matches. */
    public record Page(List<RunSummary> items, int page, int size, long total) {
    }

    /**
     * Inserts or replaces the run's row on the caller's session (the append's transaction). A row that
     * already folds as many events or more is kept: a slower writer never turns the list back.
     */
    public Uni<Void> upsert(Mutiny.Session session, RunSummary summary) {
        return session.createNativeQuery(upsertSql(":row"))
                .setParameter("row", toJson(summary))
                .executeUpdate()
                .replaceWithVoid();
    }

    /** As {@link #upsert(Mutiny.Session, RunSummary)}, on the append's connection (see {@link EventStore#append}). */
    Uni<Void> upsert(SqlConnection connection, RunSummary summary) {
        return connection.preparedQuery(UPSERT_ON_CONNECTION)
                .execute(Tuple.of(toJson(summary)))
                .replaceWithVoid();
    }

    private static final String UPSERT_ON_CONNECTION = upsertSql("$1");

    private static String upsertSql(String row) {
        return "insert into run_summary (" + COLUMNS + ") select " + COLUMNS
                + " from jsonb_populate_record(null::run_summary, cast(cast(" + row + " as text) as jsonb))"
                + " on conflict (run_id) do update set playbook = excluded.playbook, digest = excluded.digest,"
                + " status = excluded.status, ticket = excluded.ticket, requested_by = excluded.requested_by,"
                + " created_at = excluded.created_at, updated_at = excluded.updated_at,"
                + " finished_at = excluded.finished_at, targets = excluded.targets, last_seq = excluded.last_seq"
                + " where run_summary.last_seq < excluded.last_seq";
    }

    /** Empties the run list on the caller's session, ahead of a rebuild in the same transaction. */
    public Uni<Void> clear(Mutiny.Session session) {
        return session.createNativeQuery("truncate run_summary").executeUpdate().replaceWithVoid();
    }

    /** One page of runs matching the filter, newest first (then by id); pages count from 0. */
    public Uni<Page> find(Filter filter, int page, int size) {
        Objects.requireNonNull(filter, "filter");
        if (page < 0 || size < 1) {
            throw new IllegalArgumentException("page >= 0 and size >= 1, not page " + page + " size " + size);
        }
        Map<String, Object> params = new LinkedHashMap<>();
        List<String> where = new ArrayList<>();
        if (filter.status() != null) {
            where.add("r.status = :status");
            params.put("status", filter.status());
        }
        if (filter.playbook() != null) {
            where.add("r.playbook = :playbook");
            params.put("playbook", filter.playbook());
        }
        if (filter.target() != null) {
            // @> rather than = any(...), so that the GIN index on targets serves it.
            where.add("r.targets @> array[cast(:target as text)]");
            params.put("target", filter.target());
        }
        if (filter.ticket() != null) {
            where.add("r.ticket = :ticket");
            params.put("ticket", filter.ticket());
        }
        String condition = where.isEmpty() ? "" : " where " + String.join(" and ", where);
        long offset = (long) page * size;
        return sessionFactory.withTransaction(session -> {
            var count = session.createNativeQuery("select count(*) from run_summary r" + condition, Long.class);
            var rows = session.createNativeQuery("select cast(to_jsonb(r) as text) from run_summary r" + condition
                    + " order by r.created_at desc, r.run_id limit :limit offset :offset", String.class);
            params.forEach(count::setParameter);
            params.forEach(rows::setParameter);
            rows.setParameter("limit", size).setParameter("offset", offset);
            // One statement after the other: a session never runs two at once.
            return count.getSingleResult().chain(total -> rows.getResultList()
                    .map(json -> new Page(json.stream().map(this::fromJson).toList(), page, size, total)));
        });
    }

    /** Every row, by run id: what a rebuild must reproduce exactly. */
    public Uni<List<RunSummary>> all() {
        return sessionFactory.withTransaction(session -> session
                .createNativeQuery("select cast(to_jsonb(r) as text) from run_summary r order by r.run_id", String.class)
                .getResultList()
                .map(json -> json.stream().map(this::fromJson).toList()));
    }

    private String toJson(RunSummary s) {
        ObjectNode row = mapper.createObjectNode();
        row.put("run_id", s.runId().toString());
        row.put("playbook", s.playbook());
        row.put("digest", s.digest());
        row.put("status", s.status());
        row.put("ticket", s.ticket());
        row.put("requested_by", s.requestedBy());
        row.put("created_at", s.createdAt().toString());
        row.put("updated_at", s.updatedAt().toString());
        row.put("finished_at", s.finishedAt() == null ? null : s.finishedAt().toString());
        ArrayNode targets = row.putArray("targets");
        s.targets().forEach(targets::add);
        row.put("last_seq", s.lastSeq());
        return row.toString();
    }

    private RunSummary fromJson(String json) {
        try {
            JsonNode row = mapper.readTree(json);
            List<String> targets = new ArrayList<>();
            row.get("targets").forEach(t -> targets.add(t.asText()));
            return new RunSummary(UUID.fromString(row.get("run_id").asText()), row.get("playbook").asText(),
                    row.get("digest").asText(), row.get("status").asText(), text(row, "ticket"),
                    row.get("requested_by").asText(), instant(row, "created_at"), instant(row, "updated_at"),
                    instant(row, "finished_at"), targets, row.get("last_seq").asLong());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("run_summary holds a row that is not readable JSON", e);
        }
    }

    private static String text(JsonNode row, String field) {
        JsonNode value = row.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant instant(JsonNode row, String field) {
        String value = text(row, field);
        return value == null ? null : OffsetDateTime.parse(value).toInstant();
    }
}
