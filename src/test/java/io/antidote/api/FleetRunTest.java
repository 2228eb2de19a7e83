package io.antidote.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One run over a fleet in one batch, the way admins roll a fix out: 200 lab hosts, eight trivial steps, all
 * targets at once, so that outcomes come back together and every one of them is decided on the same run.
 * Outcomes used to race each other for the run's next version and be dropped after ten lost races, then
 * recorded as timeouts. Through the HTTP API, real PostgreSQL and WinRM4j against lab hosts; each host's
 * command log is the witness that every step ran exactly once where the events say it did.
 */
@QuarkusTest
@TestProfile(FleetAndFaultsProfile.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FleetRunTest {

    static final int HOSTS = 200;
    static final int STEPS = 8;

    private final List<String> hosts = new ArrayList<>();

    @AfterEach
    void deleteHosts() {
        LabHosts.delete(hosts);
    }

    @Test
    void one_run_over_200_hosts_records_every_step_once_and_runs_every_script_once() {
        IntStream.range(0, HOSTS).forEach(i -> hosts.add(LabHosts.create("2019", "CU8", List.of(), List.of())));

        String runId = given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "fleet-trivial", "targets", hosts, "ticket", "CHG-FLEET"))
                .when().post("/api/v1/runs")
                .then().statusCode(202).extract().path("id");
        JsonPath run = awaitFinished(runId, Duration.ofMinutes(10));

        List<Map<String, Object>> events = ProxyLogonRemediationTest.events(runId);
        ProxyLogonRemediationTest.assertGapFreeAndChained(events);
        Map<String, Long> outcomes = events.stream()
                .filter(e -> List.of("StepSucceeded", "StepFailed", "StepTimedOut").contains(e.get("type")))
                .collect(Collectors.groupingBy(e -> e.get("target") + "/" + e.get("step") + "/" + e.get("type"),
                        Collectors.counting()));
        List<String> expected = new ArrayList<>();
        for (String host : hosts) {
            for (int s = 1; s <= STEPS; s++) {
                expected.add(host + "/step-" + s + "/StepSucceeded");
            }
        }
        assertThat(outcomes.keySet()).as("the outcomes recorded: one success per step and host, nothing else")
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(outcomes.values()).as("times each step's outcome is recorded on its host").containsOnly(1L);
        assertThat(run.getString("status")).as("the run over the fleet").isEqualTo("SUCCEEDED");

        LabHosts.assertEachStepRanOnce(hosts, "Write-Output 'fleet-step-%d'", STEPS);
    }

    static JsonPath awaitFinished(String runId, Duration atMost) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(atMost).pollInterval(Duration.ofSeconds(1)).until(() -> {
            last[0] = given().when().get("/api/v1/runs/{id}", runId).then().statusCode(200).extract().jsonPath();
            return List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(last[0].getString("status"));
        });
        return last[0];
    }
}
