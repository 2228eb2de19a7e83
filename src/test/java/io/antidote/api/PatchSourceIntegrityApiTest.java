package io.antidote.api;

import static io.antidote.api.ProxyLogonRemediationTest.approveWhenAsked;
import static io.antidote.api.ProxyLogonRemediationTest.awaitFinished;
import static io.antidote.api.ProxyLogonRemediationTest.events;
import static io.antidote.api.ProxyLogonRemediationTest.requestRun;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.antidote.playbook.PackagePins;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, point 7, end to end (HTTP, PostgreSQL, WinRM4j, a lab host): an update is installed only from a
 * configured patch source, and only a package whose SHA-256 is the one pinned for its KB and CU and whose
 * Authenticode signature is Microsoft's. A tampered or unsigned package fails the patch step naming the KB and what
 * did not match, msiexec never runs, and the server stays isolated; a request naming any other source is refused
 * naming the parameter, and no run is created.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PatchSourceIntegrityApiTest {

    private static final String MSP = "C:\\Patches\\Exchange2016-KB5000871-x64-en.msp";
    private static final String STAGED = "C:\\ProgramData\\Antidote\\Packages\\Exchange2016-KB5000871-x64-en.msp";

    @Test
    void a_package_with_the_pinned_hash_and_microsofts_signature_is_installed_from_its_checked_local_copy() {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        String runId = requestRun(host);
        approveWhenAsked(runId);
        JsonPath run = awaitFinished(runId);

        assertThat(run.getString("status")).as("events: %s", events(runId)).isEqualTo("SUCCEEDED");
        assertThat(patchOutcome(runId, "StepSucceeded").get("stdout")).asString()
                .contains("KB5000871 package " + MSP + " verified: SHA-256 " + PackagePins.byKey().get("KB5000871 2016 CU19")
                        + " as pinned for KB5000871 on Exchange 2016 CU19, signed by CN=Microsoft Corporation");
        Map<String, Object> model = LabHosts.model(host);
        assertThat(model.get("installerRuns")).as("msiexec ran once, on the copy that was checked")
                .isEqualTo(List.of("/update \"" + STAGED + "\" /quiet /norestart"));
        assertThat(model).containsEntry("build", "15.1.2176.9").containsEntry("installedUpdates", List.of("KB5000871"))
                .containsEntry("isolated", false);
        LabHosts.delete(List.of(host));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tampered-package|SHA-256 mismatch: |, pinned for KB5000871 on Exchange 2016 CU19: |Authenticode signature HashMismatch: ",
            "unsigned-package|SHA-256 mismatch: |, pinned for KB5000871 on Exchange 2016 CU19: |Authenticode signature NotSigned: "})
    void a_package_that_is_not_the_pinned_signed_one_fails_the_patch_step_installs_nothing_and_the_server_stays_isolated(
            String fault, String hashMismatch, String pinnedFor, String signature) {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of(fault));
        String runId = requestRun(host);
        approveWhenAsked(runId);
        JsonPath run = awaitFinished(runId);

        assertThat(run.getString("status")).isEqualTo("FAILED");
        Map<String, Object> failed = patchOutcome(runId, "StepFailed");
        assertThat((String) failed.get("stderr")).as("the step's reason names the KB, the package and each mismatch")
                .contains("KB5000871 package " + MSP + " refused, nothing installed: ", hashMismatch, pinnedFor,
                        PackagePins.byKey().get("KB5000871 2016 CU19"), signature);
        assertThat(run.getString("targets[0].verdict.patch")).isEqualTo("VULNERABLE");
        assertThat(run.getString("targets[0].verdict.service")).as("the safety invariant").isEqualTo("ISOLATED");
        assertThat(events(runId)).as("nothing after the patch started: no reboot, no verify, no restore")
                .noneSatisfy(e -> assertThat(e.get("step")).isIn("reboot", "wait-for-services", "verify", "restore"));

        Map<String, Object> model = LabHosts.model(host);
        assertThat(model).as("the host after the refusal").containsEntry("installerRuns", List.of())
                .containsEntry("installedUpdates", List.of()).containsEntry("build", "15.1.2176.2")
                .containsEntry("patched", false).containsEntry("pendingReboot", false).containsEntry("rebootCount", 0)
                .containsEntry("isolated", true);
        List<String> scripts = given().when().get("/lab/hosts/{name}/commands", host).then().statusCode(200)
                .extract().jsonPath().getList("commands.script", String.class);
        assertThat(scripts.stream().filter(s -> s.contains("Get-AuthenticodeSignature")).count())
                .as("the patch script reached the host once").isEqualTo(1L);
        assertThat(scripts).as("no restart, no restore").noneMatch(s -> s.contains("Restart-Computer"))
                .noneMatch(s -> s.contains("Remove-NetFirewallRule"));
        LabHosts.delete(List.of(host));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "patchShare|\\\\evil\\patches|which is not a configured source's folder or under one",
            "patchShare|\\\\lab-fs\\patches|which is not a configured source's folder or under one",
            "patchShare|C:\\Windows\\Temp|which is not a configured source's folder or under one",
            "patchShare|C:\\Patches\\..\\Windows|'.' and '..' are not accepted",
            "patchShare|remote|which names no configured source",
            "outOfBandShare|\\\\attacker.example\\oob|which is not a configured source's folder or under one"})
    void a_request_naming_anything_but_a_configured_source_is_refused_naming_the_parameter_and_creates_no_run(
            String param, String value, String why) {
        String ticket = "INC-" + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "proxylogon-remediation", "targets", List.of("lab-ex01"), "ticket", ticket,
                        "params", Map.of(param, value)))
                .when().post("/api/v1/runs")
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("params." + param)))
                .body("errors[0].message", containsString(why))
                .body("errors[0].message", containsString("configured: local (C:\\Patches)"));
        given().when().get("/api/v1/runs?ticket={t}", ticket).then().statusCode(200).body("total", equalTo(0));
    }

    /** The patch step's StepSucceeded or StepFailed event data. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> patchOutcome(String runId, String type) {
        return events(runId).stream().filter(e -> type.equals(e.get("type")) && "patch".equals(e.get("step")))
                .map(e -> (Map<String, Object>) e.get("data")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " of the patch step in " + events(runId)));
    }
}
