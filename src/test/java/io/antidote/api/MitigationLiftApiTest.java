package io.antidote.api;

import static io.antidote.api.ProxyLogonRemediationTest.approveWhenAsked;
import static io.antidote.api.ProxyLogonRemediationTest.awaitFinished;
import static io.antidote.api.ProxyLogonRemediationTest.events;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, points 2 and 6, end to end: an old CU remediated without its out-of-band SU is mitigated and left
 * isolated; a new run given the SU installs it, verifies the build, and only then takes off the mitigation the
 * first run applied (Antidote's own, as its marker on the server records it), verifies OWA and ECP, and returns
 * the server to service. A run whose install fails never takes the mitigation off. The lab host's state and its
 * command log are the witness, not only the runs' events.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MitigationLiftApiTest {

    /** A line only the lift-mitigation script holds. */
    static final String LIFT_LINE = "Mitigations Antidote did not apply are left in place";
    static final String INSTALL_LINE = "msiexec /update";
    static final String VERIFY_LINE = "healthcheck.htm";
    /** A line of the build check (precheck, verify-build). */
    static final String BUILD_LINE = "$shipsFix = ";

    @Test
    void a_rerun_given_the_out_of_band_su_patches_then_lifts_its_own_mitigation_and_returns_the_server_to_service() {
        String host = LabHosts.create("2016", "CU17", List.of(), List.of());

        JsonPath first = awaitFinished(requestRun(host, false));
        assertThat(outcome(first)).containsExactly("FAILED", "MITIGATED", "CLEAN", "ISOLATED");
        assertThat(String.join("\n", first.getList("targets[0].verdict.reasons", String.class)))
                .contains("CU too old: upgrade the CU or install the out-of-band SU");
        Map<String, Object> mitigated = LabHosts.model(host);
        assertThat(mitigated).containsEntry("mitigated", true).containsEntry("isolated", true)
                .containsEntry("patched", false).containsEntry("web", Map.of("owa", 200, "ecp", 503));
        int commandsOfTheFirstRun = LabHosts.commands(host).size();

        String rerun = requestRun(host, true);
        approveWhenAsked(rerun);
        JsonPath second = awaitFinished(rerun);
        List<Map<String, Object>> events = events(rerun);

        assertThat(outcome(second)).as("the re-run, after these events: %s", events)
                .containsExactly("SUCCEEDED", "PATCHED", "CLEAN", "IN_SERVICE");
        assertThat(String.valueOf(ReentrantRemediationApiTest.stepSucceeded(events, "lift-mitigation").get("data")))
                .contains("MSExchangeECPAppPool started, autoStart on", "MSExchangeHM automatic and running",
                        "URL Rewrite rule")
                .contains("\"foreign\":[]");

        Map<String, Object> after = LabHosts.model(host);
        assertThat(after).as("the server after the re-run").containsEntry("patched", true)
                .containsEntry("fileVersion", "15.01.2044.013").containsEntry("isolated", false)
                .containsEntry("mitigated", false).containsEntry("rewriteRules", List.of())
                .containsEntry("web", Map.of("owa", 200, "ecp", 200)).containsEntry("rebootCount", 1);
        assertThat(((Map<?, ?>) after.get("appPools")).values()).as("its application pools")
                .allSatisfy(pool -> assertThat(pool).isEqualTo(Map.of("state", "Started", "autoStart", true)));
        assertThat(((Map<?, ?>) after.get("services")).values()).as("its services")
                .allSatisfy(svc -> assertThat(svc).isEqualTo(Map.of("status", "Running", "startType", "Automatic")));
        assertThat(LabHosts.componentStates(after).values()).containsOnly("Active");

        // On the host: the first run never lifted anything; the re-run lifted once, after the install and before
        // the full verify, and reopened 443 after that.
        List<String> scripts = LabHosts.commands(host).stream().map(c -> String.valueOf(c.get("script"))).toList();
        assertThat(scripts.subList(0, commandsOfTheFirstRun)).noneMatch(s -> s.contains(LIFT_LINE));
        List<String> rerunScripts = scripts.subList(commandsOfTheFirstRun, scripts.size());
        assertThat(rerunScripts.stream().filter(s -> s.contains(LIFT_LINE)).count()).as("lifts sent").isEqualTo(1L);
        int install = indexOf(rerunScripts, INSTALL_LINE);
        int lift = indexOf(rerunScripts, LIFT_LINE);
        int verify = indexOf(rerunScripts, VERIFY_LINE);
        int restore = indexOf(rerunScripts, SafetyInvariantApiTest.RESTORE_LINE);
        assertThat(List.of(install, lift, verify, restore)).as("install, lift, verify, restore").isSorted()
                .doesNotHaveDuplicates().allMatch(i -> i >= 0);
        assertThat(rerunScripts.subList(install, lift)).as("between the install and the lift: the build verified")
                .anyMatch(s -> s.contains(BUILD_LINE));
        LabHosts.delete(List.of(host));
    }

    @Test
    void a_rerun_whose_install_fails_leaves_the_mitigation_and_the_isolation_in_place() {
        String host = LabHosts.create("2016", "CU17", List.of(), List.of("refuse-update"));
        assertThat(awaitFinished(requestRun(host, false)).getString("status")).isEqualTo("FAILED");

        String rerun = requestRun(host, true);
        approveWhenAsked(rerun);
        JsonPath second = awaitFinished(rerun);

        assertThat(outcome(second)).containsExactly("FAILED", "VULNERABLE", "CLEAN", "ISOLATED");
        assertThat(String.join("\n", second.getList("targets[0].verdict.reasons", String.class)))
                .contains("step 'patch' failed");
        assertThat(LabHosts.model(host)).containsEntry("patched", false).containsEntry("mitigated", true)
                .containsEntry("isolated", true).containsEntry("web", Map.of("owa", 200, "ecp", 503));
        assertThat(LabHosts.commands(host)).as("commands sent to the host")
                .noneMatch(c -> String.valueOf(c.get("script")).contains(LIFT_LINE));
        LabHosts.delete(List.of(host));
    }

    private static String requestRun(String host, boolean outOfBand) {
        Map<String, Object> body = new HashMap<>(Map.of("playbook", "proxylogon-remediation", "targets", List.of(host),
                "ticket", "INC-" + host));
        if (outOfBand) {
            body.put("params", Map.of("outOfBandShare", "local\\OutOfBand"));
        }
        return given().contentType(ContentType.JSON).body(body).when().post("/api/v1/runs")
                .then().statusCode(202).extract().path("id");
    }

    private static int indexOf(List<String> scripts, String line) {
        for (int i = 0; i < scripts.size(); i++) {
            if (scripts.get(i).contains(line)) {
                return i;
            }
        }
        return -1;
    }

    /** The run's status and its one target's verdict: patch, compromise, service. */
    private static List<String> outcome(JsonPath run) {
        return List.of(run.getString("status"), run.getString("targets[0].verdict.patch"),
                run.getString("targets[0].verdict.compromise"), run.getString("targets[0].verdict.service"));
    }
}
