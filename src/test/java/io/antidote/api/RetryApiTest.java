package io.antidote.api;

import io.antidote.identity.Roles;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.antidote.api.ProxyLogonRemediationTest.STEPS;
import static io.antidote.api.ProxyLogonRemediationTest.approvePatch;
import static io.antidote.api.ProxyLogonRemediationTest.assertGapFreeAndChained;
import static io.antidote.api.ProxyLogonRemediationTest.awaitFinished;
import static io.antidote.api.ProxyLogonRemediationTest.events;
import static io.antidote.api.ProxyLogonRemediationTest.requestRun;
import static io.antidote.identity.TestIdentity.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Issue 15 point 4, end to end through the API against lab hosts: a remediation whose patch failed goes on, in a
 * linked run, from the patch, with the isolation, the evidence and the scans of the failed run carried over
 * instead of done again, and the server ends patched and back in service. The lab's command log, not the events,
 * is the proof of what ran on the host.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RetryApiTest {

    /** Lines only one step's script holds, as the lab's command log shows the scripts. */
    static final String ISOLATE_LINE = "isolated: firewall rule";
    static final String EVIDENCE_LINE = "Logging_HttpProxy";
    static final String PATCH_LINE = "msiexec /update";

    @Test
    void a_patch_failed_by_a_lab_fault_is_retried_from_the_patch_and_the_server_ends_patched_and_restored() {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        String failed = requestRun(host);
        awaitStatus(failed, "WAITING_APPROVAL");
        // Every request to the host answers 500 from now on: the approved patch cannot reach it.
        given().contentType(ContentType.JSON).body(Map.of("kind", "http-status", "status", 500))
                .when().post("/lab/hosts/{name}/faults", host).then().statusCode(201);
        as("approver-1", Roles.APPROVER).contentType(ContentType.JSON)
                .body(Map.of("step", "patch", "decision", "APPROVE")).when().post("/api/v1/runs/{id}/approvals", failed)
                .then().statusCode(200);
        JsonPath run = awaitFinished(failed);
        List<Map<String, Object>> failedEvents = events(failed);
        assertThat(run.getString("status")).as("events: %s", failedEvents).isEqualTo("FAILED");
        assertThat(failedEvents).as("the patch failed and the target stopped there")
                .anySatisfy(e -> assertThat(e).containsEntry("type", "StepFailed").containsEntry("step", "patch"))
                .anySatisfy(e -> assertThat(e).containsEntry("type", "TargetFailed").containsEntry("step", "patch"));
        assertThat(LabHosts.model(host)).as("left isolated and unpatched").containsEntry("isolated", true)
                .containsEntry("patched", false);
        given().when().delete("/lab/hosts/{name}/faults", host).then().statusCode(204);
        List<String> before = scripts(host);
        assertThat(count(before, ISOLATE_LINE)).as("isolate ran in the failed run").isEqualTo(1);
        assertThat(count(before, EVIDENCE_LINE)).as("the evidence was collected in the failed run").isEqualTo(1);

        io.restassured.response.Response answer = given().contentType(ContentType.JSON).body(Map.of())
                .when().post("/api/v1/runs/{id}/retry", failed)
                .then().statusCode(202).body("retryOf", equalTo(failed)).extract().response();
        String retry = answer.path("id");
        assertThat(answer.header("Location")).endsWith("/api/v1/runs/" + retry);
        approvePatch(retry);
        JsonPath retried = awaitFinished(retry);
        List<Map<String, Object>> retryEvents = events(retry);

        assertThat(retried.getString("status")).as("events: %s", retryEvents).isEqualTo("SUCCEEDED");
        assertThat(LabHosts.model(host)).as("the server after the retry").containsEntry("patched", true)
                .containsEntry("isolated", false).containsEntry("build", "15.1.2176.9");
        List<String> after = scripts(host).subList(before.size(), scripts(host).size());
        assertThat(count(after, ISOLATE_LINE)).as("isolate was not done again").isZero();
        assertThat(count(after, EVIDENCE_LINE)).as("the evidence was not collected again").isZero();
        assertThat(count(after, PATCH_LINE)).as("the patch ran in the retry").isEqualTo(1);

        List<String> carried = STEPS.subList(0, STEPS.indexOf("patch"));
        assertThat(retryEvents).filteredOn(e -> "StepCarriedOver".equals(e.get("type")))
                .extracting(e -> e.get("step")).as("the steps before the patch, carried over")
                .containsExactlyElementsOf(carried);
        for (Map<String, Object> e : retryEvents.stream().filter(e -> "StepCarriedOver".equals(e.get("type"))).toList()) {
            Map<?, ?> data = (Map<?, ?>) e.get("data");
            long seq = ((Number) data.get("fromSeq")).longValue();
            Map<String, Object> source = failedEvents.get((int) seq - 1);
            assertThat(data.get("fromRun")).isEqualTo(failed);
            assertThat(source.get("step")).as("the record %s names", data).isEqualTo(e.get("step"));
            assertThat(source.get("type")).isIn("StepSucceeded", "StepSkipped");
        }
        assertThat(retryEvents).as("nothing carried over started again")
                .noneMatch(e -> "StepStarted".equals(e.get("type")) && carried.contains(e.get("step")));
        assertThat(retryEvents).as("the approval was asked again and given by another person")
                .anySatisfy(e -> assertThat(e).containsEntry("type", "ApprovalGranted").containsEntry("actor", "bob"));
        assertGapFreeAndChained(retryEvents);
        given().when().get("/api/v1/runs/{id}/verification", retry).then().statusCode(200)
                .body("verified", equalTo(true));

        JsonPath original = given().when().get("/api/v1/runs/{id}", failed).then().statusCode(200).extract().jsonPath();
        assertThat(original.getString("status")).as("the run retried stays as it was").isEqualTo("FAILED");
        assertThat(original.getString("retriedAs")).isEqualTo(retry);
        assertThat(events(failed)).as("nothing was added to the run retried").isEqualTo(failedEvents);
        given().when().get("/api/v1/runs/{id}/verification", failed).then().statusCode(200)
                .body("verified", equalTo(true));
    }

    @Test
    void a_run_still_going_is_not_retried_and_an_ended_one_is_retried_once_by_whom_may_and_as_they_may() {
        String host = LabHosts.create("2019", "CU8", List.of(), List.of());
        String run = requestRun(host);
        awaitStatus(run, "WAITING_APPROVAL");
        given().contentType(ContentType.JSON).body(Map.of()).when().post("/api/v1/runs/{id}/retry", run)
                .then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("is WAITING_APPROVAL: only a run that ended FAILED or CANCELLED can be"
                        + " retried"));
        given().contentType(ContentType.JSON).body(Map.of()).when().post("/api/v1/runs/{id}/cancel", run)
                .then().statusCode(200);
        awaitStatus(run, "CANCELLED");

        as("vera", Roles.VIEWER).contentType(ContentType.JSON).body(Map.of())
                .when().post("/api/v1/runs/{id}/retry", run).then().statusCode(403);
        Map<String, Object> skipPatch = Map.of("skip", List.of(Map.of("target", host, "step", "patch",
                "reason", "installed by hand")));
        as("olga", Roles.OPERATOR).contentType(ContentType.JSON).body(skipPatch)
                .when().post("/api/v1/runs/{id}/retry", run).then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("only an admin may skip"));
        as("ada", Roles.ADMIN).contentType(ContentType.JSON)
                .body(Map.of("skip", List.of(Map.of("target", host, "step", "verify", "reason", "trust me"))))
                .when().post("/api/v1/runs/{id}/retry", run).then().statusCode(422)
                .contentType("application/problem+json").body("errors[0].field", equalTo("skip[0].step"))
                .body("errors[0].message", containsString("step 'verify' on '" + host + "' may not be skipped"));
        as("ada", Roles.ADMIN).contentType(ContentType.JSON)
                .body(Map.of("skip", List.of(Map.of("target", host, "step", "patch"))))
                .when().post("/api/v1/runs/{id}/retry", run).then().statusCode(422)
                .body("errors[0].field", equalTo("skip[0].reason"));
        assertThat(given().when().get("/api/v1/runs/{id}", run).then().statusCode(200).extract().jsonPath()
                .getString("retriedAs")).as("refusals write nothing").isNull();

        String retry = as("olga", Roles.OPERATOR).contentType(ContentType.JSON).body(Map.of())
                .when().post("/api/v1/runs/{id}/retry", run).then().statusCode(202)
                .body("retryOf", equalTo(run)).body("requestedBy", equalTo("olga")).extract().path("id");
        given().when().get("/api/v1/runs/{id}", run).then().statusCode(200).body("retriedAs", equalTo(retry))
                .body("status", equalTo("CANCELLED"));
        given().contentType(ContentType.JSON).body(Map.of()).when().post("/api/v1/runs/{id}/retry", run)
                .then().statusCode(409).body("detail", containsString("was already retried as run " + retry));

        // The cancel undid the maintenance: the retry does it again; its own cancel undoes it again and keeps the
        // vulnerable server isolated.
        awaitStatus(retry, "WAITING_APPROVAL");
        assertThat(events(retry)).filteredOn(e -> "StepCarriedOver".equals(e.get("type")))
                .extracting(e -> e.get("step")).doesNotContain("maintenance");
        given().contentType(ContentType.JSON).body(Map.of()).when().post("/api/v1/runs/{id}/cancel", retry)
                .then().statusCode(200);
        awaitStatus(retry, "CANCELLED");
        Map<String, Object> model = LabHosts.model(host);
        assertThat(model).as("a vulnerable server is never returned to service").containsEntry("isolated", true)
                .containsEntry("patched", false);
        assertThat(LabHosts.componentStates(model)).as("out of maintenance after the cancel")
                .containsEntry("ServerWideOffline", "Active");
    }

    static void awaitStatus(String runId, String status) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> status.equals(
                given().when().get("/api/v1/runs/{id}", runId).then().statusCode(200).extract().path("status")));
    }

    static List<String> scripts(String host) {
        return given().when().get("/lab/hosts/{name}/commands", host).then().statusCode(200)
                .extract().jsonPath().getList("commands.script", String.class);
    }

    static long count(List<String> scripts, String line) {
        return scripts.stream().filter(script -> script.contains(line)).count();
    }
}
