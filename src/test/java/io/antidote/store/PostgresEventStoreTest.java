package io.antidote.store;

import static io.antidote.store.Events.data;
import static io.antidote.store.Events.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The event store against a real PostgreSQL: the contract every store keeps ({@link EventStoreContract}:
 * gap-free, chained streams and safe races, what the engine relies on), and what auditors rely on (the
 * database itself refuses to rewrite history), with the other PostgreSQL roles of the store.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PostgresEventStoreTest extends EventStoreContract {

    @Inject
    EventStore store;

    @Inject
    RunQueries queries;

    @Inject
    PlaybookVersionStore playbooks;

    @Inject
    TargetLeases leases;

    @Inject
    RunSummaries runList;

    @Inject
    Mutiny.SessionFactory sessionFactory;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @Test
    void data_is_stored_as_a_jsonb_object_and_the_hash_survives_postgresql_rewriting_it() throws Exception {
        UUID run = UUID.randomUUID();
        ObjectNode data = data("""
                {"bb": 1, "a": {"zz": [3, 1, {"y": null, "x": false}], "c": "quote \\" back\\\\slash\\n é 😀"},
                 "c": 123456789012345678901234567890, "negative": -42, "empty": {}, "list": []}""");
        NewEvent requested = new NewEvent(UUID.randomUUID(), "RunRequested", Instant.parse("2021-03-02T10:00:00.123456789Z"),
                "alice", null, null, null, data);
        List<StoredEvent> appended = await(() -> store.append(run, 0, List.of(requested)));

        String typeOf = await(() -> sessionFactory.withSession(s -> s
                .createNativeQuery("select jsonb_typeof(data) from run_event where run_id = :run", String.class)
                .setParameter("run", run)
                .getSingleResult()));
        assertThat(typeOf).as("jsonb type of the stored data").isEqualTo("object");

        try (Connection db = jdbc(); PreparedStatement q = db.prepareStatement(
                "select data::text, occurred_at from run_event where run_id = ?")) {
            q.setObject(1, run);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).as("jsonb's own text of the data (keys reordered, re-spaced)")
                        .isNotEqualTo(CanonicalJson.write(data))
                        .startsWith("{\"a\": {\"c\"");
                assertThat(rs.getTimestamp(2).toInstant()).as("stored instant, truncated to microseconds")
                        .isEqualTo(Instant.parse("2021-03-02T10:00:00.123456Z"));
            }
        }

        List<StoredEvent> loaded = await(() -> store.load(run));
        assertThat(loaded.get(0).data()).as("data read back").isEqualTo(data);
        assertThat(loaded.get(0).occurredAt()).as("instant read back").isEqualTo(Instant.parse("2021-03-02T10:00:00.123456Z"));
        assertThat(appended).as("what append returned, compared with what load reads back").isEqualTo(loaded);
        assertThat(HashChain.verify(loaded)).as("first broken seq after PostgreSQL rewrote the data").isEmpty();
    }

    @Test
    void a_writer_that_loses_the_race_for_a_seq_gets_a_conflict_and_none_of_its_batch_is_written() throws Exception {
        UUID run = UUID.randomUUID();
        // Another writer holds seq 1 of the run, not yet committed: our append cannot see it, passes
        // its version check, and then waits on the (run_id, seq) key until the other commits.
        try (Connection other = jdbc()) {
            other.setAutoCommit(false);
            insertDirectly(other, run, 1, EventHash.GENESIS, "a".repeat(64));

            ExecutorService appender = Executors.newSingleThreadExecutor();
            try {
                Future<List<StoredEvent>> ours = appender.submit(
                        () -> await(() -> store.append(run, 0, events("RunRequested", "RunStarted", "TargetStarted"))));
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> waitingOnALock(run));
                other.commit();

                assertThatThrownBy(() -> ours.get(10, TimeUnit.SECONDS))
                        .as("our append of three events, racing for seq 1")
                        .hasCauseInstanceOf(ConcurrencyConflictException.class)
                        .satisfies(failure -> assertThat(sqlStates(failure.getCause()))
                                .as("SQL states behind the conflict").contains("23505"));
            } finally {
                appender.shutdownNow();
            }
        }
        assertThat(await(() -> store.load(run))).extracting(StoredEvent::hash).as("hashes of the run: only the winner's event")
                .containsExactly("a".repeat(64));
    }

    @Test
    void the_database_refuses_to_update_delete_or_truncate_events() throws Exception {
        UUID run = UUID.randomUUID();
        await(() -> store.append(run, 0, events("RunRequested", "RunStarted")));
        List<StoredEvent> before = await(() -> store.load(run));

        try (Connection db = jdbc(); Statement sql = db.createStatement()) {
            for (String edit : List.of(
                    "update run_event set actor = 'mallory' where run_id = '" + run + "'",
                    "update run_event set data = '{}' where run_id = '" + run + "' and seq = 2",
                    "delete from run_event where run_id = '" + run + "'",
                    "truncate run_event",
                    "truncate run_event cascade")) {
                assertThatThrownBy(() -> sql.execute(edit))
                        .as(edit)
                        .isInstanceOfSatisfying(SQLException.class, refused -> assertThat(refused.getSQLState())
                                .as("SQL state of the refusal").isEqualTo("AN001"))
                        .hasMessageContaining("run_event is append-only");
            }
        }
        assertThat(await(() -> store.load(run))).as("the run after the refused edits").isEqualTo(before);
    }

    @Test
    void the_database_refuses_inserts_that_skip_a_seq_or_break_the_chain() throws Exception {
        UUID run = UUID.randomUUID();
        List<StoredEvent> stored = await(() -> store.append(run, 0, events("RunRequested", "RunStarted")));
        String last = stored.get(1).hash();

        try (Connection db = jdbc()) {
            assertChainRefusal(db, run, 4, last, "a skipped seq 3");
            assertChainRefusal(db, run, 3, stored.get(0).hash(), "seq 3 pointing at seq 1's hash");
            assertChainRefusal(db, run, 3, EventHash.GENESIS, "seq 3 pointing at the genesis hash");
            assertChainRefusal(db, UUID.randomUUID(), 1, last, "a first event not pointing at the genesis hash");
            assertChainRefusal(db, UUID.randomUUID(), 2, EventHash.GENESIS, "a new run starting at seq 2");
        }
        assertThat(await(() -> store.load(run))).as("the run after the refused inserts").isEqualTo(stored);
    }

    @Test
    void runs_without_a_terminal_event_are_the_unfinished_ones() {
        UUID succeeded = UUID.randomUUID();
        UUID running = UUID.randomUUID();
        UUID cancelled = UUID.randomUUID();
        UUID justRequested = UUID.randomUUID();
        await(() -> store.append(succeeded, 0, events("RunRequested", "RunStarted", "RunSucceeded")));
        await(() -> store.append(running, 0, events("RunRequested", "RunStarted", "StepFailed")));
        await(() -> store.append(cancelled, 0, events("RunRequested", "CancelRequested", "RunCancelled")));
        await(() -> store.append(justRequested, 0, events("RunRequested")));

        List<UUID> unfinished = await(() -> queries.runsWithout(Set.of("RunSucceeded", "RunFailed", "RunCancelled")));
        assertThat(unfinished).as("runs without a terminal event")
                .contains(running, justRequested)
                .doesNotContain(succeeded, cancelled)
                .doesNotHaveDuplicates();
        assertThat(unfinished.indexOf(running)).as("the older unfinished run comes first")
                .isLessThan(unfinished.indexOf(justRequested));
        assertThat(await(() -> queries.runsWithout(Set.of()))).as("runs without any of no types")
                .contains(succeeded, running, cancelled, justRequested)
                .doesNotHaveDuplicates();
    }

    @Test
    void playbook_versions_round_trip_by_digest_and_never_change() throws Exception {
        String digest = UUID.randomUUID().toString().replace("-", "").repeat(2);
        String source = "name: isolate\nsteps:\n  - id: stop-iis\n    run: Stop-Service W3SVC  # é\n";

        await(() -> playbooks.save(digest, "isolate", source));
        await(() -> playbooks.save(digest, "isolate", source));
        assertThat(await(() -> playbooks.source(digest))).as("source stored under the digest").hasValue(source);
        assertThat(await(() -> playbooks.source("0".repeat(63) + "1"))).as("source under an unknown digest").isEmpty();
        assertThat(await(() -> playbooks.source("not a digest"))).as("source under a malformed digest").isEmpty();

        assertThatThrownBy(() -> await(() -> playbooks.save(digest, "isolate", source + "# changed\n")))
                .as("another text under a stored digest")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> await(() -> playbooks.save("ABC", "isolate", source)))
                .as("a malformed digest")
                .isInstanceOf(IllegalArgumentException.class);

        try (Connection db = jdbc(); Statement sql = db.createStatement()) {
            for (String edit : List.of(
                    "update playbook_version set source = 'steps: []' where digest = '" + digest + "'",
                    "delete from playbook_version where digest = '" + digest + "'",
                    "truncate playbook_version")) {
                assertThatThrownBy(() -> sql.execute(edit))
                        .as(edit)
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("playbook_version is append-only");
            }
        }
        assertThat(await(() -> playbooks.source(digest))).as("source after the refused edits").hasValue(source);
    }

    // --- the contract's hooks ---

    @Override
    protected EventStore store() {
        return store;
    }

    /** Subscribes on a fresh Vert.x duplicated context, as callers outside Vert.x must. */
    @Override
    protected <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    protected Optional<UUID> holder(String target) {
        return await(() -> leases.holder(target));
    }

    @Override
    protected Optional<RunSummary> summary(UUID runId) {
        return await(() -> runList.all()).stream().filter(row -> row.runId().equals(runId)).findFirst();
    }

    /** PostgreSQL refuses it on the event id's unique key. */
    @Override
    protected void refusedAsADuplicateEvent(Throwable failure) {
        assertThat(sqlStates(failure)).as("SQL states of the failure").contains("23505");
    }

    // --- helpers ---

    Connection jdbc() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, "");
    }

    boolean waitingOnALock(UUID run) throws SQLException {
        try (Connection db = jdbc(); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("select count(*) from pg_stat_activity "
                     + "where datname = current_database() and wait_event_type = 'Lock' and query like 'insert into run_event%'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    static void insertDirectly(Connection db, UUID run, long seq, String prevHash, String hash) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement("""
                insert into run_event (event_id, run_id, seq, type, occurred_at, actor, data, prev_hash, hash)
                values (?, ?, ?, 'StepSucceeded', ?, 'intruder', '{}'::jsonb, ?, ?)""")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setObject(2, run);
            insert.setLong(3, seq);
            insert.setTimestamp(4, Timestamp.from(Instant.now()));
            insert.setString(5, prevHash);
            insert.setString(6, hash);
            insert.executeUpdate();
        }
    }

    static void assertChainRefusal(Connection db, UUID run, long seq, String prevHash, String what) {
        assertThatThrownBy(() -> insertDirectly(db, run, seq, prevHash, "b".repeat(64)))
                .as("a direct insert of %s", what)
                .isInstanceOfSatisfying(SQLException.class, refused -> assertThat(refused.getSQLState())
                        .as("SQL state of the refusal").isEqualTo("AN002"))
                .hasMessageContaining("run_event chain broken");
    }

    static List<String> sqlStates(Throwable failure) {
        List<String> states = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof io.vertx.sqlclient.DatabaseException database) {
                states.add(database.getSqlState());
            } else if (t instanceof org.hibernate.JDBCException jdbc) {
                states.add(jdbc.getSQLState());
            } else if (t instanceof SQLException sql) {
                states.add(sql.getSQLState());
            }
        }
        return states;
    }
}
