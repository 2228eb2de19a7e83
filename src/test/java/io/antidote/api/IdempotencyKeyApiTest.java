package io.antidote.api;

import io.antidote.identity.Roles;
import io.antidote.identity.TestTokens;
import static io.antidote.identity.TestIdentity.as;
import io.antidote.store.IdempotencyKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Issue 13, point 4: an {@code Idempotency-Key} makes a repeated run request return the run the first one
 * created instead of acting on the servers again. Through the HTTP API, real PostgreSQL and WinRM4j against
 * lab hosts, whose command logs witness that a duplicated request ran each script once.
 */
@QuarkusTest
@TestProfile(FleetAndFaultsProfile.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class IdempotencyKeyApiTest {

    private static final int STEPS = 8;

    @Inject
    IdempotencyKeys keys;

    private final List<String> hosts = new ArrayList<>();

    @AfterEach
    void deleteHosts() {
        LabHosts.delete(hosts);
    }

    @Test
    void the_same_key_and_body_answer_200_with_the_run_the_first_request_created() {
        String host = host();
        String key = "CHG-" + UUID.randomUUID();
        Response first = post(key, "alice", body(host, "CHG-1"));
        first.then().statusCode(202);
        String runId = first.path("id");

        Response again = post(key, "alice", body(host, "CHG-1"));
        again.then().statusCode(200).contentType(ContentType.JSON).body("id", equalTo(runId));
        assertThat(again.header("Location")).endsWith("/api/v1/runs/" + runId);
        // Key order and spacing of the JSON are not part of "the same body".
        post(key, "alice", "{ \"ticket\": \"CHG-1\", \"targets\": [\"" + host + "\"],  \"playbook\": \"fleet-trivial\" }")
                .then().statusCode(200).body("id", equalTo(runId));

        FleetRunTest.awaitFinished(runId, Duration.ofMinutes(2));
        assertThat(runsWithKey(key)).as("runs recorded with the key").isEqualTo(1);
        LabHosts.assertEachStepRanOnce(List.of(host), "Write-Output 'fleet-step-%d'", STEPS);
    }

    @Test
    void the_same_key_with_another_body_is_a_422_naming_the_key_and_writes_nothing() {
        String host = host();
        String key = "k-" + UUID.randomUUID();
        String runId = post(key, "alice", body(host, "CHG-1")).then().statusCode(202).extract().path("id");

        post(key, "alice", body(host, "CHG-2"))
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("Idempotency-Key")))
                .body("errors[0].message", containsString(key))
                .body("errors[0].message", containsString(runId));

        assertThat(runsWithKey(key)).isEqualTo(1);
        FleetRunTest.awaitFinished(runId, Duration.ofMinutes(2));
        assertThat(eventsOfRunsWithKey(key)).as("only the first run's events").isEqualTo(eventsOf(runId));
    }

    @Test
    void keys_are_scoped_per_caller() {
        String host = host();
        String key = "shared-" + UUID.randomUUID();
        String alices = post(key, "alice", body(host, "CHG-1")).then().statusCode(202).extract().path("id");
        FleetRunTest.awaitFinished(alices, Duration.ofMinutes(2));
        String bobs = post(key, "bob", body(host, "CHG-1")).then().statusCode(202).extract().path("id");
        assertThat(bobs).as("bob's run with alice's key").isNotEqualTo(alices);
        post(key, "bob", body(host, "CHG-1")).then().statusCode(200).body("id", equalTo(bobs));
        post(key, "alice", body(host, "CHG-1")).then().statusCode(200).body("id", equalTo(alices));
        FleetRunTest.awaitFinished(bobs, Duration.ofMinutes(2));
    }

    @Test
    void concurrent_duplicates_create_exactly_one_run_and_act_once_on_the_host() throws Exception {
        String host = host();
        String key = "race-" + UUID.randomUUID();
        String json = body(host, "CHG-RACE");
        int requests = 12;
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/api/v1/runs"))
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .header("Authorization", "Bearer " + TestTokens.person("alice", Roles.OPERATOR, Roles.VIEWER))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService senders = Executors.newFixedThreadPool(requests);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < requests; i++) {
                answers.add(senders.submit(() -> {
                    gate.await();
                    return client.send(request, HttpResponse.BodyHandlers.ofString());
                }));
            }
            gate.countDown();
            List<Integer> statuses = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get(90, TimeUnit.SECONDS);
                statuses.add(response.statusCode());
                ids.add(io.restassured.path.json.JsonPath.from(response.body()).getString("id"));
            }
            assertThat(statuses.stream().filter(s -> s == 202).count()).as("requests that created a run: %s", statuses)
                    .isEqualTo(1);
            assertThat(statuses).as("the others answer with that run").containsOnly(202, 200);
            assertThat(ids).as("run ids answered").containsOnly(ids.get(0));
            assertThat(runsWithKey(key)).as("runs recorded with the key").isEqualTo(1);
            FleetRunTest.awaitFinished(ids.get(0), Duration.ofMinutes(2));
            LabHosts.assertEachStepRanOnce(List.of(host), "Write-Output 'fleet-step-%d'", STEPS);
        } finally {
            senders.shutdownNow();
        }
    }

    @Test
    void keys_are_kept_seven_days_by_default_then_forgotten() throws Exception {
        String host = host();
        String key = "expiring-" + UUID.randomUUID();
        String first = post(key, "alice", body(host, "CHG-1")).then().statusCode(202).extract().path("id");
        assertThat(sql("select extract(epoch from expires_at - created_at) from idempotency_key"
                + " where caller = 'alice' and idempotency_key = ?", key)).as("seconds the key is kept")
                .isEqualTo(String.valueOf(7 * 24 * 3600) + ".000000");
        FleetRunTest.awaitFinished(first, Duration.ofMinutes(2));

        sql("update idempotency_key set created_at = now() - interval '8 days', expires_at = now() - interval '1 day'"
                + " where caller = 'alice' and idempotency_key = ?", key);
        String second = post(key, "alice", body(host, "CHG-1")).then().statusCode(202).extract().path("id");
        assertThat(second).as("a run requested with an expired key").isNotEqualTo(first);
        post(key, "alice", body(host, "CHG-1")).then().statusCode(200).body("id", equalTo(second));
        FleetRunTest.awaitFinished(second, Duration.ofMinutes(2));

        String other = "swept-" + UUID.randomUUID();
        String third = post(other, "alice", body(host, "CHG-3")).then().statusCode(202).extract().path("id");
        FleetRunTest.awaitFinished(third, Duration.ofMinutes(2));
        sql("update idempotency_key set created_at = now() - interval '8 days', expires_at = now() - interval '1 day'"
                + " where caller = 'alice' and idempotency_key = ?", other);
        assertThat(keys.forgetExpired().await().atMost(Duration.ofSeconds(30))).isGreaterThanOrEqualTo(1);
        assertThat(sql("select count(*) from idempotency_key where idempotency_key = ?", other)).isEqualTo("0");
        assertThat(sql("select count(*) from idempotency_key where idempotency_key = ?", key)).as("a live key stays")
                .isEqualTo("1");
    }

    @Test
    void a_key_that_is_not_1_to_200_visible_ascii_characters_is_refused_naming_it() {
        String host = host();
        long before = RunRequestValidationTest.eventCount();
        for (String bad : List.of("has space", "x".repeat(201), "tab\there")) {
            post(bad, "alice", body(host, "CHG-1"))
                    .then().statusCode(422).contentType("application/problem+json")
                    .body("errors.field", hasItem("Idempotency-Key"));
        }
        assertThat(RunRequestValidationTest.eventCount()).isEqualTo(before);
    }

    private String host() {
        String name = LabHosts.create("2019", "CU8", List.of(), List.of());
        hosts.add(name);
        return name;
    }

    private static String body(String host, String ticket) {
        return "{\"playbook\":\"fleet-trivial\",\"targets\":[\"" + host + "\"],\"ticket\":\"" + ticket + "\"}";
    }

    private static Response post(String key, String actor, String json) {
        return as(actor, Roles.OPERATOR, Roles.VIEWER).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(json).when().post("/api/v1/runs");
    }

    private static int runsWithKey(String key) {
        return Integer.parseInt(sql("select count(*) from run_event where type = 'RunRequested'"
                + " and data ->> 'idempotencyKey' = ?", key));
    }

    private static int eventsOfRunsWithKey(String key) {
        return Integer.parseInt(sql("select count(*) from run_event where run_id in (select run_id from run_event"
                + " where type = 'RunRequested' and data ->> 'idempotencyKey' = ?)", key));
    }

    private static int eventsOf(String runId) {
        return ProxyLogonRemediationTest.events(runId).size();
    }

    /** The first column of the first row, as text (null when there is no row); updates return their count. */
    private static String sql(String statement, String parameter) {
        try (Connection c = DriverManager.getConnection(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.datasource.jdbc.url", String.class), "postgres", "");
             PreparedStatement s = c.prepareStatement(statement)) {
            s.setString(1, parameter);
            if (!s.execute()) {
                return String.valueOf(s.getUpdateCount());
            }
            try (ResultSet rs = s.getResultSet()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
