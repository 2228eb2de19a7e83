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
 * Each ProxyLogon playbook run through the API against fresh lab hosts to the verdict PROXYLOGON.md
 * expects; the read-only ones leave the host's model exactly as it was.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProxyLogonPlaybookSetApiTest {

    /** The StepFailed event of the run (there is at most one: the first failure stops the target). */
    static Map<String, Object> failedStep(List<Map<String, Object>> events) {
        return events.stream().filter(e -> "StepFailed".equals(e.get("type"))).findFirst()
                .orElseThrow(() -> new AssertionError("no StepFailed among " + events));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> data(Map<String, Object> event) {
        return (Map<String, Object>) event.get("data");
    }

    @Test
    void remediation_of_a_compromised_server_patches_it_quarantines_the_shells_and_keeps_it_isolated() {
        String host = LabHosts.create("2019", "CU8", List.of("webshell", "lsass-dump", "log-26855"), List.of());

        String runId = requestRun(host);
        approveWhenAsked(runId);
        JsonPath run = awaitFinished(runId);
        List<Map<String, Object>> events = events(runId);

        assertThat(run.getString("status")).as("events: %s", events).isEqualTo("FAILED");
        Map<String, Object> failed = failedStep(events);
        assertThat(failed).containsEntry("step", "assess");
        assertThat((String) data(failed).get("stderr")).contains("Indicators of compromise found");
        assertThat((String) data(failed).get("stdout")).contains("zxvt0lpt.aspx").contains("CVE-2021-26855");
        Map<String, Object> model = LabHosts.model(host);
        assertThat(model).containsEntry("patched", true).containsEntry("isolated", true);
        @SuppressWarnings("unchecked")
        Map<String, List<String>> files = (Map<String, List<String>>) model.get("filesOfInterest");
        assertThat(files.get("dumps")).as("the dump was moved away").isEmpty();
        assertThat(files.get("webshells")).as("the shells, kept as evidence only").isNotEmpty()
                .allMatch(path -> path.startsWith("C:\\Antidote\\Evidence\\quarantine\\") && path.endsWith(".quarantined"));
    }

    @Test
    void remediation_of_a_cu_too_old_for_the_march_update_isolates_mitigates_and_says_why_it_stays_isolated() {
        String host = LabHosts.create("2016", "CU17", List.of(), List.of());

        String runId = requestRun(host);
        JsonPath run = awaitFinished(runId);
        List<Map<String, Object>> events = events(runId);

        assertThat(run.getString("status")).isEqualTo("FAILED");
        Map<String, Object> failed = failedStep(events);
        assertThat(failed).containsEntry("step", "assess");
        assertThat((String) data(failed).get("stderr")).as("the step's error stream, decoded from CLIXML")
                .startsWith("CU too old: upgrade the CU or install the out-of-band SU").doesNotContain("CLIXML");
        Map<String, Object> targetFailed = events.stream().filter(e -> "TargetFailed".equals(e.get("type"))).findFirst()
                .orElseThrow(() -> new AssertionError("no TargetFailed among " + events));
        assertThat((String) data(targetFailed).get("reason")).as("the target's reason, in the step's own words")
                .startsWith("step 'assess' failed: exit code 1, expected 0: CU too old: upgrade the CU or install the out-of-band SU");
        assertThat(LabHosts.model(host)).containsEntry("isolated", true).containsEntry("mitigated", true)
                .containsEntry("patched", false).containsEntry("rebootCount", 0);
    }

    @Test
    void a_non_elevated_install_is_caught_by_verify_and_the_server_stays_isolated() {
        String host = LabHosts.create("2016", "CU18", List.of(), List.of("non-elevated-install"));

        String runId = requestRun(host);
        approveWhenAsked(runId);
        JsonPath run = awaitFinished(runId);
        List<Map<String, Object>> events = events(runId);

        assertThat(run.getString("status")).as("events: %s", events).isEqualTo("FAILED");
        Map<String, Object> failed = failedStep(events);
        assertThat(failed).containsEntry("step", "verify");
        assertThat(data(failed).get("reasons").toString()).contains("webFailures");
        assertThat((String) data(failed).get("stdout")).contains("(500) Internal Server Error");
        assertThat(LabHosts.model(host)).containsEntry("isolated", true).containsEntry("patched", true);
    }

    @Test
    void the_ioc_scan_fails_on_a_compromised_server_and_changes_nothing() {
        String host = LabHosts.create("2016", "CU19", List.of("webshell", "staged-archive"), List.of());
        Map<String, Object> before = LabHosts.model(host);

        String runId = requestRun("proxylogon-ioc-scan", host);
        JsonPath run = awaitFinished(runId);
        List<Map<String, Object>> events = events(runId);

        assertThat(run.getString("status")).isEqualTo("FAILED");
        Map<String, Object> failed = failedStep(events);
        assertThat(failed).containsEntry("step", "verdict");
        assertThat((String) data(failed).get("stdout")).contains("zxvt0lpt.aspx").contains("mail.7z");
        assertThat(LabHosts.model(host)).as("the scan is read-only").isEqualTo(before);
    }

    @Test
    void the_ioc_scan_passes_a_server_with_only_look_alike_log_lines_and_changes_nothing() {
        String host = LabHosts.create("2013", "CU23", List.of("lookalike-logs"), List.of());
        Map<String, Object> before = LabHosts.model(host);

        JsonPath run = awaitFinished(requestRun("proxylogon-ioc-scan", host));

        assertThat(run.getString("status")).isEqualTo("SUCCEEDED");
        assertThat(run.getList("targets[0].steps.id")).containsExactly("isolation", "scan-files", "scan-logs", "verdict");
        assertThat(LabHosts.model(host)).isEqualTo(before);
    }

    @Test
    void verify_passes_a_cu_that_ships_the_fix_and_fails_a_vulnerable_build_changing_nothing() {
        String fixed = LabHosts.create("2016", "CU20", List.of(), List.of());
        String vulnerable = LabHosts.create("2019", "CU7", List.of(), List.of());
        Map<String, Object> vulnerableBefore = LabHosts.model(vulnerable);
        Map<String, Object> fixedBefore = LabHosts.model(fixed);

        JsonPath passed = awaitFinished(requestRun("proxylogon-verify", fixed));
        assertThat(passed.getString("status")).isEqualTo("SUCCEEDED");
        assertThat(passed.getString("targets[0].verdict.patch")).as("the verdict of a verify run").isEqualTo("PATCHED");
        String runId = requestRun("proxylogon-verify", vulnerable);
        JsonPath failed = awaitFinished(runId);
        assertThat(failed.getString("status")).isEqualTo("FAILED");
        assertThat(failedStep(events(runId))).containsEntry("step", "fixed");
        assertThat(failed.getString("targets[0].verdict.patch")).isEqualTo("VULNERABLE");
        assertThat(failed.getList("targets[0].verdict.reasons", String.class).toString())
                .contains("Not patched against ProxyLogon: build 15.2.721.2 (2019 CU7) is vulnerable");

        assertThat(LabHosts.model(fixed)).isEqualTo(fixedBefore);
        assertThat(LabHosts.model(vulnerable)).isEqualTo(vulnerableBefore);
    }

    @Test
    void mitigation_puts_the_rewrite_rules_in_place_and_its_rollback_removes_them_from_a_patched_server() {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of(), List.of("KB5000871"));
        mitigate(host);

        JsonPath run = awaitFinished(requestRun("proxylogon-mitigation-rollback", host));
        assertThat(run.getString("status")).as("the rollback: %s", run.prettify()).isEqualTo("SUCCEEDED");
        assertThat(run.getString("targets[0].verdict.patch")).isEqualTo("PATCHED");
        Map<String, Object> rolledBack = LabHosts.model(host);
        assertThat(rolledBack).containsEntry("mitigated", false).containsEntry("rewriteRules", List.of());
        assertThat(rolledBack.get("web")).isEqualTo(Map.of("owa", 200, "ecp", 200));
        LabHosts.delete(List.of(host));
    }

    /**
     * Issue 12 pt 1: the rollback, run by hand on a server without the fix, would reopen it to CVE-2021-26855. Its
     * build step finds it vulnerable, and the engine does not run the steps that lift the mitigation: the run fails
     * saying why, and the host's command log shows that nothing of the mitigation was touched.
     */
    @Test
    void the_rollback_on_a_vulnerable_server_lifts_nothing_and_its_verdict_says_why() {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        mitigate(host);
        int before = LabHosts.commands(host).size();

        JsonPath run = awaitFinished(requestRun("proxylogon-mitigation-rollback", host));
        assertThat(run.getString("status")).isEqualTo("FAILED");
        assertThat(run.getString("targets[0].verdict.patch")).isEqualTo("VULNERABLE");
        assertThat(String.join("\n", run.getList("targets[0].verdict.reasons", String.class)))
                .contains("step 'rewrite-rules' not run, the mitigation stays: this run did not verify the server"
                        + " fixed (vulnerable: step 'build' found it without the fix (build 15.1.2176.2))");
        assertThat(run.getList("targets[0].steps.status", String.class)).as("build, rewrite-rules, services")
                .startsWith("SUCCEEDED").doesNotContain("RUNNING");
        List<String> scripts = LabHosts.commands(host).stream().skip(before)
                .map(c -> String.valueOf(c.get("script"))).toList();
        assertThat(scripts).as("scripts the rollback sent").isNotEmpty()
                .noneMatch(script -> script.contains("Clear-WebConfiguration") || script.contains("Start-WebAppPool"));
        Map<String, Object> still = LabHosts.model(host);
        assertThat(still).containsEntry("mitigated", true);
        assertThat((List<?>) still.get("rewriteRules")).hasSize(2);
        assertThat(still.get("web")).isEqualTo(Map.of("owa", 200, "ecp", 503));
        LabHosts.delete(List.of(host));
    }

    private static void mitigate(String host) {
        assertThat(awaitFinished(requestRun("proxylogon-mitigation", host)).getString("status")).isEqualTo("SUCCEEDED");
        Map<String, Object> mitigated = LabHosts.model(host);
        assertThat(mitigated).containsEntry("mitigated", true);
        assertThat(mitigated.get("web")).isEqualTo(Map.of("owa", 200, "ecp", 503));
    }
}
