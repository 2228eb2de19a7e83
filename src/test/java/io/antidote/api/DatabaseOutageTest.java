package io.antidote.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * PostgreSQL stops for 30 s in the middle of a rollout of several runs. Outcomes that come back from the
 * hosts meanwhile wait in memory and are stored once the database is back; no step is turned into a
 * timeout; every run goes on by itself, without a restart; readiness says DOWN while outcomes wait and UP once they are stored. The database is a cluster
 * of the test's own ({@link OwnPostgres}), never the machine's. Hosts answer each WS-Management request
 * after 800 ms, so that steps are in flight when the database goes.
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.OwnDatabase.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DatabaseOutageTest {

    static final int RUNS = 4;
    static final int HOSTS_PER_RUN = 2;
    static final int STEPS = 4;
    static final String STORED_CHECK = "run events stored";

    public static class OwnDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("antidote.playbooks.dir", "src/test/resources/playbooks-fleet");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OwnPostgres.class));
        }
    }

    private final List<String> hosts = new ArrayList<>();

    @AfterEach
    void deleteHosts() {
        LabHosts.delete(hosts);
    }

    @Test
    void outcomes_returned_during_a_30_s_outage_are_all_recorded_and_every_run_finishes() {
        assumeTrue(OwnPostgres.available(), "PostgreSQL 15 binaries are not installed in " + OwnPostgres.BIN);
        List<String> runs = new ArrayList<>();
        for (int r = 0; r < RUNS; r++) {
            List<String> targets = new ArrayList<>();
            for (int h = 0; h < HOSTS_PER_RUN; h++) {
                targets.add(LabHosts.create("2019", "CU8", List.of(), List.of("latency:800ms")));
            }
            hosts.addAll(targets);
            runs.add(given().contentType(ContentType.JSON)
                    .body(Map.of("playbook", "outage-steps", "targets", targets, "ticket", "CHG-OUTAGE-" + r))
                    .when().post("/api/v1/runs")
                    .then().statusCode(202).extract().path("id"));
        }
        // The rollout is under way: some step has been recorded, the rest are in flight or to come.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> runs.stream()
                .anyMatch(run -> ProxyLogonRemediationTest.events(run).stream()
                        .anyMatch(e -> "StepSucceeded".equals(e.get("type")))));

        OwnPostgres.down();
        boolean sawOutcomesWaiting = false;
        Instant upAt = Instant.now().plusSeconds(30);
        try {
            // Requests that need the database meanwhile: 503 with Retry-After, never a 500 (issue 13 point 6).
            for (String path : List.of("/api/v1/runs", "/api/v1/runs/" + runs.get(0), "/api/v1/runs/" + runs.get(0) + "/events")) {
                var answer = given().when().get(path).then().extract();
                assertThat(answer.statusCode()).as("GET %s during the outage", path).isEqualTo(503);
                assertThat(answer.contentType()).isEqualTo("application/problem+json");
                assertThat(answer.jsonPath().getString("type")).isEqualTo("urn:antidote:problem:store-unavailable");
                assertThat(answer.header("Retry-After")).as("Retry-After of GET %s", path).isEqualTo("5");
            }
            given().contentType(ContentType.JSON).header("Idempotency-Key", "during-the-outage")
                    .body(Map.of("playbook", "outage-steps", "targets", hosts.subList(0, 1), "ticket", "CHG-DURING"))
                    .when().post("/api/v1/runs")
                    .then().statusCode(503).contentType("application/problem+json").header("Retry-After", "5");
            while (Instant.now().isBefore(upAt)) {
                JsonPath ready = readiness();
                if ("DOWN".equals(storedCheck(ready, "status")) && ((Number) storedCheck(ready, "data.outcomesWaiting")).intValue() > 0) {
                    sawOutcomesWaiting = true;
                    assertThat(ready.getString("status")).as("readiness while outcomes wait").isEqualTo("DOWN");
                }
                sleep(Duration.ofMillis(500));
            }
        } finally {
            OwnPostgres.up();
        }
        assertThat(sawOutcomesWaiting).as("readiness reported outcomes waiting for the database during the outage")
                .isTrue();

        for (String run : runs) {
            JsonPath finished = FleetRunTest.awaitFinished(run, Duration.ofMinutes(3));
            List<Map<String, Object>> events = ProxyLogonRemediationTest.events(run);
            ProxyLogonRemediationTest.assertGapFreeAndChained(events);
            assertThat(events).as("events of run %s", run).noneMatch(e -> "StepTimedOut".equals(e.get("type")));
            Map<String, Long> succeeded = events.stream().filter(e -> "StepSucceeded".equals(e.get("type")))
                    .collect(Collectors.groupingBy(e -> e.get("target") + "/" + e.get("step"), Collectors.counting()));
            assertThat(succeeded).as("successes recorded per step and target in run %s", run)
                    .hasSize(HOSTS_PER_RUN * STEPS).allSatisfy((key, count) -> assertThat(count).as(key).isEqualTo(1L));
            assertThat(finished.getString("status")).as("run %s after the outage", run).isEqualTo("SUCCEEDED");
        }
        LabHosts.assertEachStepRanOnce(hosts, "Write-Output 'outage-step-%d'", STEPS);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> "UP".equals(readiness().getString("status")));
        assertThat(storedCheck(readiness(), "data.outcomesWaiting")).as("outcomes waiting once all is stored")
                .isEqualTo(0);
    }

    private static JsonPath readiness() {
        return given().when().get("/q/health/ready").then().extract().jsonPath();
    }

    private static Object storedCheck(JsonPath health, String path) {
        return health.get("checks.find { it.name == '" + STORED_CHECK + "' }." + path);
    }

    /**
     * The outage must last its full 30 s whatever the service does, so this paces the readiness poll
     * inside that fixed window; it never stands in for waiting on a condition (those use Awaitility).
     */
    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
