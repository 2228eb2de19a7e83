package io.antidote.store;

import static io.antidote.store.Events.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Fencing: two replicas, each with a store of its own, on one database. A replica that stopped renewing its
 * lease has its run adopted under a new token, and from then on the database refuses its appends, whatever
 * it decided, while the adopter's go in. A run whose owner is alive is never adopted. The service's own
 * engine is off here, so that only these two replicas own anything.
 */
@QuarkusTest
@TestProfile(RunOwnerFencingTest.EngineOff.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RunOwnerFencingTest {

    public static class EngineOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("antidote.engine.enabled", "false");
        }
    }

    @Inject
    Pool pool;

    @Inject
    ObjectMapper objectMapper;

    @Inject
    RunSummaries runList;

    @Inject
    TargetLeases leases;

    @Inject
    IdempotencyKeys idempotencyKeys;

    @Inject
    ChainAlarms alarms;

    @Inject
    RunCommandInbox inbox;

    @Inject
    Event<AppendedHead> appended;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @Test
    void a_replica_whose_run_was_adopted_can_no_longer_append_to_it_and_the_adopter_can() throws Exception {
        RunOwners stalled = new RunOwners(pool, "stalled-" + UUID.randomUUID(), Duration.ofSeconds(60));
        RunOwners survivor = new RunOwners(pool, "survivor-" + UUID.randomUUID(), Duration.ofSeconds(30));
        PostgresEventStore stalledStore = storeOf(stalled);
        PostgresEventStore survivorStore = storeOf(survivor);
        await(stalled::heartbeat);
        await(survivor::heartbeat);

        UUID run = UUID.randomUUID();
        stalled.willOwn(run);
        await(() -> stalledStore.append(run, 0, events("RunRequested", "TargetStarted")));
        assertThat(ownerRow(run)).as("owner row after the first append").containsExactly(stalled.replicaId(), 1L);
        await(() -> stalledStore.append(run, 2, events("StepStarted")));

        assertThat(await(() -> survivor.adopt(1000))).as("runs adopted while their owner is alive")
                .doesNotContainKey(run);

        // The stalled replica's lease runs out: its last heartbeat left it no time (the expiry itself, by time,
        // is what ReplicasIT shows with real processes; here it would make the test race the machine's load).
        await(new RunOwners(pool, stalled.replicaId(), Duration.ZERO)::heartbeat);
        Map<UUID, Long> adopted = await(() -> survivor.adopt(1000));
        assertThat(adopted).as("runs adopted once their owner's lease ran out").containsKey(run);
        assertThat(adopted.get(run)).as("the adopter's fencing token").isEqualTo(2L);
        assertThat(ownerRow(run)).containsExactly(survivor.replicaId(), 2L);

        assertThatThrownBy(() -> await(() -> stalledStore.append(run, 3, events("StepSucceeded"))))
                .as("an append of the replica that lost the run")
                .isInstanceOf(StaleOwnerException.class)
                .hasMessageContaining("fencing token 2");
        assertThat(await(() -> survivorStore.load(run))).as("the stream after the refused append").hasSize(3);

        await(() -> survivorStore.append(run, 3, events("StepInterrupted")));
        assertThat(tokensWritten(run)).as("fencing token written with each event").containsExactly(1L, 1L, 1L, 2L);

        // The database refuses the stale token by itself, not only through the store's code.
        String head = await(() -> survivorStore.load(run)).get(3).hash();
        try (Connection db = DriverManager.getConnection(jdbcUrl, user, "")) {
            for (Long stale : new Long[] {1L, null}) {
                assertThatThrownBy(() -> insertDirectly(db, run, 5, head, stale))
                        .as("a direct insert continuing the chain under token %s", stale)
                        .isInstanceOfSatisfying(SQLException.class, refused -> assertThat(refused.getSQLState())
                                .isEqualTo("AN003"));
            }
            insertDirectly(db, run, 5, head, 2L);
        }
    }

    @Test
    void an_ended_run_is_never_adopted_nor_appended_to_under_an_old_token() throws Exception {
        RunOwners stalled = new RunOwners(pool, "stalled-" + UUID.randomUUID(), Duration.ofSeconds(60));
        RunOwners staying = new RunOwners(pool, "staying-" + UUID.randomUUID(), Duration.ofSeconds(60));
        PostgresEventStore stalledStore = storeOf(stalled);
        PostgresEventStore stayingStore = storeOf(staying);
        await(stalled::heartbeat);
        await(staying::heartbeat);
        UUID ending = UUID.randomUUID();
        stalled.willOwn(ending);
        await(() -> stalledStore.append(ending, 0, events("RunRequested")));

        await(new RunOwners(pool, stalled.replicaId(), Duration.ZERO)::heartbeat);
        assertThat(await(() -> staying.adopt(1000))).containsEntry(ending, 2L);
        await(() -> stayingStore.append(ending, 1, events("RunSucceeded")));
        await(() -> staying.ended(ending));
        assertThat(ownerRow(ending)).as("owner row of the ended run").isEmpty();
        assertThat(await(() -> staying.adopt(1000))).as("adopted after the run ended").doesNotContainKey(ending);

        assertThatThrownBy(() -> await(() -> stalledStore.append(ending, 2, events("RunFailed"))))
                .as("an append under an old token to a run that has ended and has no owner")
                .isInstanceOf(StaleOwnerException.class);
    }

    @Test
    void the_runs_of_a_replica_that_lets_go_are_adopted_at_once_and_it_appends_to_them_no_more() throws Exception {
        RunOwners leaving = new RunOwners(pool, "leaving-" + UUID.randomUUID(), Duration.ofSeconds(60));
        RunOwners staying = new RunOwners(pool, "staying-" + UUID.randomUUID(), Duration.ofSeconds(60));
        PostgresEventStore leavingStore = storeOf(leaving);
        await(leaving::heartbeat);
        await(staying::heartbeat);
        UUID running = UUID.randomUUID();
        leaving.willOwn(running);
        await(() -> leavingStore.append(running, 0, events("RunRequested")));

        await(leaving::resign);
        assertThat(leaving.holds(running)).as("the replica that let go still holds its run").isFalse();
        assertThat(await(() -> staying.adopt(1000))).as("adopted right after the owner let go, long before its expiry")
                .containsEntry(running, 2L);
        assertThatThrownBy(() -> await(() -> leavingStore.append(running, 1, events("TargetStarted"))))
                .as("an append of the replica that let the run go").isInstanceOf(StaleOwnerException.class);
    }

    /**
     * A person's command another replica received (the command inbox): written only while the run has an owner,
     * and applied once, in the transaction of the events that decide it; an append that would apply it again is
     * rolled back whole, and a refusal never overwrites the decision.
     */
    @Test
    void a_command_written_for_an_owned_run_is_applied_once_with_the_events_that_decide_it() throws Exception {
        RunOwners owner = new RunOwners(pool, "owner-" + UUID.randomUUID(), Duration.ofSeconds(60));
        PostgresEventStore store = storeOf(owner);
        await(owner::heartbeat);
        UUID run = UUID.randomUUID();
        UUID nobodys = UUID.randomUUID();
        assertThat(await(() -> inbox.post(posted(UUID.randomUUID(), nobodys)))).as("written for a run nobody carries")
                .isFalse();
        owner.willOwn(run);
        await(() -> store.append(run, 0, events("RunRequested", "TargetStarted")));

        UUID command = UUID.randomUUID();
        assertThat(await(() -> inbox.post(posted(command, run)))).as("written for a run its owner carries").isTrue();
        assertThat(await(() -> inbox.pendingFor(List.of(run)))).extracting(RunCommandInbox.Pending::commandId)
                .containsExactly(command);
        assertThat(await(() -> inbox.pendingFor(List.of()))).as("pending commands another replica may decide")
                .extracting(RunCommandInbox.Pending::commandId).doesNotContain(command);

        await(() -> store.append(run, 2, events("CancelRequested"), models -> models.consumeCommand(command,
                owner.replicaId())));
        assertThatThrownBy(() -> await(() -> store.append(run, 3, events("CancelRequested"),
                models -> models.consumeCommand(command, owner.replicaId()))))
                .as("an append applying the command a second time").isInstanceOf(CommandDecidedException.class);
        assertThat(await(() -> store.load(run))).as("the run after the second try").hasSize(3);
        await(() -> inbox.refuse(command, "late", "state-conflict", "too late"));
        RunCommandInbox.Status status = await(() -> inbox.find(run, command)).orElseThrow();
        assertThat(status.status()).isEqualTo("APPLIED");
        assertThat(status.actor()).isEqualTo("alice");
        assertThat(status.refusal()).isEmpty();
        assertThat(await(() -> inbox.pendingFor(List.of(run)))).isEmpty();
    }

    private static RunCommandInbox.Posted posted(UUID command, UUID run) {
        return new RunCommandInbox.Posted(command, run, "Cancel",
                new io.vertx.core.json.JsonObject().put("mode", "FINISH_STEP").put("actor", "alice"), "alice",
                "receiver-" + UUID.randomUUID());
    }

    private PostgresEventStore storeOf(RunOwners owners) {
        return new PostgresEventStore(pool, objectMapper, runList, leases, idempotencyKeys, alarms, owners, appended);
    }

    private List<Object> ownerRow(UUID run) throws SQLException {
        try (Connection db = DriverManager.getConnection(jdbcUrl, user, "");
             PreparedStatement q = db.prepareStatement("select replica_id, token from run_owner where run_id = ?")) {
            q.setObject(1, run);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? List.of(rs.getString(1), rs.getLong(2)) : List.of();
            }
        }
    }

    private List<Long> tokensWritten(UUID run) throws SQLException {
        try (Connection db = DriverManager.getConnection(jdbcUrl, user, "");
             PreparedStatement q = db.prepareStatement("select owner_token from run_event where run_id = ? order by seq")) {
            q.setObject(1, run);
            try (ResultSet rs = q.executeQuery()) {
                List<Long> tokens = new java.util.ArrayList<>();
                while (rs.next()) {
                    tokens.add(rs.getObject(1) == null ? null : rs.getLong(1));
                }
                return tokens;
            }
        }
    }

    private static void insertDirectly(Connection db, UUID run, long seq, String prevHash, Long token)
            throws SQLException {
        try (PreparedStatement insert = db.prepareStatement("""
                insert into run_event (event_id, run_id, seq, type, occurred_at, actor, data, prev_hash, hash,
                                       owner_token)
                values (?, ?, ?, 'StepSucceeded', ?, 'stale', '{}'::jsonb, ?, ?, ?)""")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setObject(2, run);
            insert.setLong(3, seq);
            insert.setTimestamp(4, Timestamp.from(Instant.now()));
            insert.setString(5, prevHash);
            insert.setString(6, "c".repeat(64));
            insert.setObject(7, token, java.sql.Types.BIGINT);
            insert.executeUpdate();
        }
    }

    private static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
