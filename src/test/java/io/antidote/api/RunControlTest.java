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

import static io.antidote.api.ProxyLogonRemediationTest.assertGapFreeAndChained;
import static io.antidote.api.ProxyLogonRemediationTest.awaitFinished;
import static io.antidote.api.ProxyLogonRemediationTest.events;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cancel, compensation and one run per target, end to end against a lab server: a cancelled run undoes
 * the isolation it put in place, and a second run on a busy server is refused or waits, as asked.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RunControlTest {

    @Test
    void a_run_cancelled_while_the_patch_waits_for_approval_ends_its_maintenance_but_keeps_the_unpatched_server_isolated() {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        String runId = request(host, "WAIT", 202).extract().path("id");
        awaitStatus(runId, "WAITING_APPROVAL");
        assertThat(LabHosts.model(host)).as("isolated before the approval").containsEntry("isolated", true);

        as("carol", Roles.ADMIN).contentType(ContentType.JSON).body(Map.of("mode", "FINISH_STEP"))
                .when().post("/api/v1/runs/{id}/cancel", runId).then().statusCode(200);
        JsonPath run = awaitFinished(runId);
        List<Map<String, Object>> events = events(runId);

        assertThat(run.getString("status")).as("after %s", events).isEqualTo("CANCELLED");
        assertThat(run.getString("targets[0].status")).isEqualTo("CANCELLED");
        assertGapFreeAndChained(events);
        assertThat(events).extracting(e -> e.get("type")).containsSubsequence("ApprovalRequested", "CancelRequested",
                "CompensationStarted", "StepStarted", "StepSucceeded", "StepCompensated", "TargetCancelled",
                "RunCancelled");
        assertThat(events).anySatisfy(e -> assertThat(e).containsEntry("type", "CancelRequested")
                .containsEntry("actor", "carol"));
        // Issue 12: a cancel never reopens a server the run did not verify fixed and clean.
        assertThat(events).as("restore never ran").noneMatch(e -> "StepStarted".equals(e.get("type"))
                && "restore".equals(e.get("step")));
        assertThat(events).anySatisfy(e -> assertThat(e).containsEntry("type", "StepCompensated")
                .containsEntry("step", "maintenance"));
        assertThat(LabHosts.model(host)).as("isolate was not undone").containsEntry("isolated", true)
                .containsEntry("patched", false);
        assertThat(run.getString("targets[0].verdict.service")).isEqualTo("ISOLATED");
        given().contentType(ContentType.JSON).body(Map.of())
                .when().post("/api/v1/runs/{id}/cancel", runId)
                .then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void a_second_run_on_a_busy_server_is_refused_or_waits_until_the_first_lets_it_go() {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        // The server is free, so a request that would rather be refused than wait is accepted, and its plan
        // says so: a target another run takes after this point fails rather than waits (RunPoliciesTest).
        String first = request(host, "REFUSE", 202).extract().path("id");
        Map<?, ?> plan = (Map<?, ?>) ((Map<?, ?>) events(first).get(0).get("data")).get("plan");
        assertThat(plan.get("onBusy")).isEqualTo("REFUSE");
        awaitStatus(first, "WAITING_APPROVAL");

        request(host, "REFUSE", 409).contentType("application/problem+json");
        String second = request(host, "WAIT", 202).extract().path("id");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(events(second))
                .anySatisfy(e -> assertThat(e).containsEntry("type", "TargetWaiting").containsEntry("target", host)));
        assertThat(events(second)).as("nothing ran on the busy server").noneMatch(e -> "StepStarted".equals(e.get("type")));

        given().contentType(ContentType.JSON).body(Map.of("mode", "INTERRUPT"))
                .when().post("/api/v1/runs/{id}/cancel", first).then().statusCode(200);
        awaitFinished(first);
        awaitStatus(second, "WAITING_APPROVAL");
        given().contentType(ContentType.JSON).body(Map.of())
                .when().post("/api/v1/runs/{id}/cancel", second).then().statusCode(200);
        assertThat(awaitFinished(second).getString("status")).isEqualTo("CANCELLED");
    }

    static io.restassured.response.ValidatableResponse request(String host, String onBusy, int status) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "proxylogon-remediation", "targets", List.of(host), "onBusy", onBusy))
                .when().post("/api/v1/runs")
                .then().statusCode(status);
    }

    static void awaitStatus(String runId, String status) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> status.equals(
                given().when().get("/api/v1/runs/{id}", runId).then().statusCode(200).extract().path("status")));
    }
}
