package io.antidote.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.antidote.engine.RunCommands;
import io.antidote.engine.RunEngine;
import io.antidote.workflow.RunCommand;
import io.antidote.workflow.RunCommand.Advance;
import io.antidote.workflow.RunCommand.RecordOutcome;
import io.antidote.workflow.RunCommand.RequestRun;
import io.antidote.workflow.RunPlan;
import io.antidote.workflow.RunPlan.PlannedStep;
import io.antidote.workflow.RunState;
import io.antidote.workflow.StepOutcome;
import io.antidote.workflow.StepState;
import io.antidote.workflow.TargetState;
import io.quarkus.vertx.VertxContextSupport;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs for audit tests, driven through the engine's own decide-and-append path so that their history is
 * stored, chained and signed as in production, each on a target of its own; and their removal afterwards,
 * as the tables' owner with the history triggers off, because a tampered or foreign-signed history left in a
 * database other tests read whole would fail their verifiers.
 */
public final class AuditRuns {

    private final RunCommands commands;
    private final RunEngine engine;
    private final String jdbcUrl;
    private final String user;
    private final String prefix;
    private final String ticket;
    private final List<UUID> made = new ArrayList<>();

    /** Targets are named {@code prefix + runId}; every run carries {@code ticket}. */
    public AuditRuns(RunCommands commands, RunEngine engine, String jdbcUrl, String user, String prefix, String ticket) {
        this.commands = commands;
        this.engine = engine;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.prefix = prefix;
        this.ticket = ticket;
    }

    /** A run of two steps requested at {@code start} by alice. */
    public UUID requested(Instant start, Map<String, Object> params) {
        UUID run = UUID.randomUUID();
        made.add(run);
        String target = prefix + run;
        RequestRun request = new RequestRun(run, new RunPlan(prefix + run, "ab".repeat(32),
                List.of(new PlannedStep("isolate"), new PlannedStep("patch")), List.of(target)), params, ticket,
                null, "alice", start);
        decide(run, s -> request);
        return run;
    }

    /** A run requested at {@code start}, carried to RunSucceeded, with its end checkpoint stored. */
    public UUID finished(Instant start, Map<String, Object> params) throws SQLException {
        UUID run = requested(start, params);
        Instant at = start;
        for (int round = 0; round < 10 && !"SUCCEEDED".equals(state(run).status().name()); round++) {
            at = at.plusSeconds(1);
            Instant now = at;
            decide(run, s -> new Advance(now));
            for (TargetState t : state(run).targets()) {
                for (StepState step : t.steps()) {
                    if ("RUNNING".equals(step.status().name())) {
                        decide(run, s -> new RecordOutcome(t.name(), step.id(), step.attempts(),
                                new StepOutcome.Completed(0, "ok", "", List.of()), now.plusMillis(500)));
                    }
                }
            }
        }
        assertThat(state(run).status().name()).as("status of the audit run").isEqualTo("SUCCEEDED");
        long last = events(run);
        await().atMost(Duration.ofMinutes(1)).until(() -> checkpointedSeq(run) == last);
        return run;
    }

    public RunState state(UUID run) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> engine.load(run));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public void decide(UUID run, Function<RunState, RunCommand> command) {
        try {
            VertxContextSupport.subscribeAndAwait(() -> commands.decideAndAppend(run, command));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public long events(UUID run) throws SQLException {
        return count("select count(*) from run_event where run_id = '" + run + "'");
    }

    public long checkpoints(UUID run) throws SQLException {
        return count("select count(*) from run_checkpoint where run_id = '" + run + "'");
    }

    public long checkpointedSeq(UUID run) throws SQLException {
        return count("select coalesce(max(last_seq), 0) from run_checkpoint where run_id = '" + run + "'");
    }

    public long count(String sql) throws SQLException {
        try (Connection db = jdbc(); Statement q = db.createStatement(); ResultSet rs = q.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A connection as the tables' owner, who may do what the service's role may not. */
    public Connection jdbc() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, "");
    }

    /** Removes every run made here, with its checkpoints, summary, lease and server state. */
    public void removeAll() throws SQLException {
        if (made.isEmpty()) {
            return;
        }
        String ids = made.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
        String targets = made.stream().map(id -> "'" + prefix + id + "'").collect(Collectors.joining(","));
        try (Connection db = jdbc(); Statement s = db.createStatement()) {
            db.setAutoCommit(false);
            s.execute("alter table run_event disable trigger user");
            s.execute("alter table run_checkpoint disable trigger user");
            s.execute("delete from run_event where run_id in (" + ids + ")");
            s.execute("delete from run_checkpoint where run_id in (" + ids + ")");
            s.execute("delete from run_summary where run_id in (" + ids + ")");
            s.execute("delete from target_lease where run_id in (" + ids + ")");
            s.execute("delete from server_state where name in (" + targets + ")");
            s.execute("alter table run_checkpoint enable trigger user");
            s.execute("alter table run_event enable trigger user");
            db.commit();
        }
        made.clear();
    }
}
