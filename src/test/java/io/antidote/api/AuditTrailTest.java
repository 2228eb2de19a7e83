package io.antidote.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.antidote.audit.AuditRuns;
import io.antidote.engine.RunCommands;
import io.antidote.engine.RunEngine;
import io.antidote.engine.RunWriters;
import io.antidote.store.ChainBrokenException;
import io.antidote.store.EventHash;
import io.antidote.store.NewEvent;
import io.antidote.workflow.RunCommand.Advance;
import io.antidote.workflow.RunCommand.Recover;
import io.antidote.workflow.RunState;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * An auditor's proof of the history, and each way of tampering with it that issue 14 lists: every one is
 * found online ({@code GET /api/v1/runs/{id}/verification}) and offline ({@code src/verify/Verify.java},
 * run with the JDK's own launcher on the export and the served public key). The tampering is done as a
 * database owner would, in SQL, with the history triggers disabled where they would refuse it.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AuditTrailTest {

    /** Micros ending in 000: Jackson would write this instant with three fraction digits. */
    static final Instant START = Instant.parse("2021-03-06T10:00:00.120Z");

    @Inject
    RunCommands commands;

    @Inject
    RunEngine engine;

    @Inject
    RunWriters writers;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    /** The runs this test made: tampered histories must not outlive it in a database other tests read whole. */
    private AuditRuns runs;

    @BeforeEach
    void runsOnTargetsOfTheirOwn() {
        runs = new AuditRuns(commands, engine, jdbcUrl, user, "audit-", "INC-AUDIT");
    }

    @AfterEach
    void removeTheRunsItMade() throws SQLException {
        runs.removeAll();
    }

    @Test
    void an_untouched_run_verifies_online_and_offline_and_is_served_in_the_canonical_form() throws Exception {
        UUID run = finishedRun();

        JsonPath verification = verification(run);
        assertThat(verification.getBoolean("verified")).as("verified").isTrue();
        assertThat(verification.getString("firstBadSeq")).as("first bad seq").isNull();
        assertThat(verification.getLong("checkpointedSeq")).as("checkpointed seq").isEqualTo(events(run));

        List<String> times = given().when().get("/api/v1/runs/{id}/events", run).then().statusCode(200)
                .extract().jsonPath().getList("occurredAt", String.class);
        assertThat(times).as("occurredAt as served").first().isEqualTo("2021-03-06T10:00:00.120000Z");
        assertThat(times).allMatch(t -> t.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"));

        String export = export(run);
        List<String> lines = export.lines().toList();
        assertThat(lines).as("export lines").hasSize((int) events(run) + checkpoints(run));
        assertThat(lines.get(0)).startsWith("{\"actor\":\"alice\",\"attempt\":null,\"data\":{")
                .contains("\"occurredAt\":\"2021-03-06T10:00:00.120000Z\"").contains("\"record\":\"event\"");
        assertThat(lines.get(lines.size() - 1)).startsWith("{\"keyId\":\"").contains("\"record\":\"checkpoint\"");

        Offline offline = verifyOffline(export);
        assertThat(offline.exit()).as("Verify.java exit status; it said: %s", offline.output()).isZero();
        assertThat(offline.output()).contains("run " + run + ": verified, " + events(run) + " events, signed up to seq "
                + events(run));
    }

    @Test
    void a_time_range_export_holds_the_runs_started_in_it_whole_and_verifies_offline() throws Exception {
        // A second of its own, so that no other run of the database starts in it.
        Instant from = Instant.parse("2003-01-01T00:00:00Z").plusSeconds(new java.util.Random().nextInt(1_000_000) * 10L);
        UUID inside = finishedRun(from.plusMillis(250));
        UUID outside = finishedRun(from.plusSeconds(1));

        String range = given().queryParam("from", from.toString()).queryParam("to", from.plusSeconds(1).toString())
                .when().get("/api/v1/audit/export")
                .then().statusCode(200).extract().asString();
        assertThat(range.lines().toList()).as("the range export").isNotEmpty()
                .isEqualTo(export(inside).lines().toList());
        assertThat(range).as("the range export").doesNotContain(outside.toString());
        Offline offline = verifyOffline(range);
        assertThat(offline.exit()).as("Verify.java exit status; it said: %s", offline.output()).isZero();
        assertThat(offline.output()).contains("run " + inside + ": verified, " + events(inside) + " events");
    }

    @Test
    void a_run_in_flight_is_signed_on_the_interval_and_after_its_tail_is_deleted_recovery_does_not_extend_it()
            throws Exception {
        UUID run = startedRun();
        long last = events(run);
        // Nothing ended the run: only the interval signs its head.
        await().atMost(Duration.ofSeconds(30)).until(() -> checkpointedSeq(run) == last);
        assertThat(state(run).status().name()).as("status when signed").isEqualTo("RUNNING");
        Offline signed = verifyOffline(export(run));
        assertThat(signed.exit()).as("Verify.java exit status; it said: %s", signed.output()).isZero();
        assertThat(signed.output()).contains("run " + run + ": verified, " + last + " events, signed up to seq " + last);

        List<java.util.logging.LogRecord> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
                    errors.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger alarms = java.util.logging.Logger.getLogger("io.antidote.store.ChainAlarms");
        alarms.addHandler(handler);
        try {
            withTriggersOff("delete from run_event where run_id = '" + run + "' and seq >= " + (last - 1));
            // A restarted process: nothing of the run in memory; recovery decides on the stream as stored.
            commands.forget(run);
            Throwable refused = VertxContextSupport.subscribeAndAwait(() -> writers.write(run, RunWriters.Kind.RECOVERY,
                            () -> commands.decideAndAppend(run, s -> new Recover(Instant.now(), java.util.Set.of())))
                    .map(decided -> (Throwable) null)
                    .onFailure().recoverWithItem(failure -> failure)
                    .ifNoItem().after(Duration.ofSeconds(30)).fail());
            assertThat(refused).as("recovery of the cut-off run").isInstanceOf(ChainBrokenException.class);
        } catch (Throwable t) {
            throw t instanceof Exception e ? e : new IllegalStateException(t);
        } finally {
            alarms.removeHandler(handler);
        }
        assertThat(events(run)).as("events after the refused recovery").isEqualTo(last - 2);
        assertThat(errors).as("ERROR lines of the chain alarm").anySatisfy(record -> assertThat(formatted(record))
                .contains("Run " + run + " fails verification at seq " + (last - 1)));
        assertThat(writers.waitingOther()).as("engine decisions waiting to be stored").isZero();
        assertThat(given().when().get("/q/health/ready").then().extract().jsonPath()
                .getString("checks.find { it.name == 'run events stored' }.status")).as("readiness of the store")
                .isEqualTo("UP");
        assertThat(given().when().get("/api/v1/runs?ticket=INC-AUDIT&size=100").then().statusCode(200).extract()
                .jsonPath().getLong("items.find { it.id == '" + run + "' }.failingVerification.firstBadSeq"))
                .as("the run as the list shows it").isEqualTo(last - 1);
    }

    @Test
    void data_that_is_hard_to_write_canonically_verifies_online_and_offline() throws Exception {
        Map<String, Object> hard = new java.util.LinkedHashMap<>();
        // U+FF61 sorts before U+1F600 by code point, after it by UTF-16 code unit (a surrogate pair, D83D DE00).
        hard.put("\uFF61", "halfwidth full stop");
        hard.put("\uD83D\uDE00", "grinning face \uD83D\uDE00 outside the BMP");
        hard.put("Z", "upper case before lower");
        hard.put("a", "lower");
        hard.put("e\u0301", "e and a combining accent, not normalised");
        hard.put("\u00e9", "precomposed e acute");
        hard.put("control", "\u0001\u0008\t\n\f\r\u001f\u007f\u2028\u2029\"\\/</script>");
        hard.put("big", new java.math.BigInteger("123456789012345678901234567890"));
        hard.put("min", Long.MIN_VALUE);
        hard.put("nested", Map.of("\uD834\uDD1E", List.of("\uFFFF", 0, -1, true, false), "\uFB01", Map.of()));
        UUID run = finishedRun(START, hard);

        assertThat(verification(run).getBoolean("verified")).as("verified online").isTrue();
        String export = export(run);
        String requested = export.lines().findFirst().orElseThrow();
        // As RFC 8785 writes them: characters outside ASCII as they are, keys in UTF-16 order, integers whole.
        assertThat(requested).contains("\"\uD83D\uDE00\":\"grinning face \uD83D\uDE00 outside the BMP\"")
                .contains("\"big\":123456789012345678901234567890").contains("\"min\":-9223372036854775808")
                .contains("\\u0001\\b\\t\\n\\f\\r\\u001f");
        assertThat(requested.indexOf("\"\uD83D\uDE00\":")).as("the emoji key, before U+FF61 in UTF-16 order")
                .isPositive().isLessThan(requested.indexOf("\"\uFF61\":"));
        Offline offline = verifyOffline(export);
        assertThat(offline.exit()).as("Verify.java exit status; it said: %s", offline.output()).isZero();
        assertThat(offline.output()).contains("run " + run + ": verified, " + events(run) + " events");
    }

    @Test
    void a_flipped_byte_in_data_is_found_online_and_offline() throws Exception {
        UUID run = finishedRun();
        withTriggersOff("update run_event set data = replace(data::text, 'isolate', 'isolatf')::jsonb "
                + "where run_id = '" + run + "' and seq = 1");
        assertFoundAt(run, 1);
    }

    @Test
    void a_forged_row_with_a_made_up_hash_is_found_online_and_offline() throws Exception {
        UUID run = finishedRun();
        long last = events(run);
        forgeRow(run, last + 1);
        assertFoundAt(run, last + 1);
    }

    @Test
    void a_deleted_tail_is_found_behind_the_checkpoint_and_the_engine_does_not_extend_it() throws Exception {
        UUID run = finishedRun();
        long last = events(run);
        withTriggersOff("delete from run_event where run_id = '" + run + "' and seq >= " + (last - 1));
        assertFoundAt(run, last - 1);

        // The cut-off run now folds as unfinished: a command would end it afresh, over the missing tail.
        given().body("{\"mode\":\"FINISH_STEP\"}").contentType("application/json")
                .when().post("/api/v1/runs/{id}/cancel", run)
                .then().statusCode(409).contentType("application/problem+json");
        assertThat(events(run)).as("events after the refused cancel").isEqualTo(last - 2);
        assertThat(given().when().get("/api/v1/runs/{id}", run).then().extract().jsonPath()
                .getLong("failingVerification.firstBadSeq")).isEqualTo(last - 1);
    }

    @Test
    void a_rewritten_and_re_hashed_tail_is_found_behind_the_checkpoint() throws Exception {
        UUID run = finishedRun();
        long last = events(run);
        rehashFrom(run, last - 1);
        JsonPath online = verification(run);
        assertThat(online.getBoolean("verified")).isFalse();
        assertThat(online.getLong("firstBadSeq")).as("first bad seq: the last checkpointed seq at or after the edit")
                .isBetween(last - 1, last);
        Offline offline = verifyOffline(export(run));
        assertThat(offline.exit()).as("Verify.java exit status; it said: %s", offline.output()).isEqualTo(1);
        assertThat(offline.output()).containsPattern("run " + run + ": FAILS at seq (" + (last - 1) + "|" + last + "):");
    }

    @Test
    void a_changed_occurred_at_is_found_online_and_offline() throws Exception {
        UUID run = finishedRun();
        withTriggersOff("update run_event set occurred_at = occurred_at + interval '1 microsecond' "
                + "where run_id = '" + run + "' and seq = 2");
        assertFoundAt(run, 2);
    }

    @Test
    void the_background_verifier_finds_tampering_nobody_asked_about_and_health_warns() throws Exception {
        UUID run = finishedRun();
        forgeRow(run, events(run) + 1);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonPath well = given().when().get("/q/health/well").then().extract().jsonPath();
            assertThat(well.getString("status")).isEqualTo("DOWN");
            assertThat(well.getString("checks.find { it.name == 'run history verified' }.data.failingRuns"))
                    .contains(run.toString());
        });
        assertThat(given().when().get("/api/v1/runs/{id}", run).then().statusCode(200).extract().jsonPath()
                .getString("failingVerification.problem")).contains("does not recompute to its hash");
    }

    @Test
    void keys_list_the_current_ed25519_key_by_the_id_checkpoints_name() throws SQLException {
        UUID run = finishedRun();
        JsonPath keys = given().when().get("/api/v1/audit/keys").then().statusCode(200).extract().jsonPath();
        assertThat(keys.getString("[0].algorithm")).isEqualTo("Ed25519");
        assertThat(keys.getBoolean("[0].current")).isTrue();
        assertThat(export(run)).contains("\"keyId\":\"" + keys.getString("[0].id") + "\"");
        assertThat(keys.getString("[0].pem")).doesNotContain("PRIVATE");
    }

    @Test
    void an_export_of_an_unknown_run_or_a_bad_range_is_refused() {
        given().when().get("/api/v1/runs/{id}/export", UUID.randomUUID()).then().statusCode(404);
        given().when().get("/api/v1/runs/{id}/verification", UUID.randomUUID()).then().statusCode(404);
        given().when().get("/api/v1/audit/export?from=yesterday&to=2021-03-06T10:00:01Z").then().statusCode(422);
    }

    // --- helpers ---

    private void assertFoundAt(UUID run, long seq) throws Exception {
        JsonPath online = verification(run);
        assertThat(online.getBoolean("verified")).as("verified online").isFalse();
        assertThat(online.getLong("firstBadSeq")).as("first bad seq online: %s", online.getString("problem"))
                .isEqualTo(seq);
        Offline offline = verifyOffline(export(run));
        assertThat(offline.exit()).as("Verify.java exit status; it said: %s", offline.output()).isEqualTo(1);
        assertThat(offline.output()).contains("run " + run + ": FAILS at seq " + seq + ":");
    }

    private JsonPath verification(UUID run) {
        return given().when().get("/api/v1/runs/{id}/verification", run).then().statusCode(200).extract().jsonPath();
    }

    private String export(UUID run) {
        return given().when().get("/api/v1/runs/{id}/export", run).then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/plain")).extract().asString();
    }

    record Offline(int exit, String output) {}

    /** Runs src/verify/Verify.java as an auditor would: the JDK's launcher, the export, the served key. */
    private Offline verifyOffline(String export) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("audit");
        Path file = Files.writeString(dir.resolve("export.jsonl"), export, StandardCharsets.UTF_8);
        Path key = Files.writeString(dir.resolve("key.pub"),
                given().when().get("/api/v1/audit/keys").then().extract().jsonPath().getString("[0].pem"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), Path.of("src/verify/Verify.java").toAbsolutePath().toString(),
                file.toString(), key.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("Verify.java finished").isTrue();
        return new Offline(process.exitValue(), output);
    }

    private UUID finishedRun() throws SQLException {
        return finishedRun(START);
    }

    private UUID finishedRun(Instant start) throws SQLException {
        return finishedRun(start, Map.of());
    }

    private UUID finishedRun(Instant start, Map<String, Object> params) throws SQLException {
        return runs.finished(start, params);
    }

    /** A run requested at {@code START}, started, its first step running: in flight, on a target of its own. */
    private UUID startedRun() {
        UUID run = runs.requested(START, Map.of());
        decide(run, s -> new Advance(START.plusSeconds(1)));
        assertThat(state(run).status().name()).as("status of the run in flight").isEqualTo("RUNNING");
        return run;
    }

    private RunState state(UUID run) {
        return runs.state(run);
    }

    private void decide(UUID run, Function<RunState, io.antidote.workflow.RunCommand> command) {
        runs.decide(run, command);
    }

    private long events(UUID run) throws SQLException {
        return runs.events(run);
    }

    private int checkpoints(UUID run) throws SQLException {
        return (int) runs.checkpoints(run);
    }

    private long checkpointedSeq(UUID run) throws SQLException {
        return runs.checkpointedSeq(run);
    }

    /** Appends a row that links to the last one, as the chain trigger asks, but with a hash made up. */
    private void forgeRow(UUID run, long seq) throws SQLException {
        try (Connection db = jdbc(); PreparedStatement insert = db.prepareStatement("""
                insert into run_event (event_id, run_id, seq, type, occurred_at, actor, data, prev_hash, hash)
                select ?, run_id, seq + 1, 'RunSucceeded', occurred_at, 'mallory', '{}'::jsonb, hash, ?
                  from run_event where run_id = ? and seq = ?""")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, "ab".repeat(32));
            insert.setObject(3, run);
            insert.setLong(4, seq - 1);
            assertThat(insert.executeUpdate()).as("forged rows the database accepted").isEqualTo(1);
        }
    }

    /** Edits seq {@code from}'s data and re-hashes it and every event after it, so that the chain links again. */
    private void rehashFrom(UUID run, long from) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (Connection db = jdbc(); PreparedStatement q = db.prepareStatement("""
                select seq, event_id, type, occurred_at, actor, target, step, attempt, data::text, prev_hash
                  from run_event where run_id = ? and seq >= ? order by seq""")) {
            q.setObject(1, run);
            q.setLong(2, from);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Object[] {rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getObject(4, java.time.OffsetDateTime.class).toInstant(), rs.getString(5), rs.getString(6),
                            rs.getString(7), (Integer) rs.getObject(8), rs.getString(9), rs.getString(10)});
                }
            }
        }
        StringBuilder sql = new StringBuilder();
        String prev = (String) rows.get(0)[9];
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        for (Object[] r : rows) {
            long seq = (Long) r[0];
            com.fasterxml.jackson.databind.node.ObjectNode data;
            try {
                data = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree((String) r[8]);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            if (seq == from) {
                data.put("rewrittenBy", "mallory");
            }
            String hash = EventHash.of(prev, run, seq, new NewEvent((UUID) r[1], (String) r[2], (Instant) r[3],
                    (String) r[4], (String) r[5], (String) r[6], (Integer) r[7], data));
            sql.append("update run_event set data = '").append(data.toString().replace("'", "''"))
                    .append("'::jsonb, prev_hash = '").append(prev).append("', hash = '").append(hash)
                    .append("' where run_id = '").append(run).append("' and seq = ").append(seq).append(";\n");
            prev = hash;
        }
        withTriggersOff(sql.toString());
    }

    /** Runs the SQL as the table's owner with the history triggers off, and puts them back in the same transaction. */
    private void withTriggersOff(String sql) throws SQLException {
        try (Connection db = jdbc(); Statement s = db.createStatement()) {
            db.setAutoCommit(false);
            s.execute("alter table run_event disable trigger user");
            s.execute(sql);
            s.execute("alter table run_event enable trigger user");
            db.commit();
        }
    }

    private Connection jdbc() throws SQLException {
        return runs.jdbc();
    }

    /** The log line as written (JBoss log records format their printf-style message themselves). */
    private static String formatted(java.util.logging.LogRecord record) {
        try {
            return (String) record.getClass().getMethod("getFormattedMessage").invoke(record);
        } catch (ReflectiveOperationException e) {
            return record.getMessage();
        }
    }
}
