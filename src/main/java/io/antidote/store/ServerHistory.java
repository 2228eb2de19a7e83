package io.antidote.store;

import io.antidote.workflow.RunEvent;
import io.antidote.workflow.RunEventTypes;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Each server's history across runs, read from the events themselves, so it is never out of step with
 * them and needs no rebuild: the last verdict a run recorded for the server (a {@code TargetVerdictRecorded}
 * event) with the events behind it, and every run that named the server.
 */
@ApplicationScoped
public class ServerHistory {

    private static final String VERDICT = RunEventTypes.nameOf(RunEvent.TargetVerdictRecorded.class);
    /** What a verdict rests on: the outcomes of the target's steps and a person's release before it. */
    private static final String[] EVIDENCE = {
            RunEventTypes.nameOf(RunEvent.StepSucceeded.class), RunEventTypes.nameOf(RunEvent.StepFailed.class),
            RunEventTypes.nameOf(RunEvent.StepSkipped.class), RunEventTypes.nameOf(RunEvent.StepTimedOut.class),
            RunEventTypes.nameOf(RunEvent.StepInterrupted.class), RunEventTypes.nameOf(RunEvent.TargetReleased.class)};

    /** One event named by its place in a run's hash chain: enough for an auditor to find and verify it. */
    public record EventRef(UUID runId, long seq, String hash, String type, String step) {}

    /** The last verdict recorded for a server; {@code verdict} is the event's data as stored. */
    public record LastVerdict(String server, Map<String, Object> verdict, Instant at, EventRef event) {}

    /** A run that named the server, with what it last recorded about it. */
    public record RunOnServer(UUID runId, String playbook, String status, Instant createdAt, Instant finishedAt,
                              String targetEnd, Map<String, Object> verdict) {}

    private final Pool pool;

    public ServerHistory(Pool pool) {
        this.pool = pool;
    }

    /** The last verdict of every server any run recorded one for, by server name. */
    public Uni<List<LastVerdict>> lastVerdicts() {
        return pool.preparedQuery("""
                        select distinct on (target) target, run_id, seq, hash, occurred_at, data::text
                          from run_event where type = $1
                         order by target, position desc""")
                .execute(Tuple.of(VERDICT))
                .map(rows -> {
                    List<LastVerdict> out = new ArrayList<>();
                    rows.forEach(row -> out.add(lastVerdict(row)));
                    return out;
                });
    }

    /** The server's last verdict, if a run recorded one. */
    public Uni<LastVerdict> lastVerdict(String server) {
        Objects.requireNonNull(server, "server");
        return pool.preparedQuery("""
                        select target, run_id, seq, hash, occurred_at, data::text
                          from run_event where type = $1 and target = $2
                         order by position desc limit 1""")
                .execute(Tuple.of(VERDICT, server))
                .map(rows -> rows.iterator().hasNext() ? lastVerdict(rows.iterator().next()) : null);
    }

    /** The events of the verdict's run and target before it that it rests on, in seq order. */
    public Uni<List<EventRef>> evidence(EventRef verdict, String server) {
        return pool.preparedQuery("""
                        select run_id, seq, hash, type, step from run_event
                         where run_id = $1 and target = $2 and seq < $3 and type = any($4)
                         order by seq""")
                .execute(Tuple.of(verdict.runId(), server, verdict.seq(), EVIDENCE))
                .map(rows -> {
                    List<EventRef> out = new ArrayList<>();
                    rows.forEach(row -> out.add(eventRef(row)));
                    out.add(verdict);
                    return out;
                });
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
                .execute(Tuple.of(server, RunEventTypes.ENDING_TARGET.toArray(String[]::new), VERDICT))
                .map(rows -> {
                    List<RunOnServer> out = new ArrayList<>();
                    rows.forEach(row -> out.add(new RunOnServer(row.getUUID(0), row.getString(1), row.getString(2),
                            instant(row, 3), instant(row, 4), row.getString(5),
                            row.getString(6) == null ? null : new JsonObject(row.getString(6)).getMap())));
                    return out;
                });
    }

    private static LastVerdict lastVerdict(Row row) {
        return new LastVerdict(row.getString(0), new JsonObject(row.getString(5)).getMap(), instant(row, 4),
                new EventRef(row.getUUID(1), row.getLong(2), row.getString(3), VERDICT, null));
    }

    private static EventRef eventRef(Row row) {
        return new EventRef(row.getUUID(0), row.getLong(1), row.getString(2), row.getString(3), row.getString(4));
    }

    private static Instant instant(Row row, int column) {
        var time = row.getOffsetDateTime(column);
        return time == null ? null : time.toInstant();
    }
}
