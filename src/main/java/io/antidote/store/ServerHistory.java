package io.antidote.store;

import io.antidote.workflow.RunEvent;
import io.antidote.workflow.RunEventTypes;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Each server's history across runs. Where a server stands is the projection {@code server_state} (see
 * {@code V12__server_state.sql}): its last recorded verdict with the events behind it, and the labels its
 * latest run recorded, folded from the events in the transaction that appends them and rebuilt from them on
 * demand ({@code ProjectionRebuilder}); the list is filtered by verdict and label in SQL. The timeline is
 * every run the run list says named the server.
 *
 * <p>Servers of the inventory that no run ever named have no row: they are listed as never verdicted, with
 * the inventory's labels, and so are the labels of a server whose runs recorded none (plans from before V12).
 */
@ApplicationScoped
public class ServerHistory {

    /** One event named by its place in a run's hash chain: enough for an auditor to find and verify it. */
    public record EventRef(UUID runId, long seq, String hash, String type, String step) {}

    /**
     * Where a server stands. Without a verdict, {@code patch} and {@code compromise} are UNKNOWN, {@code service},
     * {@code verdictAt} and {@code verdict} null and {@code evidence} empty.
     *
     * @param evidence the step outcomes (and any release) of the verdict's run on the server, then the verdict
     */
    public record ServerState(String name, Map<String, String> labels, String patch, String compromise,
                              List<Object> indicators, String service, List<Object> reasons, Instant verdictAt,
                              EventRef verdict, List<EventRef> evidence) {}

    /** A run that named the server, with what it last recorded about it. */
    public record RunOnServer(UUID runId, String playbook, String status, Instant createdAt, Instant finishedAt,
                              String targetEnd, Map<String, Object> verdict) {}

    /** Which servers to list; {@code verdict} null and {@code labels} empty do not filter. */
    public record Filter(String verdict, Map<String, String> labels) {}

    /** Word of the verdict filter for a server no run recorded a verdict for (or whose patch state is unknown). */
    public static final String UNKNOWN = "UNKNOWN";

    private static final String STATE_COLUMNS = """
            coalesce(s.name, i.name), coalesce(s.labels, i.labels, '{}')::text, s.patch, s.compromise,
            s.indicators::text, s.service, s.reasons::text, s.verdict_at, s.verdict_run, s.verdict_seq,
            s.verdict_hash, s.evidence::text""";

    /** The projection beside the inventory ($1, [{name, labels}]), each server once. */
    private static final String SERVERS = """
            from server_state s
            full join jsonb_to_recordset(cast(cast($1 as text) as jsonb)) as i(name text, labels jsonb) on i.name = s.name""";

    private final Pool pool;

    public ServerHistory(Pool pool) {
        this.pool = pool;
    }

    /**
     * Folds the run's events after {@code afterSeq} into {@code server_state} on the append's connection, in its
     * transaction, after the insert: the fold reads the rows just written, hashes and positions included.
     */
    static Uni<Void> fold(SqlConnection connection, UUID runId, long afterSeq) {
        return connection.preparedQuery("select server_state_project($1, $2)")
                .execute(Tuple.of(runId, afterSeq))
                .replaceWithVoid();
    }

    /**
     * Throws {@code server_state} away and folds every run's events into it again, in one transaction, with the
     * fold each append runs ({@code server_state_rebuild}); answers how many servers it holds.
     */
    public Uni<Integer> rebuild() {
        return pool.withTransaction(connection -> connection.query("select server_state_rebuild()").execute()
                .map(rows -> rows.iterator().next().getInteger(0)));
    }

    /**
     * The servers matching the filter, by name: every server a run named, and every one of {@code inventory}
     * (name to labels). A verdict word matches a server whose patch, compromise or service says it; UNKNOWN
     * also a server without a verdict.
     */
    public Uni<List<ServerState>> find(Filter filter, Map<String, Map<String, String>> inventory) {
        Objects.requireNonNull(filter, "filter");
        return pool.preparedQuery("select " + STATE_COLUMNS + " " + SERVERS + "\n" + """
                         where ($2::text is null or $2 in (s.patch, s.compromise, s.service)
                                or ($2 = 'UNKNOWN' and s.verdict_run is null))
                           and coalesce(s.labels, i.labels, '{}') @> cast(cast($3 as text) as jsonb)
                         order by 1""")
                .execute(Tuple.of(inventoryJson(inventory), filter.verdict(),
                        new JsonObject(new TreeMap<>(filter.labels())).encode()))
                .map(rows -> {
                    List<ServerState> out = new ArrayList<>();
                    rows.forEach(row -> out.add(state(row)));
                    return out;
                });
    }

    /** The server's state, or null if no run named it and {@code inventoryLabels} is null (not in the inventory). */
    public Uni<ServerState> state(String server, Map<String, String> inventoryLabels) {
        Objects.requireNonNull(server, "server");
        Map<String, Map<String, String>> inventory = inventoryLabels == null ? Map.of() : Map.of(server, inventoryLabels);
        return pool.preparedQuery("select " + STATE_COLUMNS + " " + SERVERS + " where coalesce(s.name, i.name) = $2")
                .execute(Tuple.of(inventoryJson(inventory), server))
                .map(rows -> rows.iterator().hasNext() ? state(rows.iterator().next()) : null);
    }

    /** Every row of the projection, by name, without the inventory: what a rebuild must reproduce exactly. */
    public Uni<List<ServerState>> projected() {
        return find(new Filter(null, Map.of()), Map.of());
    }

    /** Every run that named the server, oldest first, with how it ended the target and its verdict. */
    public Uni<List<RunOnServer>> runs(String server) {
        return pool.preparedQuery("""
                        select s.run_id, s.playbook, s.status, s.created_at, s.finished_at,
                               (select e.type from run_event e
                                 where e.run_id = s.run_id and e.target = $1 and e.type = any($2)
                                 order by e.seq desc limit 1),
                               (select v.data::text from run_event v
                                 where v.run_id = s.run_id and v.target = $1 and v.type = $3
                                 order by v.seq desc limit 1)
                          from run_summary s
                         where s.targets @> array[$1]::text[]
                         order by s.created_at, s.run_id""")
                .execute(Tuple.of(server, RunEventTypes.ENDING_TARGET.toArray(String[]::new),
                        RunEventTypes.nameOf(RunEvent.TargetVerdictRecorded.class)))
                .map(rows -> {
                    List<RunOnServer> out = new ArrayList<>();
                    rows.forEach(row -> out.add(new RunOnServer(row.getUUID(0), row.getString(1), row.getString(2),
                            instant(row, 3), instant(row, 4), row.getString(5),
                            row.getString(6) == null ? null : new JsonObject(row.getString(6)).getMap())));
                    return out;
                });
    }

    private static String inventoryJson(Map<String, Map<String, String>> inventory) {
        JsonArray servers = new JsonArray();
        new TreeMap<>(inventory).forEach((name, labels) -> servers.add(new JsonObject()
                .put("name", name).put("labels", new JsonObject(new TreeMap<>(labels)))));
        return servers.encode();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ServerState state(Row row) {
        Map<String, String> labels = new TreeMap<>((Map) new JsonObject(row.getString(1)).getMap());
        UUID run = row.getUUID(8);
        EventRef verdict = run == null ? null
                : new EventRef(run, row.getLong(9), row.getString(10),
                        RunEventTypes.nameOf(RunEvent.TargetVerdictRecorded.class), null);
        List<EventRef> evidence = new ArrayList<>();
        if (row.getString(11) != null) {
            new JsonArray(row.getString(11)).forEach(o -> {
                JsonObject e = (JsonObject) o;
                evidence.add(new EventRef(UUID.fromString(e.getString("runId")), e.getLong("seq"),
                        e.getString("hash"), e.getString("type"), e.getString("step")));
            });
        }
        return new ServerState(row.getString(0), labels, run == null ? UNKNOWN : row.getString(2),
                run == null ? UNKNOWN : row.getString(3), list(row.getString(4)), row.getString(5),
                list(row.getString(6)), instant(row, 7), verdict, List.copyOf(evidence));
    }

    private static List<Object> list(String json) {
        return json == null ? List.of() : new JsonArray(json).getList();
    }

    private static Instant instant(Row row, int column) {
        var time = row.getOffsetDateTime(column);
        return time == null ? null : time.toInstant();
    }
}
