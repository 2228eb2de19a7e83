package io.antidote.api;

import static io.antidote.api.ProxyLogonRemediationTest.approveWhenAsked;
import static io.antidote.api.ProxyLogonRemediationTest.awaitFinished;
import static io.antidote.api.ProxyLogonRemediationTest.events;
import static io.antidote.api.ProxyLogonRemediationTest.requestRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, point 6, end to end: a run whose patch fails leaves the server isolated and in maintenance (its own
 * marker on the server says so); a new run on the same server recognises that state as Antidote's own, goes on
 * from it and ends with the server patched, verified and back in service. The lab host's state and command log
 * are the witness, not only the runs' events.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReentrantRemediationApiTest {

    static final String ISOLATION_RULE = "Antidote ProxyLogon isolation (block inbound 443)";

    @Test
    void a_new_run_on_a_server_an_earlier_run_left_isolated_and_in_maintenance_goes_on_from_there_to_patched_and_in_service() {
        // msiexec refuses the first install (a pending restart, a locked file) and installs when asked again.
        String host = LabHosts.create("2016", "CU19", List.of(), List.of("refuse-update-once"));

        String failed = requestRun(host);
        approveWhenAsked(failed);
        JsonPath first = awaitFinished(failed);
        assertThat(first.getString("status")).isEqualTo("FAILED");
        assertThat(String.join("\n", first.getList("targets[0].verdict.reasons", String.class)))
                .contains("step 'patch' failed");
        Map<String, Object> left = LabHosts.model(host);
        assertThat(left).as("the server the failed run left").containsEntry("isolated", true)
                .containsEntry("patched", false);
        assertThat(LabHosts.componentStates(left)).as("its components")
                .containsEntry("ServerWideOffline", "Inactive").containsEntry("HubTransport", "Draining");
        assertThat(isolationRules(left)).as("Antidote's isolation rules on the server").isEqualTo(1L);
        int commandsOfTheFirstRun = LabHosts.commands(host).size();

        String rerun = requestRun(host);
        approveWhenAsked(rerun);
        JsonPath second = awaitFinished(rerun);
        List<Map<String, Object>> events = events(rerun);

        assertThat(second.getString("status")).as("the re-run, after these events: %s", events).isEqualTo("SUCCEEDED");
        assertThat(second.getString("targets[0].verdict.patch")).isEqualTo("PATCHED");
        assertThat(second.getString("targets[0].verdict.compromise")).isEqualTo("CLEAN");
        assertThat(second.getString("targets[0].verdict.service")).isEqualTo("IN_SERVICE");
        Map<String, Object> health = stepSucceeded(events, "health");
        assertThat(String.valueOf(health.get("data"))).as("health recognised the maintenance it found as Antidote's")
                .contains("\"resumedMaintenance\":[\"ServerWideOffline\",\"HubTransport\"]");

        Map<String, Object> after = LabHosts.model(host);
        assertThat(after).as("the server after the re-run").containsEntry("patched", true)
                .containsEntry("isolated", false).containsEntry("fileVersion", "15.01.2176.009")
                .containsEntry("rebootCount", 1);
        assertThat(LabHosts.componentStates(after).values()).as("its components").containsOnly("Active");
        assertThat(isolationRules(after)).as("Antidote's isolation rules after the re-run").isZero();

        // Only the re-run, which verified the server fixed and clean, reopened 443, once.
        List<String> scripts = LabHosts.commands(host).stream().map(c -> String.valueOf(c.get("script"))).toList();
        assertThat(scripts.subList(0, commandsOfTheFirstRun)).as("the failed run's commands")
                .noneMatch(s -> s.contains(SafetyInvariantApiTest.RESTORE_LINE));
        assertThat(scripts.stream().filter(s -> s.contains(SafetyInvariantApiTest.RESTORE_LINE)).count())
                .as("restores sent to the host").isEqualTo(1L);
        LabHosts.delete(List.of(host));
    }

    private static long isolationRules(Map<String, Object> model) {
        return ((List<?>) model.get("firewallRules")).stream()
                .filter(rule -> ISOLATION_RULE.equals(((Map<?, ?>) rule).get("displayName"))).count();
    }

    static Map<String, Object> stepSucceeded(List<Map<String, Object>> events, String step) {
        return events.stream().filter(e -> "StepSucceeded".equals(e.get("type")) && step.equals(e.get("step")))
                .findFirst().orElseThrow(() -> new AssertionError("no StepSucceeded of " + step + " in " + events));
    }
}
