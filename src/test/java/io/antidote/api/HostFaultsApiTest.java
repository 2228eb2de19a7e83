package io.antidote.api;

import static io.antidote.api.ProxyLogonPlaybookSetApiTest.data;
import static io.antidote.api.ProxyLogonRemediationTest.approveWhenAsked;
import static io.antidote.api.ProxyLogonRemediationTest.assertGapFreeAndChained;
import static io.antidote.api.ProxyLogonRemediationTest.awaitFinished;
import static io.antidote.api.ProxyLogonRemediationTest.events;
import static io.antidote.api.ProxyLogonRemediationTest.requestRun;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The remediation against lab hosts whose faults a user must be able to tell apart in the run's events:
 * credentials the host refuses (not retried), a WS-Management fault (reported at once, not after WinRM4j's
 * own retries), and a restart after which the host stays unreachable for a while (ridden out by the
 * wait-for-services retry policy, or failed clearly when it outlasts it, the server left isolated).
 *
 * <p>The remediation is the real one, with the wait-for-services retry delays cut to 1s and the circuit
 * breaker's open time to 0.5s ({@link FleetAndFaultsProfile}), so that ten attempts take seconds instead of
 * twelve minutes.
 */
@QuarkusTest
@TestProfile(FleetAndFaultsProfile.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HostFaultsApiTest {

    static final int WAIT_ATTEMPTS = FleetAndFaultsProfile.WAIT_ATTEMPTS;

    private static List<Map<String, Object>> ofType(List<Map<String, Object>> events, String type, String step) {
        return events.stream().filter(e -> type.equals(e.get("type")) && step.equals(e.get("step"))).toList();
    }

    @Test
    void a_host_answering_401_on_ntlm_fails_the_run_as_an_authentication_failure_that_is_not_retried() {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of("http-401"));

        String runId = requestRun(host);
        JsonPath run = awaitFinished(runId);
        List<Map<String, Object>> events = events(runId);

        assertThat(run.getString("status")).as("events: %s", events).isEqualTo("FAILED");
        assertThat(ofType(events, "StepStarted", "precheck")).as("attempts of precheck, whose policy retries"
                + " connection failures").hasSize(1);
        assertThat(events).as("no retry of refused credentials").noneSatisfy(e ->
                assertThat(e).containsEntry("type", "StepRetryScheduled"));
        List<Map<String, Object>> failed = ofType(events, "StepFailed", "precheck");
        assertThat(failed).hasSize(1);
        assertThat(data(failed.get(0)).get("reasons").toString())
                .contains("failed before the script started: authentication refused for credential 'lab' (NTLM)")
                .doesNotContain("Lab-Passw0rd!");
        assertThat(LabHosts.model(host)).as("nothing changed on the host").containsEntry("isolated", false);
    }

    @Test
    void a_wsman_fault_shows_in_the_run_events_at_once_and_is_not_retried() {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of("wsman-fault"));

        String runId = requestRun(host);
        JsonPath run = awaitFinished(runId);
        List<Map<String, Object>> events = events(runId);

        assertThat(run.getString("status")).as("events: %s", events).isEqualTo("FAILED");
        List<Map<String, Object>> failed = ofType(events, "StepFailed", "precheck");
        assertThat(failed).as("one attempt of precheck: a SOAP fault is no connection failure").hasSize(1);
        assertThat(data(failed.get(0)).get("reasons").toString()).contains("concurrent shells")
                .contains("failed before the script started: host answered WS-Management fault 2150859174 (QuotaLimit): ");
        // Counted on the host, not timed: WinRM4j's own retries stacked on the transport's would ask again.
        assertThat(given().when().get("/lab/hosts/{name}/faults", host).then().statusCode(200).extract()
                .jsonPath().getLong("faultedRequests")).as("shell creations the host refused").isEqualTo(1L);
        assertThat(given().when().get("/lab/hosts/{name}/commands", host).then().statusCode(200).extract()
                .jsonPath().getList("commands")).as("commands that reached the host").isEmpty();
    }

    @Test
    void a_host_unreachable_for_a_while_after_the_restart_is_waited_for_and_the_run_succeeds() {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of("unreachable-after-reboot:2s"));

        String runId = requestRun(host);
        approveWhenAsked(runId);
        JsonPath run = awaitFinished(runId);
        List<Map<String, Object>> events = events(runId);

        assertThat(run.getString("status")).as("events: %s", events).isEqualTo("SUCCEEDED");
        assertGapFreeAndChained(events);
        List<Map<String, Object>> retries = ofType(events, "StepRetryScheduled", "wait-for-services");
        assertThat(retries).as("wait-for-services retried while the host was down").isNotEmpty()
                .hasSizeLessThan(WAIT_ATTEMPTS);
        assertThat(ofType(events, "StepFailed", "wait-for-services")).as("the attempts that found the host down")
                .hasSameSizeAs(retries);
        assertThat(ofType(events, "StepSucceeded", "wait-for-services")).hasSize(1);
        assertThat(LabHosts.model(host)).as("the lab host after the run")
                .containsEntry("patched", true)
                .containsEntry("isolated", false)
                .containsEntry("rebootCount", 1);
    }

    @Test
    void a_host_that_stays_unreachable_past_the_retries_fails_the_run_and_stays_isolated() {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of("unreachable-after-reboot:5m"));

        String runId = requestRun(host);
        approveWhenAsked(runId);
        JsonPath run = awaitFinished(runId);
        List<Map<String, Object>> events = events(runId);

        assertThat(run.getString("status")).as("events: %s", events).isEqualTo("FAILED");
        assertThat(ofType(events, "StepRetryScheduled", "wait-for-services")).as("retries of wait-for-services")
                .hasSize(WAIT_ATTEMPTS - 1);
        List<Map<String, Object>> failed = ofType(events, "StepFailed", "wait-for-services");
        assertThat(failed).hasSize(WAIT_ATTEMPTS);
        assertThat(data(failed.get(failed.size() - 1)).get("reasons").toString())
                .as("the last attempt's reason").containsAnyOf("failed before the script started: connection refused",
                        "circuit open for '" + host + "'");
        assertThat(events).as("target failed at wait-for-services")
                .anySatisfy(e -> {
                    assertThat(e).containsEntry("type", "TargetFailed");
                    assertThat(e).containsEntry("step", "wait-for-services");
                });
        assertThat(events).as("nothing after wait-for-services ran, and nothing was undone")
                .noneSatisfy(e -> assertThat(e.get("step")).isIn("verify", "leave-maintenance", "restore"))
                .noneSatisfy(e -> assertThat(e).containsEntry("type", "CompensationStarted"));
        assertThat(LabHosts.model(host)).as("a server whose patch is not verified is never put back online")
                .containsEntry("isolated", true)
                .containsEntry("rebootCount", 1);
    }
}
