package io.antidote.store;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * People's commands for runs that another replica carries ({@code V20__run_command.sql}): written by the
 * replica that received the request, decided once by the run's owner. A command is consumed in the
 * transaction of the events it decided ({@link ReadModels#consumeCommand}), so that it is applied exactly
 * once whoever tries; a refusal is written over the pending row, never over a decided one.
 *
 * <p>What a command says is the engine's business: here it is a kind and a JSON document.
 */
@ApplicationScoped
public class RunCommandInbox {

    static final String CHANNEL = "antidote_run_command";
    /** A command's id once it is applied or refused (V21): the receiving replica waits for it. */
    static final String DECIDED_CHANNEL = "antidote_run_command_decided";
    /** Pending commands taken per look; more are taken by the next look. */
    static final int BATCH = 100;

    private final Pool pool;
    private final Vertx vertx;
    private final ListeningDatasource datasource;
    private volatile ListeningConnection connection;

    RunCommandInbox(Pool pool, Vertx vertx, ListeningDatasource datasource) {
        this.pool = pool;
        this.vertx = vertx;
        this.datasource = datasource;
    }

    /** A command as written by the replica that received it. */
    public record Posted(UUID commandId, UUID runId, String kind, JsonObject command, String actor, String receivedBy) {
    }

    /** Where a command stands: {@code PENDING}, {@code APPLIED} or {@code REFUSED} (with the decider's reason). */
    public record Status(UUID commandId, UUID runId, String kind, String actor, String status, Instant receivedAt,
                         Optional<Instant> decidedAt, Optional<String> refusal, Optional<String> detail) {

        public boolean pending() {
            return "PENDING".equals(status);
        }
    }

    /** A pending command, to be decided. */
    public record Pending(UUID commandId, UUID runId, String kind, JsonObject command) {
    }

    /**
     * Writes the command if the run has an owner, whose row is locked until the insert commits: an owner that
     * lets the run go (it ended) waits for the command, and a replica looking for ownerless commands after that
     * sees it. Answers false, with nothing written, when the run has no owner: the command is then decided by
     * whoever received it, as for any run no replica carries.
     */
    public Uni<Boolean> post(Posted command) {
        return pool.preparedQuery("""
                        with owner as (select run_id from run_owner where run_id = $2 for share)
                        insert into run_command (command_id, run_id, kind, command, actor, received_by)
                        select $1, owner.run_id, $3, $4, $5, $6 from owner
                        returning command_id""")
                .execute(Tuple.of(command.commandId(), command.runId(), command.kind(), command.command(),
                        command.actor(), command.receivedBy()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Where the command stands, if it was written for this run. */
    public Uni<Optional<Status>> find(UUID runId, UUID commandId) {
        return pool.preparedQuery("""
                        select command_id, run_id, kind, actor, status, received_at, decided_at, refusal, detail
                          from run_command where command_id = $1 and run_id = $2""")
                .execute(Tuple.of(commandId, runId))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new Status(row.getUUID(0), row.getUUID(1), row.getString(2), row.getString(3),
                            row.getString(4), instant(row, 5).orElseThrow(), instant(row, 6),
                            Optional.ofNullable(row.getString(7)), Optional.ofNullable(row.getString(8))));
                });
    }

    /**
     * Pending commands this replica may decide, oldest first: those of the runs it carries, and those of runs
     * nobody carries any more (ended since the command was written).
     */
    public Uni<List<Pending>> pendingFor(Collection<UUID> carried) {
        return pool.preparedQuery("""
                        select c.command_id, c.run_id, c.kind, c.command from run_command c
                         where c.status = 'PENDING'
                           and (c.run_id = any($1)
                                or not exists (select 1 from run_owner o where o.run_id = c.run_id))
                         order by c.received_at, c.command_id
                         limit $2""")
                .execute(Tuple.of(carried.toArray(UUID[]::new), BATCH))
                .map(rows -> {
                    List<Pending> pending = new ArrayList<>();
                    for (Row row : rows) {
                        pending.add(new Pending(row.getUUID(0), row.getUUID(1), row.getString(2),
                                row.getJsonObject(3)));
                    }
                    return pending;
                });
    }

    /** The decider refused the command: recorded over the pending row only (a decided one stays as it is). */
    public Uni<Void> refuse(UUID commandId, String decidedBy, String refusal, String detail) {
        return pool.preparedQuery("""
                        update run_command set status = 'REFUSED', decided_by = $2, decided_at = now(),
                                               refusal = $3, detail = $4
                         where command_id = $1 and status = 'PENDING'""")
                .execute(Tuple.of(commandId, decidedBy, refusal, detail))
                .replaceWithVoid();
    }

    /** In the append's transaction: the command is applied by these events, or the append fails. */
    static Uni<Void> consume(SqlConnection connection, UUID commandId, String decidedBy) {
        return connection.preparedQuery("""
                        update run_command set status = 'APPLIED', decided_by = $2, decided_at = now()
                         where command_id = $1 and status = 'PENDING'""")
                .execute(Tuple.of(commandId, decidedBy))
                .invoke(rows -> {
                    if (rows.rowCount() != 1) {
                        throw new CommandDecidedException(commandId);
                    }
                })
                .replaceWithVoid();
    }

    /**
     * Tells {@code written} the run of every command written from now on, and {@code decided} every command
     * decided (applied or refused), whichever replica wrote or decided it, after its commit, on an event loop
     * (they must not block); each is told null when notifications may have been missed (the listening
     * connection came back). Until {@link #stopListening()}.
     */
    public void listen(Consumer<UUID> written, Consumer<UUID> decided) {
        ListeningConnection listening = new ListeningConnection(vertx, datasource, "commands")
                .channel(CHANNEL, payload -> signal(payload, written))
                .channel(DECIDED_CHANNEL, payload -> signal(payload, decided));
        connection = listening;
        listening.open();
    }

    public void stopListening() {
        ListeningConnection listening = connection;
        connection = null;
        if (listening != null) {
            listening.close();
        }
    }

    private static void signal(String payload, Consumer<UUID> to) {
        if (payload == null) {
            to.accept(null);
            return;
        }
        try {
            to.accept(UUID.fromString(payload));
        } catch (IllegalArgumentException notOurs) {
            // anybody may NOTIFY a channel
        }
    }

    private static Optional<Instant> instant(Row row, int column) {
        java.time.OffsetDateTime at = row.getOffsetDateTime(column);
        return at == null ? Optional.empty() : Optional.of(at.withOffsetSameInstant(ZoneOffset.UTC).toInstant());
    }
}
