package io.antidote.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.antidote.identity.Caller;
import io.antidote.identity.Roles;
import io.antidote.identity.TestIdentity;
import io.antidote.identity.TestTokens;
import io.antidote.store.EventHash;
import io.antidote.store.NewEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Live streams through the real HTTP stack: clients on sockets of their own read server-sent events of runs
 * the engine carries over the lab, of a run another writer appends to in the database, and of the run list.
 * The test profile sets a short heartbeat, a small buffer and a stall limit of 2 s (application.properties).
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LiveEventsApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    @Inject
    MeterRegistry metrics;

    private final List<String> hosts = new ArrayList<>();

    /** Runs written here as another replica would: streams the engine cannot fold, so gone after each test. */
    private final List<UUID> written = new ArrayList<>();

    @AfterEach
    void deleteHosts() {
        LabHosts.delete(hosts);
    }

    @AfterEach
    void deleteWrittenRuns() throws SQLException {
        if (written.isEmpty()) {
            return;
        }
        try (Connection db = DriverManager.getConnection(
                ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class), "postgres", null);
             Statement s = db.createStatement()) {
            db.setAutoCommit(false);
            String ids = written.stream().map(id -> "'" + id + "'").collect(java.util.stream.Collectors.joining(","));
            s.execute("alter table run_event disable trigger user");
            s.execute("delete from run_event where run_id in (" + ids + ")");
            s.execute("delete from run_summary where run_id in (" + ids + ")");
            s.execute("alter table run_event enable trigger user");
            db.commit();
        }
        written.clear();
    }

    @Test
    void subscribers_follow_a_run_in_order_and_a_resumed_one_misses_nothing()
            throws Exception {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        hosts.add(host);
        try (SseClient list = SseClient.open(uri("api/v1/runs"), token(Roles.VIEWER), null)) {
            assertThat(list.status()).isEqualTo(200);
            String runId = ProxyLogonRemediationTest.requestRun(host);
            URI events = uri("api/v1/runs/" + runId + "/events");
            try (SseClient watcher = SseClient.open(events, tester(), null);
                 SseClient auditor = SseClient.open(events, token(Roles.AUDITOR), null);
                 SseClient first = SseClient.open(events, tester(), null)) {
                assertThat(watcher.status()).isEqualTo(200);
                assertThat(watcher.contentType()).startsWith("text/event-stream");
                first.hangUpWhen(received -> received.size() >= 5);
                assertThat(first.awaitEnd(Duration.ofSeconds(60))).as("the first client hung up after 5 events").isTrue();
                // Resumed while the run goes on: what it missed from the store, then live.
                String lastSeen = first.events().get(first.events().size() - 1).id();
                try (SseClient resumed = SseClient.open(events, tester(), lastSeen)) {
                    // Heartbeats are sent when nothing else is: the approval is held until one came, since on a
                    // quiet machine the run is otherwise too quick to leave a silent moment.
                    await().atMost(Duration.ofSeconds(60)).until(() -> "WAITING_APPROVAL".equals(given().when()
                            .get("/api/v1/runs/{id}", runId).then().statusCode(200).extract().path("status")));
                    await().atMost(Duration.ofSeconds(10)).until(() -> watcher.comments().contains("heartbeat"));
                    ProxyLogonRemediationTest.approveWhenAsked(runId);
                    JsonPath run = ProxyLogonRemediationTest.awaitFinished(runId);
                    assertThat(run.getString("status")).isEqualTo("SUCCEEDED");
                    List<Map<String, Object>> stored = ProxyLogonRemediationTest.events(runId);

                    for (SseClient client : List.of(watcher, auditor, resumed)) {
                        assertThat(client.awaitEnd(Duration.ofSeconds(30)))
                                .as("the stream ends after the run's terminal event").isTrue();
                    }
                    assertSameEvents(watcher.events(), stored);
                    assertSameEvents(auditor.events(), stored);
                    List<SseClient.Event> joined = new ArrayList<>(first.events());
                    joined.addAll(resumed.events());
                    assertSameEvents(joined, stored);
                    assertThat(watcher.comments()).as("heartbeats while the run waited for its approval")
                            .contains("heartbeat");

                    Map<String, Object> item = given().when().get("/api/v1/runs?ticket={t}", "INC-" + host)
                            .then().statusCode(200).extract().jsonPath().getMap("items[0]");
                    await().atMost(Duration.ofSeconds(10)).until(() -> changesOf(list, runId).stream()
                            .anyMatch(c -> c.data().contains("\"SUCCEEDED\"")));
                    List<SseClient.Event> changes = changesOf(list, runId);
                    assertThat(changes.get(0).name()).isEqualTo("RunCreated");
                    assertThat(changes.subList(1, changes.size())).extracting(SseClient.Event::name)
                            .containsOnly("RunStatusChanged");
                    assertThat(changes).extracting(c -> JSON.readTree(c.data()).path("status").asText())
                            .containsSubsequence("WAITING_APPROVAL", "RUNNING", "SUCCEEDED").endsWith("SUCCEEDED");
                    assertThat(JSON.readTree(changes.get(changes.size() - 1).data()))
                            .as("the same item as the run list").isEqualTo(JSON.valueToTree(item));
                }
            }
        }
    }

    /**
     * A client that stops reading is dropped, and its connection closed at once, however little it read: so a
     * dead or hostile subscriber holds neither a connection nor the events queued for it. The run is written
     * by another replica with far more bytes than any socket buffer holds, so that the stall is certain
     * whatever the kernel's buffer sizes (a run of the lab is about 40 KB, which a kernel may hold whole).
     */
    @Test
    void a_subscriber_that_stops_reading_is_dropped_and_its_connection_closed_while_others_get_everything()
            throws Exception {
        UUID runId = UUID.randomUUID();
        try (Connection db = DriverManager.getConnection(
                ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class), "postgres", null)) {
            written.add(runId);
            OtherReplica other = new OtherReplica(db, runId);
            other.append("StepStarted");
            double droppedBefore = dropped();
            URI events = uri("api/v1/runs/" + runId + "/events");
            try (SseClient reader = SseClient.open(events, tester(), null);
                 StalledClient stalled = StalledClient.open(base, "/api/v1/runs/" + runId + "/events", tester())) {
                await().atMost(Duration.ofSeconds(10)).until(() -> reader.events().size() == 1);
                String note = "x".repeat(8 * 1024);
                int appended = 100;
                for (int i = 0; i < appended; i++) {
                    other.append("StepSucceeded", note);
                }
                other.append("RunFailed");
                assertThat(reader.awaitEnd(Duration.ofSeconds(60))).as("the reading client got the whole run").isTrue();
                assertSameEvents(reader.events(), ProxyLogonRemediationTest.events(runId.toString()));

                // Dropped 2 s after it took nothing (the test profile's stall limit), while it still reads
                // nothing; read only then, it finds what the kernel held for it, and the end of the connection.
                await().atMost(Duration.ofSeconds(20)).until(() -> dropped() > droppedBefore);
                String cut = stalled.readToEnd(Duration.ofSeconds(20));
                assertThat(cut).as("a client that read nothing was sent the start of the run")
                        .containsPattern("\nevent: ?StepStarted\n");
                assertThat(cut).as("and was dropped before its end").doesNotContainPattern("\nevent: ?RunFailed\n");
                assertThat(cut.length()).as("far less than the run: what was queued for it was let go")
                        .isLessThan(appended * note.length() / 4);
            }
        }
    }

    @Test
    void events_another_replica_appends_reach_a_subscriber_here() throws Exception {
        UUID runId = UUID.randomUUID();
        try (Connection db = DriverManager.getConnection(
                ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class), "postgres", null)) {
            written.add(runId);
            OtherReplica other = new OtherReplica(db, runId);
            other.append("StepStarted");
            try (SseClient client = SseClient.open(uri("api/v1/runs/" + runId + "/events"), tester(), null)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> client.events().size() == 1);
                other.append("StepSucceeded");
                await().atMost(Duration.ofSeconds(10)).until(() -> client.events().size() == 2);
                other.append("RunFailed");
                assertThat(client.awaitEnd(Duration.ofSeconds(10))).as("the stream ends with the run").isTrue();
                assertSameEvents(client.events(), ProxyLogonRemediationTest.events(runId.toString()));
                assertThat(client.events()).extracting(SseClient.Event::name)
                        .containsExactly("StepStarted", "StepSucceeded", "RunFailed");
            }
            try (SseClient late = SseClient.open(uri("api/v1/runs/" + runId + "/events"), tester(), "2")) {
                assertThat(late.awaitEnd(Duration.ofSeconds(10))).as("resumed after the run ended").isTrue();
                assertThat(late.events()).extracting(SseClient.Event::id).containsExactly("3");
            }
        }
    }

    @Test
    void only_those_who_may_read_the_events_get_the_stream_and_plain_requests_get_json_as_before() throws Exception {
        UUID runId = UUID.randomUUID();
        try (Connection db = DriverManager.getConnection(
                ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class), "postgres", null)) {
            written.add(runId);
            new OtherReplica(db, runId).append("RunFailed");
        }
        URI events = uri("api/v1/runs/" + runId + "/events");
        try (SseClient anonymous = SseClient.open(events, null, null);
             SseClient viewer = SseClient.open(events, token(Roles.VIEWER), null);
             SseClient operator = SseClient.open(events, token(Roles.OPERATOR), null);
             SseClient unknown = SseClient.open(uri("api/v1/runs/" + UUID.randomUUID() + "/events"), tester(), null);
             SseClient badResume = SseClient.open(events, tester(), "seven");
             SseClient listAnonymous = SseClient.open(uri("api/v1/runs"), null, null)) {
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(viewer.status()).isEqualTo(403);
            assertThat(operator.status()).isEqualTo(403);
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(badResume.status()).isEqualTo(422);
            assertThat(listAnonymous.status()).isEqualTo(401);
        }
        given().header("Accept", "text/event-stream").header("Last-Event-ID", "seven")
                .when().get("/api/v1/runs/{id}/events", runId)
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("Last-Event-ID"));
        given().when().get("/api/v1/runs/{id}/events", runId)
                .then().statusCode(200).contentType("application/json").body("[0].type",
                        org.hamcrest.Matchers.equalTo("RunFailed"));
        given().when().get("/api/v1/runs").then().statusCode(200).contentType("application/json");
    }

    private static List<SseClient.Event> changesOf(SseClient list, String runId) throws IOException {
        List<SseClient.Event> changes = new ArrayList<>();
        for (SseClient.Event change : list.events()) {
            if (JSON.readTree(change.data()).path("id").asText().equals(runId)) {
                changes.add(change);
            }
        }
        return changes;
    }

    /** The stream carried exactly the stored events, in order: id the seq, event the type, data the same JSON. */
    private static void assertSameEvents(List<SseClient.Event> streamed, List<Map<String, Object>> stored)
            throws IOException {
        assertThat(streamed).extracting(SseClient.Event::id)
                .containsExactlyElementsOf(stored.stream().map(e -> String.valueOf(e.get("seq"))).toList());
        for (int i = 0; i < stored.size(); i++) {
            assertThat(streamed.get(i).name()).isEqualTo(stored.get(i).get("type"));
            assertThat(JSON.readTree(streamed.get(i).data())).as("data of seq %d", i + 1)
                    .isEqualTo(JSON.valueToTree(stored.get(i)));
        }
    }

    private double dropped() {
        return metrics.counter("antidote.live.subscribers.dropped").count();
    }

    private URI uri(String path) {
        return URI.create(base.toString()).resolve(path);
    }

    private static String tester() {
        return TestTokens.person(TestIdentity.TESTER, TestIdentity.TESTER_ROLES, List.of(Caller.ALL_PLAYBOOKS));
    }

    private static String token(String role) {
        return TestTokens.person("live-" + role, role);
    }

    /**
     * Another replica's append, as the store writes one: a row chained to the previous one, written on a
     * connection of its own, with nothing of this process involved but the database.
     */
    private static final class OtherReplica {

        private final Connection db;
        private final UUID runId;
        private String lastHash = EventHash.GENESIS;
        private long seq;

        OtherReplica(Connection db, UUID runId) {
            this.db = db;
            this.runId = runId;
        }

        void append(String type) throws SQLException {
            append(type, "appended by another replica");
        }

        void append(String type, String note) throws SQLException {
            ObjectNode data = JSON.createObjectNode().put("note", note);
            NewEvent event = new NewEvent(UUID.randomUUID(), type, Instant.now(), "replica-b", null, null, null, data);
            long next = seq + 1;
            String hash = EventHash.of(lastHash, runId, next, event);
            try (PreparedStatement insert = db.prepareStatement("""
                    insert into run_event (event_id, run_id, seq, type, occurred_at, actor, target, step, attempt, data,
                                           prev_hash, hash)
                    values (?, ?, ?, ?, ?, ?, null, null, null, cast(? as jsonb), ?, ?)""")) {
                insert.setObject(1, event.eventId());
                insert.setObject(2, runId);
                insert.setLong(3, next);
                insert.setString(4, type);
                insert.setTimestamp(5, Timestamp.from(event.occurredAt()));
                insert.setString(6, event.actor());
                insert.setString(7, data.toString());
                insert.setString(8, lastHash);
                insert.setString(9, hash);
                insert.executeUpdate();
            }
            seq = next;
            lastHash = hash;
        }
    }

    /** A client that asks for the stream and then reads nothing, with a receive buffer as small as it gets. */
    private static final class StalledClient implements AutoCloseable {

        private final Socket socket;

        private StalledClient(Socket socket) {
            this.socket = socket;
        }

        static StalledClient open(URL base, String path, String token) throws IOException {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(1024);
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nAccept: text/event-stream\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new StalledClient(socket);
        }

        /** Everything the server sent, read now, until it closed the connection; fails if it never does. */
        String readToEnd(Duration within) throws IOException {
            socket.setSoTimeout((int) within.toMillis());
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] chunk = new byte[8192];
            try {
                for (int n; (n = in.read(chunk)) >= 0; ) {
                    received.write(chunk, 0, n);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server never closed the stalled client's connection; it got "
                        + received.size() + " bytes", e);
            } catch (SocketException e) {
                // reset: closed all the same
            }
            return received.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
