package io.antidote.playbook;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The real ProxyLogon playbook is the format's first user: it must parse exactly as written. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProxyLogonPlaybookTest {

    static final Path FILE = Path.of("playbooks/proxylogon-remediation.yaml");
    static final StepLibrary LIBRARY = PlaybookCatalog.readLibrary(Path.of("playbooks", PlaybookCatalog.LIBRARY_DIR));

    static Playbook proxyLogon() throws Exception {
        ParseResult result = PlaybookParser.parse(FILE.toString(), Files.readString(FILE), LIBRARY);
        assertThat(result).as("parse of %s", FILE).isInstanceOf(ParseResult.Valid.class);
        return ((ParseResult.Valid) result).playbook();
    }

    @Test
    void the_proxylogon_playbook_is_valid_with_the_runbook_steps_in_order() throws Exception {
        Playbook playbook = proxyLogon();

        assertThat(playbook.name()).isEqualTo("proxylogon-remediation");
        assertThat(playbook.version()).isEqualTo(6);
        assertThat(playbook.description()).startsWith("Check, isolate, collect evidence and scan");
        assertThat(playbook.steps()).extracting(Step::id)
                .containsExactly("precheck", "health", "isolate", "evidence", "scan-files", "scan-logs", "contain",
                        "mitigate-rewrite", "mitigate-services", "maintenance", "patch", "reboot", "wait-for-services",
                        "verify-build", "lift-mitigation", "verify", "rescan-files", "rescan-logs", "assess", "leave-maintenance", "restore");
        assertThat(playbook.file()).isEqualTo("playbooks/proxylogon-remediation.yaml");
        // Issue 12 pt 5: the maintenance, kept after a failure, keeps the DAG held until it is ended.
        assertThat(playbook.steps()).filteredOn(Step::holdsGroup).extracting(Step::id).containsExactly("maintenance");
        assertThat(playbook.step("maintenance").orElseThrow().policy().compensate()).isEqualTo("leave-maintenance");
    }

    /**
     * Issue 11 point 3: only steps that merely read the server run again blindly after a lost outcome; every
     * other step runs inside its marker, and those that may run twice say so.
     */
    @Test
    void each_step_declares_whether_it_changes_the_server_and_whether_it_may_run_twice() throws Exception {
        Playbook playbook = proxyLogon();
        assertThat(playbook.steps()).filteredOn(step -> step.policy().readOnly()).extracting(Step::id)
                .containsExactly("precheck", "health", "wait-for-services", "verify-build", "verify");
        assertThat(playbook.steps()).filteredOn(step -> !step.policy().readOnly() && !step.policy().idempotent())
                .extracting(Step::id)
                .as("steps that change the server and must not run twice: failed, not re-run, when their marker"
                        + " does not show them finished")
                .containsExactly("evidence", "reboot", "assess");
    }

    static Playbook shipped(String name) throws Exception {
        Path file = Path.of("playbooks", name + ".yaml");
        ParseResult result = PlaybookParser.parse(file.toString(), Files.readString(file), LIBRARY);
        assertThat(result).as("parse of %s", file).isInstanceOf(ParseResult.Valid.class);
        return ((ParseResult.Valid) result).playbook();
    }

    /**
     * Every shipped playbook, every step: the read-only ones (run again blindly after a lost outcome) are exactly
     * those that only read, and the rest run inside their marker. A step that reads but is not declared so fails
     * its target after a restart instead of running again; one that changes the server but is declared read-only
     * could run twice. A new playbook file must be added here.
     */
    @Test
    void every_shipped_playbook_declares_which_of_its_steps_only_read_the_server() throws Exception {
        Map<String, List<String>> readOnly = Map.of(
                "proxylogon-remediation", List.of("precheck", "health", "wait-for-services", "verify-build",
                        "verify"),
                // isolation reads the firewall rule; fixed reads the build step's outputs; services and web read.
                "proxylogon-verify", List.of("isolation", "build", "fixed", "services", "web"),
                // The scans get no evidenceRoot here, so they keep nothing and quarantine nothing.
                "proxylogon-ioc-scan", List.of("isolation", "scan-files", "scan-logs", "verdict"),
                "proxylogon-mitigation", List.of(),
                // build only reads ExSetup's version.
                "proxylogon-mitigation-rollback", List.of("build"));
        try (var files = Files.list(Path.of("playbooks"))) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yaml"))
                    .map(f -> f.substring(0, f.length() - ".yaml".length())))
                    .as("shipped playbooks, each with its declarations checked here")
                    .containsExactlyInAnyOrderElementsOf(readOnly.keySet());
        }
        for (Map.Entry<String, List<String>> expected : readOnly.entrySet()) {
            Playbook playbook = shipped(expected.getKey());
            assertThat(playbook.steps()).filteredOn(step -> step.policy().readOnly()).extracting(Step::id)
                    .as("read-only steps of %s", expected.getKey()).containsExactlyElementsOf(expected.getValue());
        }
        assertThat(LIBRARY.find("proxylogon-isolation-state")).as("the library step that only reads the firewall rule")
                .hasValueSatisfying(step -> assertThat(step.readOnly()).isTrue());
    }

    /**
     * Issue 12 pt 1: whatever takes a ProxyLogon mitigation away, in any shipped playbook, is marked so, and comes
     * after a step that verifies the server fixed, so that the engine runs it only on a server this run verified
     * fixed. The rollback once lifted the mitigation of an unpatched server when run by hand.
     */
    @Test
    void every_shipped_step_that_lifts_a_mitigation_is_marked_and_follows_a_check_of_the_fix() throws Exception {
        Map<String, List<String>> lifting = Map.of(
                "proxylogon-remediation", List.of("lift-mitigation"),
                "proxylogon-verify", List.of(),
                "proxylogon-ioc-scan", List.of(),
                "proxylogon-mitigation", List.of(),
                "proxylogon-mitigation-rollback", List.of("rewrite-rules", "services"));
        for (Map.Entry<String, List<String>> expected : lifting.entrySet()) {
            Playbook playbook = shipped(expected.getKey());
            assertThat(playbook.steps()).filteredOn(Step::liftsMitigation).extracting(Step::id)
                    .as("steps of %s that lift a mitigation", expected.getKey())
                    .containsExactlyElementsOf(expected.getValue());
            for (String lift : expected.getValue()) {
                List<String> ids = playbook.steps().stream().map(Step::id).toList();
                assertThat(playbook.steps().subList(0, ids.indexOf(lift)))
                        .as("steps of %s before %s", expected.getKey(), lift)
                        .anyMatch(step -> step.verifies().contains(io.antidote.workflow.Verification.FIXED));
            }
        }
        assertThat(shipped("proxylogon-mitigation-rollback").steps().get(0).id()).isEqualTo("build");
    }

    @Test
    void references_params_and_timeouts_are_read_as_written() throws Exception {
        Playbook playbook = proxyLogon();

        assertThat(playbook.references()).containsExactly(
                Map.entry("cves", List.of("CVE-2021-26855", "CVE-2021-26857", "CVE-2021-26858", "CVE-2021-27065")),
                Map.entry("kbs", List.of("KB5000871")));
        assertThat(playbook.params()).containsExactly(new Param("patchShare", ParamType.SOURCE,
                "A configured patch source (antidote.patch-sources), or a folder under one, holding "
                        + "Exchange20xx-KB5000871-x64-en.msp for each version.",
                "local", false, List.of(), null), new Param("outOfBandShare", ParamType.SOURCE,
                "A configured patch source, or a folder under one (local\\OutOfBand), holding the out-of-band March 2021 SU"
                        + " of old CUs (Exchange20xx-KB5000871-CUnn-x64-en.msp). Without it, an old CU is mitigated and"
                        + " left isolated.", null, false, List.of(), null),
                new Param("evidenceRoot", ParamType.STRING,
                "Folder on the server where logs, scan results and quarantined files are kept.",
                "C:\\Antidote\\Evidence", false, List.of(), null));
        assertThat(playbook.steps()).extracting(Step::timeout).containsExactly(Duration.ofMinutes(2),
                Duration.ofMinutes(2), Duration.ofMinutes(2), Duration.ofMinutes(15), Duration.ofMinutes(15),
                Duration.ofMinutes(30), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
                Duration.ofMinutes(10), Duration.ofMinutes(45), Duration.ofMinutes(5), Duration.ofMinutes(20),
                Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofMinutes(2),
                Duration.ofMinutes(10), Duration.ofMinutes(2));
    }

    @Test
    void the_verify_step_expects_exit_code_zero_a_patched_build_no_stopped_services_and_working_owa_and_ecp()
            throws Exception {
        Step verify = proxyLogon().step("verify").orElseThrow();

        assertThat(verify.expect().exitCode()).isZero();
        assertThat(verify.expect().stdoutPattern()).isNull();
        assertThat(verify.expect().json()).containsExactly(
                Map.entry("build", new JsonCheck.ProxyLogonPatched(true)),
                Map.entry("stoppedServices", new JsonCheck.Empty(true)),
                Map.entry("webFailures", new JsonCheck.Empty(true)));
    }

    @Test
    void steps_without_expect_expect_exit_code_zero_only() throws Exception {
        Step assess = proxyLogon().step("assess").orElseThrow();

        assertThat(assess.expect()).isEqualTo(new Expectation(0, null, Map.of()));
    }

    @Test
    void scripts_are_the_literal_blocks_verbatim() throws Exception {
        Step restore = proxyLogon().step("restore").orElseThrow();

        assertThat(restore.powershell()).isEqualTo("""
                $ErrorActionPreference = 'Stop'
                $rule = 'Antidote ProxyLogon isolation (block inbound 443)'
                Get-NetFirewallRule -DisplayName $rule -ErrorAction SilentlyContinue | Remove-NetFirewallRule
                Write-Output "restored: firewall rule '$rule' removed"
                """);
    }

    @Test
    void the_digest_is_the_sha256_of_the_source_with_the_library_steps_it_uses_and_the_source_is_kept()
            throws Exception {
        Playbook playbook = proxyLogon();
        String source = Files.readString(FILE);

        assertThat(playbook.source()).isEqualTo(source);
        List<String> used = List.of("proxylogon-build", "proxylogon-file-scan", "proxylogon-lift-mitigation",
                "proxylogon-log-scan", "proxylogon-rewrite-rules", "proxylogon-service-mitigations");
        assertThat(playbook.library()).containsOnlyKeys(used);
        Map<String, String> texts = new java.util.HashMap<>();
        for (String name : used) {
            texts.put(name, Files.readString(Path.of("playbooks/steps/" + name + ".yaml")));
        }
        assertThat(PlaybookBundle.decode(playbook.versionText()).orElseThrow())
                .isEqualTo(new PlaybookBundle.Contents(source, texts));
        assertThat(playbook.digest()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(playbook.versionText().getBytes(StandardCharsets.UTF_8)))).matches("[0-9a-f]{64}");
    }

    @Test
    void the_scan_steps_run_the_library_scans_with_the_evidence_folder_as_their_input() throws Exception {
        Playbook playbook = proxyLogon();

        for (String id : List.of("scan-files", "scan-logs")) {
            Step step = playbook.step(id).orElseThrow();
            assertThat(step.uses().with()).containsEntry("evidenceRoot", new Uses.ParamRef("evidenceRoot"));
            assertThat(ScriptRenderer.render(step, Map.of("evidenceRoot", "E:\\Ev'1"), playbook.params()))
                    .startsWith("param(\n  [string]$evidenceRoot = 'E:\\Ev''1',\n  [string]$label = 'before-change'");
        }
        assertThat(playbook.step("scan-files").orElseThrow().policy().idempotent()).isTrue();
    }

    @Test
    void the_verify_expectation_passes_on_a_patched_server_and_fails_on_an_unpatched_one() throws Exception {
        Expectation verify = proxyLogon().step("verify").orElseThrow().expect();

        assertThat(verify.check(0, "{\"build\":\"15.01.2176.009\",\"stoppedServices\":[],\"webFailures\":[]}\r\n"))
                .isEmpty();
        assertThat(verify.check(0, "{\"build\":\"15.01.2176.002\",\"stoppedServices\":[\"MSExchangeIS\"],\"webFailures\":[]}"))
                .containsExactly(
                        "build 15.01.2176.002 is not patched against ProxyLogon for 2016 CU19 (fixed: 15.1.2176.9)",
                        "JSON field 'stoppedServices' is not empty: [\"MSExchangeIS\"]");
    }

    @Test
    void a_step_is_found_by_id_and_an_unknown_id_is_empty() throws Exception {
        Playbook playbook = proxyLogon();

        assertThat(playbook.step("patch")).map(Step::timeout).contains(Duration.ofMinutes(45));
        assertThat(playbook.step("reboot")).map(Step::timeout).contains(Duration.ofMinutes(5));
        assertThat(playbook.step("nope")).isEmpty();
    }
}
