package io.antidote.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

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
 *
 * <p>One database API: the Vert.x client, as the appends that write the rows use it.
 */
@ApplicationScoped
public class RunSummaries {

    private static final String COLUMNS = "run_id, playbook, digest, status, ticket, requested_by, created_at, "
            + "updated_at, finished_at, targets, last_seq";

    private final Pool pool;
    private final ObjectMapper mapper;

    public RunSummaries(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
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
     * Inserts or replaces the run's row on the caller's connection (the append's transaction, see
     * {@link EventStore#append}). A row that already folds as many events or more is kept: a slower writer never
     * turns the list back.
     */
    Uni<Void> upsert(SqlClient connection, RunSummary summary) {
        return connection.preparedQuery(UPSERT).execute(Tuple.of(toJson(summary))).replaceWithVoid();
    }

    /** As {@link #upsert(SqlClient, RunSummary)}, in a transaction of its own. */
    public Uni<Void> upsert(RunSummary summary) {
        return upsert(pool, summary);
    }

    private static final String UPSERT = "insert into run_summary (" + COLUMNS + ") select " + COLUMNS
            + " from jsonb_populate_record(null::run_summary, cast(cast($1 as text) as jsonb))"
            + " on conflict (run_id) do update set playbook = excluded.playbook, digest = excluded.digest,"
            + " status = excluded.status, ticket = excluded.ticket, requested_by = excluded.requested_by,"
            + " created_at = excluded.created_at, updated_at = excluded.updated_at,"
            + " finished_at = excluded.finished_at, targets = excluded.targets, last_seq = excluded.last_seq"
            + " where run_summary.last_seq < excluded.last_seq";

    /**
     * Replaces the whole list with {@code rows}, in one transaction: readers see the old list until the new one
     * commits, and the truncate's lock holds back concurrent appends (whose own row update then lands on top of
     * the rebuilt one, and wins only if it folds more events). Answers how many rows were written.
     */
    public Uni<Integer> replaceAll(Multi<RunSummary> rows) {
        return pool.withTransaction(connection -> connection.query("truncate run_summary").execute()
                // Each row counts as 1: a Uni<Void>'s null item would not be emitted, so not counted.
                .chain(() -> rows.onItem().transformToUniAndConcatenate(row -> upsert(connection, row).replaceWith(1))
                        .collect().with(java.util.stream.Collectors.summingInt(Integer::intValue))));
    }

    /** One page of runs matching the filter, newest first (then by id); pages count from 0. */
    public Uni<Page> find(Filter filter, int page, int size) {
        Objects.requireNonNull(filter, "filter");
        if (page < 0 || size < 1) {
            throw new IllegalArgumentException("page >= 0 and size >= 1, not page " + page + " size " + size);
        }
        List<Object> params = new ArrayList<>();
        List<String> where = new ArrayList<>();
        if (filter.status() != null) {
            params.add(filter.status());
            where.add("r.status = $" + params.size());
        }
        if (filter.playbook() != null) {
            params.add(filter.playbook());
            where.add("r.playbook = $" + params.size());
        }
        if (filter.target() != null) {
            params.add(filter.target());
            // @> rather than = any(...), so that the GIN index on targets serves it.
            where.add("r.targets @> array[cast($" + params.size() + " as text)]");
        }
        if (filter.ticket() != null) {
            params.add(filter.ticket());
            where.add("r.ticket = $" + params.size());
        }
        String condition = where.isEmpty() ? "" : " where " + String.join(" and ", where);
        long offset = (long) page * size;
        String count = "select count(*) from run_summary r" + condition;
        String rows = "select cast(to_jsonb(r) as text) from run_summary r" + condition
                + " order by r.created_at desc, r.run_id limit $" + (params.size() + 1) + " offset $" + (params.size() + 2);
        List<Object> paged = new ArrayList<>(params);
        paged.add(size);
        paged.add(offset);
        // One transaction, so that the total and the page are read from the same list.
        return pool.withTransaction(connection -> connection.preparedQuery(count).execute(Tuple.from(params))
                .chain(total -> connection.preparedQuery(rows).execute(Tuple.from(paged))
                        .map(json -> new Page(summaries(json), page, size, total.iterator().next().getLong(0)))));
    }

    /** The run's row, or null when the run is not in the list. */
    public Uni<RunSummary> get(UUID runId) {
        Objects.requireNonNull(runId, "runId");
        return pool.preparedQuery("select cast(to_jsonb(r) as text) from run_summary r where r.run_id = $1")
                .execute(Tuple.of(runId))
                .map(rows -> rows.size() == 0 ? null : fromJson(rows.iterator().next().getString(0)));
    }

    /** Every row, by run id: what a rebuild must reproduce exactly. */
    public Uni<List<RunSummary>> all() {
        return pool.query("select cast(to_jsonb(r) as text) from run_summary r order by r.run_id").execute()
                .map(this::summaries);
    }

    private List<RunSummary> summaries(RowSet<Row> rows) {
        List<RunSummary> out = new ArrayList<>();
        rows.forEach(row -> out.add(fromJson(row.getString(0))));
        return out;
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
