package io.antidote.store;

import io.antidote.workflow.RunEvent;
import io.antidote.workflow.RunEventTypes;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Questions across runs that the engine asks of {@code run_event}: which runs are unfinished, which wait
 * for a target. Reads only, on the reactive pool; a stream itself is read and written by {@link
 * EventStore}.
 */
@ApplicationScoped
public class RunQueries {

    private final Pool pool;

    public RunQueries(Pool pool) {
        this.pool = pool;
    }

    /** Whether a run has a stream at all, and whether that stream holds the event that ended the run. */
    public record StreamState(boolean exists, boolean ended) {}

    /** Two index lookups, without reading the stream: for a reader that only needs to know where it stands. */
    public Uni<StreamState> streamState(UUID runId) {
        return pool.preparedQuery("""
                        select exists (select 1 from run_event where run_id = $1 and seq = 1),
                               exists (select 1 from run_event where run_id = $1 and type = any($2))""")
                .execute(Tuple.of(runId, RunEventTypes.ENDING_RUN.toArray(String[]::new)))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new StreamState(row.getBoolean(0), row.getBoolean(1));
                });
    }

    /** The literal of the partial index V16 made, so that the planner uses it. */
    private static final String RETRY_REQUESTED = RunEventTypes.nameOf(RunEvent.RetryRequested.class);

    /** The run that goes on from {@code runId} (its retry), if any; a run is retried at most once (V16). */
    public Uni<java.util.Optional<UUID>> retriedAs(UUID runId) {
        return pool.preparedQuery("select run_id from run_event where type = '" + RETRY_REQUESTED + "'"
                        + " and data ->> 'retryOf' = $1")
                .execute(Tuple.of(runId.toString()))
                .map(rows -> runIds(rows).stream().findFirst());
    }

    /** Ids of runs whose stream has no event of the given terminal types, oldest run first. */
    public Uni<List<UUID>> runsWithout(Set<String> terminalTypes) {
        Objects.requireNonNull(terminalTypes, "terminalTypes");
        return pool.preparedQuery("""
                        select e.run_id from run_event e
                         where e.seq = 1
                           and not exists (select 1 from run_event t where t.run_id = e.run_id and t.type = any($1))
                         order by e.position""")
                .execute(Tuple.of(terminalTypes.toArray(String[]::new)))
                .map(RunQueries::runIds);
    }

    /**
     * For {@link #runsWaitingFor}, from the workflow's one list of event names: the event a run records
     * when it waits for a target, and those after which it no longer waits (it started or ended it).
     */
    private static final String WAITING = RunEventTypes.nameOf(RunEvent.TargetWaiting.class);
    private static final String[] WAITING_OVER = Stream.concat(
                    Stream.of(RunEventTypes.nameOf(RunEvent.TargetStarted.class)), RunEventTypes.ENDING_TARGET.stream())
            .toArray(String[]::new);

    /**
     * Runs that recorded waiting for one of these targets, or for a target that their plan puts in one of these
     * groups (a {@code TargetWaiting} event), and have not started, finished, skipped or cancelled it since: the
     * ones to wake when the targets and the groups held through them are let go.
     */
    public Uni<List<UUID>> runsWaitingFor(Set<String> targets, Set<String> groups) {
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(groups, "groups");
        if (targets.isEmpty() && groups.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery("""
                        select distinct w.run_id from run_event w
                          join run_event r on r.run_id = w.run_id and r.seq = 1
                         where w.type = $2
                           and (w.target = any($1) or r.data -> 'plan' -> 'groups' ->> w.target = any($4))
                           and not exists (select 1 from run_event e
                                            where e.run_id = w.run_id and e.target = w.target
                                              and e.type = any($3))""")
                .execute(Tuple.of(targets.toArray(String[]::new), WAITING, WAITING_OVER, groups.toArray(String[]::new)))
                .map(RunQueries::runIds);
    }

    /**
     * Of these runs, those recorded waiting for a target that no run holds now, and of whose group (by their
     * plan) no other run holds a member (and not started, finished, skipped or cancelled there since): they may
     * start it.
     */
    public Uni<List<UUID>> runsWaitingForFreeTargets(Set<UUID> runs) {
        Objects.requireNonNull(runs, "runs");
        if (runs.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery("""
                        select distinct w.run_id from run_event w
                          join run_event r on r.run_id = w.run_id and r.seq = 1
                         where w.run_id = any($1) and w.type = $2
                           and not exists (select 1 from target_lease l where l.target = w.target)
                           and not exists (select 1 from group_lease g
                                            where g.group_name = r.data -> 'plan' -> 'groups' ->> w.target
                                              and (g.run_id <> w.run_id or g.kept_step is not null)
                                              and not (g.kept_step is not null and g.target = w.target))
                           and not exists (select 1 from run_event e
                                            where e.run_id = w.run_id and e.target = w.target
                                              and e.type = any($3))""")
                .execute(Tuple.of(runs.toArray(UUID[]::new), WAITING, WAITING_OVER))
                .map(RunQueries::runIds);
    }

    /** Up to {@code limit} run ids after {@code after} (null: from the first) in id order: a walk over every run. */
    public Uni<List<UUID>> runsAfter(UUID after, int limit) {
        return pool.preparedQuery("""
                        select run_id from run_event where seq = 1 and ($1::uuid is null or run_id > $1)
                         order by run_id limit $2""")
                .execute(Tuple.of(after, limit))
                .map(RunQueries::runIds);
    }

    /**
     * Up to {@code limit} runs whose first event occurred in [{@code from}, {@code to}), after run
     * {@code after} (null: from the first), in (start, id) order: an export by time, page by page.
     */
    public Uni<List<UUID>> runsStartedBetween(Instant from, Instant to, UUID after, int limit) {
        return pool.preparedQuery("""
                        select e.run_id from run_event e
                         where e.seq = 1 and e.occurred_at >= $1 and e.occurred_at < $2
                           and ($3::uuid is null or (e.occurred_at, e.run_id) >
                                (select s.occurred_at, s.run_id from run_event s where s.run_id = $3 and s.seq = 1))
                         order by e.occurred_at, e.run_id limit $4""")
                .execute(Tuple.of(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC), after, limit))
                .map(RunQueries::runIds);
    }

    private static List<UUID> runIds(RowSet<Row> rows) {
        List<UUID> runs = new ArrayList<>();
        rows.forEach(row -> runs.add(row.getUUID(0)));
        return List.copyOf(runs);
    }
}
