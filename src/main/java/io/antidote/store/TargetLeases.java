package io.antidote.store;

import io.antidote.workflow.GroupHold;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One run per target, held in {@code target_lease} (see {@code V5__target_lease.sql}), and one member of a
 * group (a DAG) at a time across runs, held in {@code group_lease} ({@code V11__group_lease.sql}): taken and
 * let go on the connection of the append whose events start and end the target, so that the leases and the
 * history never disagree (see {@link PostgresEventStore}'s {@link ReadModels}). The primary keys on the target
 * and on the group are what make a second run's start fail. Read on the pool to decide which targets are busy.
 */
@ApplicationScoped
public class TargetLeases {

    private final Pool pool;

    public TargetLeases(Pool pool) {
        this.pool = pool;
    }

    /**
     * Takes the target for the run, or confirms the run already holds it. Fails with {@link
     * TargetBusyException} if another run holds it; a run holding it but not committed yet makes this
     * wait for that transaction, then decide.
     */
    Uni<Void> take(SqlConnection connection, UUID runId, String target) {
        return connection.preparedQuery("""
                        insert into target_lease (target, run_id) values ($1, $2)
                        on conflict (target) do update set run_id = excluded.run_id
                        where target_lease.run_id = excluded.run_id""")
                .execute(Tuple.of(target, runId))
                .invoke(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new TargetBusyException(runId, target);
                    }
                })
                .replaceWithVoid();
    }

    /**
     * Takes the target's group for the run, or confirms the run already holds it through this target, or takes it
     * over from a run that left this very member in maintenance (a new run on that server goes on from there).
     * Fails with {@link TargetBusyException} naming the group and its holder if another run (or another target, or
     * another member left in maintenance) holds it; a holder not committed yet makes this wait for that
     * transaction, then decide.
     */
    Uni<Void> takeGroup(SqlConnection connection, UUID runId, String target, String group) {
        return connection.preparedQuery("""
                        insert into group_lease (group_name, run_id, target) values ($1, $2, $3)
                        on conflict (group_name) do update
                        set run_id = excluded.run_id, kept_step = null,
                            taken_at = case when group_lease.kept_step is null then group_lease.taken_at else now() end
                        where group_lease.target = excluded.target
                          and (group_lease.run_id = excluded.run_id or group_lease.kept_step is not null)""")
                .execute(Tuple.of(group, runId, target))
                .chain(rows -> rows.rowCount() > 0 ? Uni.createFrom().voidItem()
                        : connection.preparedQuery("select run_id, target, kept_step from group_lease where group_name = $1")
                        .execute(Tuple.of(group))
                        .map(holder -> {
                            GroupHold hold = holder.size() == 0 ? null : hold(group, holder.iterator().next());
                            throw new TargetBusyException("run " + runId + " cannot start '" + target + "': "
                                    + (hold == null ? "another run holds a member of its group '" + group + "'"
                                    : hold.reason()), List.of(group), hold);
                        }));
    }

    /** Lets the target, and the group it holds through it, go if the run holds them. */
    Uni<Void> release(SqlConnection connection, UUID runId, String target) {
        return connection.preparedQuery("delete from target_lease where target = $1 and run_id = $2")
                .execute(Tuple.of(target, runId))
                .chain(() -> connection.preparedQuery("delete from group_lease where run_id = $1 and target = $2")
                        .execute(Tuple.of(runId, target)))
                .replaceWithVoid();
    }

    /**
     * The target ended with {@code step} left in effect (the server in maintenance): the target goes, the group
     * held through it stays, marked with that step (see {@code V19__group_kept_in_maintenance.sql}).
     */
    Uni<Void> keepGroup(SqlConnection connection, UUID runId, String target, String step) {
        return connection.preparedQuery("delete from target_lease where target = $1 and run_id = $2")
                .execute(Tuple.of(target, runId))
                .chain(() -> connection.preparedQuery(
                                "update group_lease set kept_step = $3 where run_id = $1 and target = $2")
                        .execute(Tuple.of(runId, target, step)))
                .replaceWithVoid();
    }

    /** The step kept on the ended target was undone (a release ended the maintenance): its group goes. */
    Uni<Void> releaseKept(SqlConnection connection, UUID runId, String target) {
        return connection.preparedQuery(
                        "delete from group_lease where run_id = $1 and target = $2 and kept_step is not null")
                .execute(Tuple.of(runId, target))
                .replaceWithVoid();
    }

    /** Lets go every target and group the run still holds (it ended), but the groups of members left in maintenance. */
    Uni<Void> releaseAll(SqlConnection connection, UUID runId) {
        return connection.preparedQuery("delete from target_lease where run_id = $1")
                .execute(Tuple.of(runId))
                .chain(() -> connection.preparedQuery("delete from group_lease where run_id = $1 and kept_step is null")
                        .execute(Tuple.of(runId)))
                .replaceWithVoid();
    }

    /**
     * Targets of this run's plan (as its {@code RunRequested} recorded it) that other runs hold now, and
     * groups of its plan of which other runs hold a member: the busy set a run is decided on (the decider
     * reads a group name in it as every member of the group busy). Only the run's own targets and groups are
     * read: every lease in the fleet, on every advance, grew with the number of runs in flight.
     */
    public Uni<Set<String>> heldAgainst(UUID runId) {
        return busyFor(runId).map(Busy::names);
    }

    /**
     * As {@link #heldAgainst}, with who holds each busy group. A group kept for a member left in maintenance (by
     * any run, this one included) is held against the run too, except for that member itself: a run that has it
     * in its plan may start it (and takes the group over), while its other members of the group are busy.
     */
    public Uni<Busy> busyFor(UUID runId) {
        Objects.requireNonNull(runId, "runId");
        return pool.preparedQuery("""
                        select l.target from target_lease l
                         where l.run_id <> $1
                           and l.target in (select jsonb_array_elements_text(e.data -> 'plan' -> 'targets')
                                              from run_event e
                                             where e.run_id = $1 and e.seq = 1)""")
                .execute(Tuple.of(runId))
                .map(TargetLeases::targets)
                .chain(targets -> pool.preparedQuery("""
                                select g.group_name, g.run_id, g.target, g.kept_step, m.key
                                  from group_lease g
                                  join (select p.key, p.value from run_event e,
                                               jsonb_each_text(e.data -> 'plan' -> 'groups') p
                                         where e.run_id = $1 and e.seq = 1) m on m.value = g.group_name
                                 where g.run_id <> $1 or g.kept_step is not null""")
                        .execute(Tuple.of(runId))
                        .map(rows -> busy(targets, rows)));
    }

    private static Busy busy(Set<String> targets, RowSet<Row> rows) {
        Set<String> names = new HashSet<>(targets);
        Map<String, GroupHold> holds = new HashMap<>();
        Map<String, List<String>> mine = new HashMap<>();
        Map<String, GroupHold> byGroup = new HashMap<>();
        for (Row row : rows) {
            String group = row.getString(0);
            byGroup.put(group, hold(group, row));
            mine.computeIfAbsent(group, g -> new ArrayList<>()).add(row.getString(4));
        }
        byGroup.forEach((group, hold) -> {
            if (hold.keptStep() != null && mine.get(group).contains(hold.member())) {
                // The member left in maintenance is in this plan: it may start; the others wait for it.
                mine.get(group).stream().filter(m -> !m.equals(hold.member())).forEach(m -> {
                    names.add(m);
                    holds.put(m, hold);
                });
            } else {
                names.add(group);
                holds.put(group, hold);
            }
        });
        return new Busy(Set.copyOf(names), Map.copyOf(holds));
    }

    private static GroupHold hold(String group, Row row) {
        return new GroupHold(group, row.getString("target"), row.getUUID("run_id"), row.getString("kept_step"));
    }

    /** What a run is decided on: the busy names (targets and groups) and who holds the busy groups. */
    public record Busy(Set<String> names, Map<String, GroupHold> holds) {
    }

    /** Which of these targets some run holds now. */
    public Uni<Set<String>> held(Collection<String> targets) {
        Objects.requireNonNull(targets, "targets");
        return pool.preparedQuery("select target from target_lease where target = any($1)")
                .execute(Tuple.of(targets.toArray(String[]::new)))
                .map(TargetLeases::targets);
    }

    /** The run holding this target now, if any. */
    public Uni<Optional<UUID>> holder(String target) {
        Objects.requireNonNull(target, "target");
        return pool.preparedQuery("select run_id from target_lease where target = $1")
                .execute(Tuple.of(target))
                .map(rows -> rows.size() == 0 ? Optional.<UUID>empty() : Optional.of(rows.iterator().next().getUUID(0)));
    }

    /**
     * Whether the run may start the target now as far as the leases go: no run holds the target, and no other
     * run holds its group, nor is another member of it left in maintenance ({@code group} null: it has none).
     */
    public Uni<Boolean> free(UUID runId, String target, String group) {
        Objects.requireNonNull(target, "target");
        return pool.preparedQuery("""
                        select (not exists (select 1 from target_lease where target = $1))
                           and (not exists (select 1 from group_lease
                                             where group_name = $2 and (run_id <> $3 or kept_step is not null)
                                               and not (kept_step is not null and target = $1)))""")
                .execute(Tuple.of(target, group, runId))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** The run and the member holding this group now, if any. */
    public Uni<Optional<GroupHolder>> groupHolder(String group) {
        Objects.requireNonNull(group, "group");
        return pool.preparedQuery("select run_id, target from group_lease where group_name = $1")
                .execute(Tuple.of(group))
                .map(rows -> rows.size() == 0 ? Optional.<GroupHolder>empty()
                        : Optional.of(new GroupHolder(rows.iterator().next().getUUID(0),
                                rows.iterator().next().getString(1))));
    }

    /** Which run holds a group, through which of its members. */
    public record GroupHolder(UUID runId, String target) {
    }

    private static Set<String> targets(RowSet<Row> rows) {
        Set<String> held = new HashSet<>();
        rows.forEach(row -> held.add(row.getString(0)));
        return Set.copyOf(held);
    }
}
