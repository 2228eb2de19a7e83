package io.antidote.api;

import io.antidote.identity.Roles;
import io.antidote.identity.TestIdentity;
import static io.antidote.identity.TestIdentity.as;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.startsWith;

/**
 * The walking skeleton end to end: HTTP API, real PostgreSQL, the engine, WinRM4j over loopback HTTP,
 * and a lab Exchange server whose model the playbook's PowerShell changes. These are the two outcomes
 * an incident responder must be able to rely on: a vulnerable server comes back patched, and a server
 * whose update failed stays isolated.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProxyLogonRemediationTest {

    static final List<String> STEPS = List.of("precheck", "health", "isolate", "evidence", "scan-files", "scan-logs", "contain",
            "mitigate-rewrite", "mitigate-services", "maintenance", "patch", "reboot", "wait-for-services", "verify-build",
            "lift-mitigation", "verify", "rescan-files", "rescan-logs", "assess", "leave-maintenance", "restore");
    /** What a CU the March SU targets skips: the mitigation of an old CU. */
    static final List<String> MITIGATION_STEPS = List.of("mitigate-rewrite", "mitigate-services");

    @Test
    void a_vulnerable_server_is_isolated_patched_verified_scanned_and_brought_back() {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        assertThat(LabHosts.model(host)).containsEntry("isolated", false).containsEntry("patched", false);

        String runId = requestRun(host);
        approvePatch(runId);
        JsonPath run = awaitFinished(runId);
        List<Map<String, Object>> events = events(runId);

        assertThat(run.getString("status")).as("run status, after these events: %s", events).isEqualTo("SUCCEEDED");
        assertThat(events).as("the patch waited for approval and the approver is recorded")
                .anySatisfy(e -> assertThat(e).containsEntry("type", "ApprovalRequested").containsEntry("target", host))
                .anySatisfy(e -> assertThat(e).containsEntry("type", "ApprovalGranted").containsEntry("actor", "bob"));
        assertThat(run.getString("targets[0].status")).isEqualTo("SUCCEEDED");
        assertThat(run.getList("targets[0].steps.id")).containsExactlyElementsOf(STEPS);
        for (int i = 0; i < STEPS.size(); i++) {
            assertThat(run.getString("targets[0].steps[" + i + "].status")).as("status of %s", STEPS.get(i))
                    .isEqualTo(MITIGATION_STEPS.contains(STEPS.get(i)) ? "SKIPPED" : "SUCCEEDED");
        }

        assertGapFreeAndChained(events);
        for (String step : STEPS.stream().filter(s -> !MITIGATION_STEPS.contains(s)).toList()) {
            assertThat(events).as("events of step %s", step)
                    .anySatisfy(e -> assertThat(e).containsEntry("type", "StepStarted").containsEntry("step", step))
                    .anySatisfy(e -> assertThat(e).containsEntry("type", "StepSucceeded").containsEntry("step", step));
        }
        assertThat(events.get(0)).containsEntry("type", "RunRequested").containsEntry("actor", TestIdentity.TESTER);
        assertThat(events.get(events.size() - 1)).containsEntry("type", "RunSucceeded");

        Map<String, Object> model = LabHosts.model(host);
        assertThat(model).as("the lab host after the run")
                .containsEntry("build", "15.1.2176.9")
                .containsEntry("patched", true)
                .containsEntry("isolated", false)
                .containsEntry("rebootCount", 1);
    }

    @Test
    void a_server_that_refuses_the_update_fails_before_verify_and_stays_isolated() {
        String host = LabHosts.create("2019", "CU8", List.of(), List.of("refuse-update"));

        String runId = requestRun(host);
        approvePatch(runId);
        JsonPath run = awaitFinished(runId);

        List<Map<String, Object>> events = events(runId);
        assertThat(run.getString("status")).as("run status, after these events: %s", events).isEqualTo("FAILED");
        assertThat(run.getString("targets[0].status")).isEqualTo("FAILED");
        assertGapFreeAndChained(events);
        assertThat(events).as("the failed patch is recorded with its exit code")
                .anySatisfy(e -> {
                    assertThat(e).containsEntry("type", "StepFailed").containsEntry("step", "patch");
                    assertThat(((Map<?, ?>) e.get("data")).get("exitCode")).isEqualTo(1);
                    assertThat((String) ((Map<?, ?>) e.get("data")).get("stderr")).contains("1603");
                });
        assertThat(events).as("no step after the patch may have started: no reboot, no verify, no restore")
                .noneSatisfy(e -> assertThat(e.get("step")).isIn(STEPS.subList(STEPS.indexOf("reboot"), STEPS.size()).toArray()));
        assertThat(events.get(events.size() - 1)).containsEntry("type", "RunFailed");

        Map<String, Object> model = LabHosts.model(host);
        assertThat(model).as("a server whose patch failed is never put back online")
                .containsEntry("isolated", true)
                .containsEntry("patched", false)
                .containsEntry("build", "15.2.792.3");
    }

    static String requestRun(String host) {
        return requestRun("proxylogon-remediation", host);
    }

    static String requestRun(String playbook, String host) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("playbook", playbook, "targets", List.of(host), "ticket", "INC-" + host))
                .when().post("/api/v1/runs")
                .then().statusCode(202)
                .header("Location", startsWith("http"))
                .extract().path("id");
    }

    /**
     * Waits until the patch asks for approval, checks that the requester may not approve their own run and
     * that a decision on a step that is not waiting is a conflict, then approves as someone else.
     */
    static void approvePatch(String runId) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> "WAITING_APPROVAL"
                .equals(given().when().get("/api/v1/runs/{id}", runId).then().statusCode(200).extract().path("status")));
        given().contentType(ContentType.JSON).body(Map.of("step", "patch", "decision", "APPROVE"))
                .when().post("/api/v1/runs/{id}/approvals", runId)
                .then().statusCode(403).contentType("application/problem+json");
        as("bob", Roles.APPROVER).contentType(ContentType.JSON)
                .body(Map.of("step", "verify", "decision", "APPROVE"))
                .when().post("/api/v1/runs/{id}/approvals", runId)
                .then().statusCode(409).contentType("application/problem+json");
        as("bob", Roles.APPROVER).contentType(ContentType.JSON)
                .body(Map.of("step", "patch", "decision", "APPROVE", "comment", "CHG-1 approved"))
                .when().post("/api/v1/runs/{id}/approvals", runId)
                .then().statusCode(200);
    }

    /** Waits until the patch asks for approval and approves it as an approver other than the requester. */
    static void approveWhenAsked(String runId) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> "WAITING_APPROVAL"
                .equals(given().when().get("/api/v1/runs/{id}", runId).then().statusCode(200).extract().path("status")));
        as("approver-1", Roles.APPROVER).contentType(ContentType.JSON)
                .body(Map.of("step", "patch", "decision", "APPROVE"))
                .when().post("/api/v1/runs/{id}/approvals", runId)
                .then().statusCode(200);
    }

    static JsonPath awaitFinished(String runId) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = given().when().get("/api/v1/runs/{id}", runId).then().statusCode(200).extract().jsonPath();
            return List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(last[0].getString("status"));
        });
        return last[0];
    }

    static List<Map<String, Object>> events(String runId) {
        return given().when().get("/api/v1/runs/{id}/events", runId).then().statusCode(200)
                .extract().jsonPath().getList("");
    }

    static void assertGapFreeAndChained(List<Map<String, Object>> events) {
        assertThat(events).isNotEmpty();
        String previousHash = "0".repeat(64);
        for (int i = 0; i < events.size(); i++) {
            Map<String, Object> e = events.get(i);
            assertThat(((Number) e.get("seq")).longValue()).as("seq of event %d", i).isEqualTo(i + 1L);
            assertThat(e.get("prevHash")).as("prevHash of seq %d", i + 1).isEqualTo(previousHash);
            assertThat((String) e.get("hash")).as("hash of seq %d", i + 1).hasSize(64).isNotEqualTo(previousHash);
            previousHash = (String) e.get("hash");
        }
    }
}
