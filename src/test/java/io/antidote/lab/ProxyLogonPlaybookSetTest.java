package io.antidote.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.antidote.lab.exchange.ExchangeServer;
import io.antidote.lab.exchange.ServerSpec;
import io.antidote.lab.exchange.WindowsService;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ProxyLogon playbook set run step by step, as the engine sends it, against lab servers: each
 * playbook reaches the verdict PROXYLOGON.md expects, and the read-only ones change nothing.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProxyLogonPlaybookSetTest {

    private static final Clock MARCH_4 = Clock.fixed(Instant.parse("2021-03-04T10:00:00Z"), ZoneOffset.UTC);
    private static final List<String> ALL_INDICATORS = List.of("webshell", "lsass-dump", "staged-archive", "log-26855",
            "log-26857", "log-26858", "log-27065", "lookalike-logs");

    private static ExchangeServer server(String version, String cu, List<String> compromise, String... faults) {
        return ExchangeServer.create("lab-ex01", new ServerSpec(version, cu, compromise, Set.of(faults)));
    }

    private static List<String> ids(List<PlaybookOnLab.StepRun> runs) {
        return runs.stream().map(PlaybookOnLab.StepRun::id).toList();
    }

    private static PlaybookOnLab.StepRun last(List<PlaybookOnLab.StepRun> runs) {
        return runs.get(runs.size() - 1);
    }

    /** Everything a script could change: the model's view, every file with its content, the event log. */
    private static String snapshot(ExchangeServer s) {
        synchronized (s) {
            return s.describe() + "\n" + s.files().all() + "\n" + s.events() + "\n" + s.rewriteRules();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"proxylogon-remediation.yaml", "proxylogon-mitigation.yaml",
            "proxylogon-mitigation-rollback.yaml", "proxylogon-ioc-scan.yaml", "proxylogon-verify.yaml"})
    void every_script_fits_the_windows_command_line_with_its_param_block(String file) throws IOException {
        for (String script : new PlaybookOnLab(file).renderedScripts()) {
            assertThat(script.length()).as("rendered script of %s:\n%s", file, script).isLessThan(2800);
        }
    }

    @ParameterizedTest
    @CsvSource({"2013,CU23,15.00.1497.012", "2016,CU18,15.01.2106.013", "2016,CU19,15.01.2176.009",
            "2019,CU7,15.02.0721.013", "2019,CU8,15.02.0792.010"})
    void remediation_patches_every_supported_cu_to_the_fixed_build_of_its_cu_and_brings_the_clean_server_back(
            String version, String cu, String fixedFileVersion) throws IOException {
        ExchangeServer s = server(version, cu, List.of());
        List<PlaybookOnLab.StepRun> runs = new PlaybookOnLab("proxylogon-remediation.yaml").run(s, MARCH_4);

        assertThat(last(runs).ok()).as("last step %s: %s %s", last(runs).id(), last(runs).result(), last(runs).failures())
                .isTrue();
        assertThat(ids(runs)).containsExactly("precheck", "health", "isolate", "evidence", "scan-files", "scan-logs",
                "contain", "maintenance", "patch", "reboot", "wait-for-services", "verify-build", "lift-mitigation",
                "verify", "rescan-files", "rescan-logs", "assess", "leave-maintenance", "restore");
        assertThat(s.build().fileVersion()).as("ExSetup after the remediation").isEqualTo(fixedFileVersion);
        assertThat(s.isPatched()).isTrue();
        assertThat(s.isIsolated()).as("a patched, clean server is back online").isFalse();
        assertThat(s.componentStates().values()).as("server components after maintenance").containsOnly("Active");
        assertThat(s.files().exists("C:\\ProgramData\\Antidote\\ProxyLogon-maintenance.txt")).as("maintenance marker").isFalse();
        assertThat(s.rebootCount()).isEqualTo(1);
        for (String kept : List.of("logs\\Logging_HttpProxy", "logs\\IIS\\W3SVC1\\u_ex210303.log", "logs\\Application.json",
                "scans\\before-change-files.json", "scans\\before-change-logs.json", "scans\\after-change-logs.json")) {
            assertThat(s.files().exists("C:\\Antidote\\Evidence\\" + kept)).as("evidence %s", kept).isTrue();
        }
    }

    @ParameterizedTest
    @CsvSource({"2016,CU20,15.01.2242.004", "2019,CU9,15.02.0858.005"})
    void a_cu_that_ships_the_fix_is_verified_and_scanned_with_no_isolation_no_reboot_and_no_change(String version,
            String cu, String fileVersion) throws IOException {
        ExchangeServer s = server(version, cu, List.of());
        String before = s.describe().toString();
        List<PlaybookOnLab.StepRun> runs = new PlaybookOnLab("proxylogon-remediation.yaml").run(s, MARCH_4);

        assertThat(runs).as("%s", runs).allMatch(PlaybookOnLab.StepRun::ok);
        assertThat(ids(runs)).containsExactly("precheck", "health", "evidence", "scan-files", "scan-logs", "contain",
                "lift-mitigation", "verify", "rescan-files", "rescan-logs", "assess", "leave-maintenance", "restore");
        assertThat(s.describe().toString()).as("the server's state: build, firewall, services, components, reboots")
                .isEqualTo(before);
        assertThat(s.build().fileVersion()).isEqualTo(fileVersion);
        assertThat(s.rebootCount()).isZero();
    }

    @Test
    void remediation_waits_on_the_host_for_the_services_that_start_slowly_after_the_restart() throws IOException {
        ExchangeServer s = server("2016", "CU19", List.of());
        List<PlaybookOnLab.StepRun> runs = new PlaybookOnLab("proxylogon-remediation.yaml").run(s, MARCH_4);

        PlaybookOnLab.StepRun wait = runs.stream().filter(r -> r.id().equals("wait-for-services")).findFirst().orElseThrow();
        assertThat(wait.result().stdout()).as("the wait step polled through the simulated boot")
                .contains("services running 90 s after the restart");
    }

    @ParameterizedTest
    @CsvSource({"2013,CU21,15.0.1395.4", "2013,CU22,15.0.1473.3", "2016,CU17,15.1.2044.4", "2019,CU6,15.2.659.4"})
    void an_old_cu_without_its_out_of_band_update_is_isolated_scanned_mitigated_and_left_isolated_with_the_reason(
            String version, String cu, String build) throws IOException {
        ExchangeServer s = server(version, cu, List.of());
        List<PlaybookOnLab.StepRun> runs = new PlaybookOnLab("proxylogon-remediation.yaml").run(s, MARCH_4);

        assertThat(ids(runs)).containsExactly("precheck", "health", "isolate", "evidence", "scan-files", "scan-logs",
                "contain", "mitigate-rewrite", "mitigate-services", "rescan-files", "rescan-logs", "assess");
        assertThat(last(runs).result().stderr()).contains("CU too old: upgrade the CU or install the out-of-band SU")
                .contains(build);
        assertThat(s.isIsolated()).as("never back online unpatched").isTrue();
        assertThat(s.isMitigated()).isTrue();
        assertThat(s.isPatched()).isFalse();
        assertThat(s.build()).hasToString(build);
        assertThat(s.rebootCount()).isZero();
    }

    @Test
    void a_compromised_old_cu_without_its_out_of_band_update_fails_with_both_reasons() throws IOException {
        ExchangeServer s = server("2016", "CU17", List.of("webshell", "log-26855"));
        List<PlaybookOnLab.StepRun> runs = new PlaybookOnLab("proxylogon-remediation.yaml").run(s, MARCH_4);

        assertThat(last(runs).id()).isEqualTo("assess");
        assertThat(last(runs).result().stderr()).contains("Indicators of compromise found (3)")
                .contains("CU too old: upgrade the CU or install the out-of-band SU. Build 15.1.2044.4");
        assertThat(s.isIsolated()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"2013,CU21,15.00.1395.012", "2013,CU22,15.00.1473.006", "2016,CU17,15.01.2044.013",
            "2019,CU6,15.02.0659.012"})
    void an_old_cu_given_its_out_of_band_update_is_isolated_first_then_patched_to_its_fixed_build_and_brought_back(
            String version, String cu, String fixedFileVersion) throws IOException {
        ExchangeServer s = server(version, cu, List.of());
        List<PlaybookOnLab.StepRun> runs = new PlaybookOnLab("proxylogon-remediation.yaml").run(s, MARCH_4,
                java.util.Map.of("outOfBandShare", "C:\\Patches\\OutOfBand"));

        assertThat(last(runs).ok()).as("last step %s: %s %s", last(runs).id(), last(runs).result(), last(runs).failures())
                .isTrue();
        assertThat(ids(runs)).containsSubsequence("precheck", "isolate", "scan-files", "scan-logs", "maintenance", "patch",
                "reboot", "verify", "rescan-files", "assess", "restore").doesNotContain("mitigate-rewrite");
        assertThat(s.build().fileVersion()).isEqualTo(fixedFileVersion);
        assertThat(s.isIsolated()).isFalse();
        assertThat(s.isMitigated()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"2013,CU21", "2013,CU22", "2016,CU17", "2019,CU6", "2016,CU19", "2019,CU8"})
    void a_server_already_on_its_security_update_is_recognised_as_patched_by_the_precheck_and_by_verify(String version,
            String cu) throws IOException {
        ExchangeServer s = ExchangeServer.create("lab-ex01", new ServerSpec(version, cu, List.of(), Set.of(), null,
                List.of("KB5000871")));
        String before = snapshot(s);
        assertThat(new PlaybookOnLab("proxylogon-verify.yaml").run(s, MARCH_4)).as("verify").hasSize(5)
                .allMatch(PlaybookOnLab.StepRun::ok);
        assertThat(snapshot(s)).isEqualTo(before);

        List<PlaybookOnLab.StepRun> runs = new PlaybookOnLab("proxylogon-remediation.yaml").run(s, MARCH_4);
        assertThat(runs.get(0).result().stdout()).contains("\"patched\":true", "\"plan\":\"none\"");
        assertThat(runs).as("%s", runs).allMatch(PlaybookOnLab.StepRun::ok);
        assertThat(ids(runs)).doesNotContain("isolate", "maintenance", "patch", "reboot", "mitigate-rewrite");
        assertThat(s.isIsolated()).isFalse();
        assertThat(s.rebootCount()).isZero();
    }

    @Test
    void a_non_elevated_session_is_refused_by_the_precheck_before_anything_changes() throws IOException {
        ExchangeServer s = server("2016", "CU19", List.of(), "non-elevated");
        String before = snapshot(s);
        List<PlaybookOnLab.StepRun> runs = new PlaybookOnLab("proxylogon-remediation.yaml").run(s, MARCH_4);

        assertThat(ids(runs)).containsExactly("precheck");
        assertThat(last(runs).result().stderr()).contains("The session is not elevated");
        assertThat(snapshot(s)).isEqualTo(before);
    }

    @Test
    void a_refused_update_stops_at_the_patch_leaving_the_server_isolated_and_in_maintenance() throws IOException {
        ExchangeServer s = server("2019", "CU8", List.of(), "refuse-update");
        List<PlaybookOnLab.StepRun> runs = new PlaybookOnLab("proxylogon-remediation.yaml").run(s, MARCH_4);

        assertThat(last(runs).id()).isEqualTo("patch");
        assertThat(last(runs).result().stderr()).contains("failed with exit code 1603");
        assertThat(s.isIsolated()).isTrue();
        assertThat(s.componentStates().get("ServerWideOffline")).isEqualTo("Inactive");
        assertThat(s.isPatched()).isFalse();
    }

    @Test
    void a_non_elevated_install_is_caught_by_verify_because_owa_and_ecp_fail() throws IOException {
        ExchangeServer s = server("2016", "CU19", List.of(), "non-elevated-install");
        List<PlaybookOnLab.StepRun> runs = new PlaybookOnLab("proxylogon-remediation.yaml").run(s, MARCH_4);

        assertThat(last(runs).id()).isEqualTo("verify");
        assertThat(last(runs).result().stdout()).contains("owa: The remote server returned an error: (500) Internal Server Error.")
                .contains("ecp: The remote server returned an error: (500)");
        assertThat(last(runs).failures()).anyMatch(f -> f.contains("webFailures"));
        assertThat(s.isPatched()).as("the build says patched: only the web check tells").isTrue();
        assertThat(s.isIsolated()).isTrue();
    }

    @Test
    void a_compromised_server_is_patched_its_webshells_quarantined_as_evidence_and_it_stays_isolated() throws IOException {
        ExchangeServer s = server("2019", "CU8", ALL_INDICATORS);
        List<PlaybookOnLab.StepRun> runs = new PlaybookOnLab("proxylogon-remediation.yaml").run(s, MARCH_4);

        assertThat(last(runs).id()).as("%s", last(runs)).isEqualTo("assess");
        assertThat(last(runs).result().stderr()).contains("Indicators of compromise found");
        assertThat(last(runs).result().stdout()).contains("zxvt0lpt.aspx").contains("CVE-2021-26855").contains("CVE-2021-26857")
                .contains("CVE-2021-26858").contains("CVE-2021-27065");
        assertThat(s.isPatched()).isTrue();
        assertThat(s.isIsolated()).as("never un-isolate a compromised server").isTrue();
        assertThat(s.files().exists("C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\zxvt0lpt.aspx")).isFalse();
        assertThat(s.files().exists("C:\\root\\lsass.dmp")).isFalse();
        assertThat(s.files().children("C:\\Antidote\\Evidence\\quarantine")).extracting(e -> e.name())
                .contains("001-zxvt0lpt.aspx.quarantined", "002-errorEE.aspx.quarantined", "003-lsass.dmp.quarantined");
    }

    @Test
    void look_alike_log_lines_are_not_flagged_so_the_server_comes_back() throws IOException {
        ExchangeServer s = server("2016", "CU19", List.of("lookalike-logs"));
        List<PlaybookOnLab.StepRun> runs = new PlaybookOnLab("proxylogon-remediation.yaml").run(s, MARCH_4);

        assertThat(last(runs).id()).isEqualTo("restore");
        assertThat(last(runs).ok()).isTrue();
        assertThat(s.isIsolated()).isFalse();
    }

    @Test
    void the_ioc_scan_names_all_seven_indicators_and_changes_nothing() throws IOException {
        ExchangeServer s = server("2019", "CU8", ALL_INDICATORS);
        String before = snapshot(s);
        List<PlaybookOnLab.StepRun> runs = new PlaybookOnLab("proxylogon-ioc-scan.yaml").run(s, MARCH_4);

        assertThat(snapshot(s)).as("the scan is read-only").isEqualTo(before);
        assertThat(ids(runs)).as("no scan stops the others").containsExactly("isolation", "scan-files", "scan-logs", "verdict");
        assertThat(last(runs).result().exitCode()).isEqualTo(2);
        assertThat(last(runs).result().stdout()).contains("compromised: 9 indicators of compromise")
                .contains("webshell: C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\zxvt0lpt.aspx", "errorEE.aspx",
                        "LSASS dump: C:\\root\\lsass.dmp", "staged archive: C:\\ProgramData\\VSPerfMon\\mail.7z", "out.zip",
                        "CVE-2021-26855: ", "CVE-2021-26857: ", "CVE-2021-26858: ", "CVE-2021-27065: ");
    }

    @Test
    void the_ioc_scan_finds_each_cves_log_traces_and_not_the_look_alikes() throws IOException {
        ExchangeServer s = server("2016", "CU19", List.of("log-26855", "log-26857", "log-26858", "log-27065", "lookalike-logs"));
        String before = snapshot(s);
        List<PlaybookOnLab.StepRun> runs = new PlaybookOnLab("proxylogon-ioc-scan.yaml").run(s, MARCH_4);

        assertThat(snapshot(s)).isEqualTo(before);
        assertThat(ids(runs)).containsExactly("isolation", "scan-files", "scan-logs", "verdict");
        String out = runs.get(2).result().stdout();
        assertThat(out).contains("HttpProxy\\\\Ecp\\\\HttpProxy_2021030304-1.LOG:2").contains("Application log 2021-03-03T04:13:17")
                .contains("OABGenerator20210303-1.LOG:1").contains("ECPServer20210303-1.LOG:1");
        assertThat(out).as("look-alike lines").doesNotContain("Autodiscover\\\\").doesNotContain("HttpProxy\\\\Owa")
                .doesNotContain("OABGenerator20210302").doesNotContain("ECPServer20210302");
        assertThat(last(runs).result().exitCode()).isEqualTo(2);
    }

    @Test
    void the_ioc_scan_passes_a_server_with_only_look_alike_lines() throws IOException {
        ExchangeServer s = server("2013", "CU23", List.of("lookalike-logs"));
        List<PlaybookOnLab.StepRun> runs = new PlaybookOnLab("proxylogon-ioc-scan.yaml").run(s, MARCH_4);
        assertThat(runs).allMatch(PlaybookOnLab.StepRun::ok);
        assertThat(ids(runs)).containsExactly("isolation", "scan-files", "scan-logs", "verdict");
        assertThat(last(runs).result().stdout()).contains("clean: no indicators of compromise");
    }

    @Test
    void verify_passes_a_cu_that_ships_the_fix_and_fails_a_vulnerable_one_changing_nothing() throws IOException {
        ExchangeServer fixed = server("2019", "CU9", List.of());
        String before = snapshot(fixed);
        assertThat(new PlaybookOnLab("proxylogon-verify.yaml").run(fixed, MARCH_4)).hasSize(5)
                .allMatch(PlaybookOnLab.StepRun::ok);
        assertThat(snapshot(fixed)).isEqualTo(before);

        ExchangeServer vulnerable = server("2016", "CU19", List.of());
        String vulnerableBefore = snapshot(vulnerable);
        List<PlaybookOnLab.StepRun> runs = new PlaybookOnLab("proxylogon-verify.yaml").run(vulnerable, MARCH_4);
        assertThat(ids(runs)).containsExactly("isolation", "build", "fixed");
        assertThat(runs.get(1).result().stdout()).as("the build step says vulnerable, for the verdict").contains("\"patched\":false");
        assertThat(last(runs).result().stderr()).contains("Not patched against ProxyLogon: build 15.1.2176.2 (2016 CU19) is vulnerable");
        assertThat(snapshot(vulnerable)).isEqualTo(vulnerableBefore);
    }

    @ParameterizedTest
    @CsvSource({"2016,CU19", "2019,CU8"})
    void mitigation_adds_the_rewrite_rules_and_stops_the_services_and_rollback_undoes_it(String version, String cu)
            throws IOException {
        ExchangeServer s = server(version, cu, List.of());
        List<PlaybookOnLab.StepRun> applied = new PlaybookOnLab("proxylogon-mitigation.yaml").run(s, MARCH_4);
        assertThat(applied).as("%s", applied).allMatch(PlaybookOnLab.StepRun::ok).hasSize(2);
        assertThat(s.isMitigated()).isTrue();
        assertThat(s.rewriteRule("X-BEResource Abort - inbound").orElseThrow().conditions().get(0).pattern())
                .isEqualTo("(.*)X-BEResource=(.+)/(.+)~(.+)");
        assertThat(s.rewriteRule("X-BEResource Abort - inbound").orElseThrow().actionType()).isEqualTo("AbortRequest");
        assertThat(s.webStatus("ecp")).as("ECP while its pool is down").isEqualTo(503);
        assertThat(s.appPool("MSExchangeOABAppPool").orElseThrow().autoStart()).isFalse();
        assertThat(s.service("MSExchangeHM").orElseThrow().startType()).isEqualTo(WindowsService.StartType.Disabled);
        if (version.equals("2016")) {
            assertThat(s.service("MSExchangeUM").orElseThrow().status()).isEqualTo(WindowsService.Status.Stopped);
        }
        assertThat(new PlaybookOnLab("proxylogon-mitigation.yaml").run(s, MARCH_4)).as("applied twice")
                .allMatch(PlaybookOnLab.StepRun::ok);
        assertThat(s.rewriteRules()).hasSize(2);

        List<PlaybookOnLab.StepRun> rolledBack = new PlaybookOnLab("proxylogon-mitigation-rollback.yaml").run(s, MARCH_4);
        // The scripts alone, without the engine's guard (the rollback's API test covers the guard): build, then both.
        assertThat(rolledBack).as("%s", rolledBack).allMatch(PlaybookOnLab.StepRun::ok).hasSize(3);
        assertThat(s.rewriteRules()).isEmpty();
        assertThat(s.webStatus("ecp")).isEqualTo(200);
        assertThat(s.services()).allMatch(svc -> svc.status() == WindowsService.Status.Running
                && svc.startType() == WindowsService.StartType.Automatic);
        assertThat(s.appPools()).allMatch(p -> p.started() && p.autoStart());
    }

    static final String MITIGATION_MARKER = "C:\\ProgramData\\Antidote\\ProxyLogon-mitigation.txt";

    @Test
    void a_rerun_given_the_out_of_band_update_lifts_the_mitigation_the_first_run_applied_once_the_build_is_verified()
            throws IOException {
        ExchangeServer s = server("2016", "CU17", List.of());
        assertThat(last(new PlaybookOnLab("proxylogon-remediation.yaml").run(s, MARCH_4)).id()).isEqualTo("assess");
        assertThat(s.isMitigated()).isTrue();
        assertThat(s.webStatus("ecp")).as("ECP under the service mitigation").isEqualTo(503);
        assertThat(s.files().get(MITIGATION_MARKER).orElseThrow().content()).as("what the first run recorded as its own")
                .contains("rule X-AnonResource-Backend Abort - inbound", "rule X-BEResource Abort - inbound",
                        "pool MSExchangeECPAppPool", "pool MSExchangeOABAppPool", "service MSExchangeHM",
                        "service MSExchangeHMRecovery", "service MSExchangeUM", "service MSExchangeUMCR");

        List<PlaybookOnLab.StepRun> runs = new PlaybookOnLab("proxylogon-remediation.yaml").run(s, MARCH_4,
                java.util.Map.of("outOfBandShare", "C:\\Patches\\OutOfBand"));

        assertThat(last(runs).ok()).as("last step %s: %s %s", last(runs).id(), last(runs).result(), last(runs).failures())
                .isTrue();
        assertThat(ids(runs)).containsSubsequence("patch", "reboot", "wait-for-services", "verify-build",
                "lift-mitigation", "verify", "restore");
        PlaybookOnLab.StepRun lift = runs.get(ids(runs).indexOf("lift-mitigation"));
        assertThat(lift.result().stdout()).contains("MSExchangeECPAppPool started, autoStart on").contains("\"foreign\":[]");
        assertThat(s.isPatched()).isTrue();
        assertThat(s.isMitigated()).isFalse();
        assertThat(s.rewriteRules()).isEmpty();
        assertThat(s.webStatus("ecp")).isEqualTo(200);
        assertThat(s.appPools()).allMatch(p -> p.started() && p.autoStart());
        assertThat(s.services()).allMatch(svc -> svc.status() == WindowsService.Status.Running
                && svc.startType() == WindowsService.StartType.Automatic);
        assertThat(s.files().exists(MITIGATION_MARKER)).as("nothing of Antidote's mitigation is left").isFalse();
        assertThat(s.isIsolated()).isFalse();
    }

    @Test
    void a_mitigation_someone_else_applied_is_named_and_left_in_place_and_the_server_stays_isolated() throws IOException {
        ExchangeServer s = server("2016", "CU17", List.of());
        // Someone disabled Managed Availability before Antidote came: that part is not Antidote's.
        s.setServiceStatus("MSExchangeHM", WindowsService.Status.Stopped);
        s.setServiceStartType("MSExchangeHM", WindowsService.StartType.Disabled);
        assertThat(last(new PlaybookOnLab("proxylogon-remediation.yaml").run(s, MARCH_4)).id()).isEqualTo("assess");
        assertThat(s.files().get(MITIGATION_MARKER).orElseThrow().content()).doesNotContain("service MSExchangeHM\r")
                .contains("service MSExchangeHMRecovery");

        List<PlaybookOnLab.StepRun> runs = new PlaybookOnLab("proxylogon-remediation.yaml").run(s, MARCH_4,
                java.util.Map.of("outOfBandShare", "C:\\Patches\\OutOfBand"));

        assertThat(last(runs).id()).isEqualTo("lift-mitigation");
        assertThat(last(runs).result().stderr()).contains("Mitigations Antidote did not apply are left in place: "
                + "MSExchangeHM Stopped, Disabled. The server stays isolated");
        assertThat(s.service("MSExchangeHM").orElseThrow().startType()).as("someone else's mitigation")
                .isEqualTo(WindowsService.StartType.Disabled);
        assertThat(s.service("MSExchangeHMRecovery").orElseThrow().startType()).as("Antidote's own")
                .isEqualTo(WindowsService.StartType.Automatic);
        assertThat(s.webStatus("ecp")).isEqualTo(200);
        assertThat(s.isPatched()).isTrue();
        assertThat(s.isIsolated()).isTrue();
    }

    @Test
    void url_rewrite_rules_someone_else_added_are_named_and_kept_and_do_not_keep_a_patched_server_out_of_service()
            throws IOException {
        ExchangeServer s = server("2019", "CU8", List.of());
        // EOMT, run by an administrator in March 2021, added the rules: no marker of Antidote's records them.
        new PlaybookOnLab("proxylogon-mitigation.yaml").run(s, MARCH_4);
        new PlaybookOnLab("proxylogon-mitigation-rollback.yaml").run(s, MARCH_4);
        assertThat(step(s, "proxylogon-mitigation.yaml", "rewrite-rules").exitCode()).isZero();
        synchronized (s) {
            s.files().delete(MITIGATION_MARKER);
        }

        List<PlaybookOnLab.StepRun> runs = new PlaybookOnLab("proxylogon-remediation.yaml").run(s, MARCH_4);

        assertThat(last(runs).ok()).as("last step %s: %s %s", last(runs).id(), last(runs).result(), last(runs).failures())
                .isTrue();
        assertThat(runs.get(ids(runs).indexOf("lift-mitigation")).result().stdout())
                .contains("\"foreign\":[\"URL Rewrite rule \\u0027X-AnonResource-Backend Abort - inbound\\u0027\"");
        assertThat(s.isMitigated()).as("the rules someone else added").isTrue();
        assertThat(s.isPatched()).isTrue();
        assertThat(s.isIsolated()).isFalse();
    }

    @Test
    void the_rollback_playbook_removes_antidotes_mitigation_marker() throws IOException {
        ExchangeServer s = server("2016", "CU19", List.of());
        new PlaybookOnLab("proxylogon-mitigation.yaml").run(s, MARCH_4);
        assertThat(s.files().exists(MITIGATION_MARKER)).isTrue();
        assertThat(new PlaybookOnLab("proxylogon-mitigation-rollback.yaml").run(s, MARCH_4))
                .allMatch(PlaybookOnLab.StepRun::ok);
        assertThat(s.files().exists(MITIGATION_MARKER)).isFalse();
    }

    private static io.antidote.lab.powershell.ScriptResult step(ExchangeServer s, String file, String id, String... replace)
            throws IOException {
        PlaybookOnLab playbook = new PlaybookOnLab(file);
        int index = playbook.playbook().steps().stream().map(io.antidote.playbook.Step::id).toList().indexOf(id);
        String script = playbook.renderedScripts().get(index);
        for (int i = 0; i + 1 < replace.length; i += 2) {
            script = script.replace(replace[i], replace[i + 1]);
        }
        return new io.antidote.lab.powershell.PowerShell(s, MARCH_4).run(script);
    }

    @Test
    void isolating_and_restoring_twice_is_harmless() throws IOException {
        ExchangeServer s = server("2016", "CU19", List.of());
        assertThat(step(s, "proxylogon-remediation.yaml", "isolate").exitCode()).isZero();
        assertThat(step(s, "proxylogon-remediation.yaml", "isolate").exitCode()).isZero();
        assertThat(s.firewallRules()).filteredOn(r -> r.displayName().startsWith("Antidote")).hasSize(1);
        assertThat(step(s, "proxylogon-remediation.yaml", "restore").exitCode()).isZero();
        assertThat(step(s, "proxylogon-remediation.yaml", "restore").exitCode()).isZero();
        assertThat(s.isIsolated()).isFalse();
    }

    @Test
    void a_patch_share_without_the_package_fails_before_msiexec_runs() throws IOException {
        ExchangeServer s = server("2016", "CU19", List.of());
        List<PlaybookOnLab.StepRun> runs = new PlaybookOnLab("proxylogon-remediation.yaml").run(s, MARCH_4,
                java.util.Map.of("patchShare", "C:\\Patches\\Nowhere"));
        assertThat(last(runs).id()).isEqualTo("patch");
        assertThat(last(runs).result().stderr()).contains("Update package not found: C:\\Patches\\Nowhere\\Exchange2016-KB5000871-x64-en.msp");
        assertThat(s.isPatched()).isFalse();
        assertThat(s.isIsolated()).isTrue();
    }

    @Test
    void a_compromised_server_whose_patch_fails_has_every_indicator_named_by_the_scans_before_the_change() throws IOException {
        ExchangeServer s = server("2016", "CU19", ALL_INDICATORS, "refuse-update");
        List<PlaybookOnLab.StepRun> runs = new PlaybookOnLab("proxylogon-remediation.yaml").run(s, MARCH_4);

        assertThat(last(runs).id()).isEqualTo("patch");
        assertThat(ids(runs).indexOf("scan-logs")).as("scans before the first change").isLessThan(ids(runs).indexOf("maintenance"));
        String named = runs.get(ids(runs).indexOf("scan-files")).result().stdout() + runs.get(ids(runs).indexOf("scan-logs")).result().stdout();
        assertThat(named).contains("zxvt0lpt.aspx", "errorEE.aspx", "lsass.dmp", "mail.7z", "out.zip", "CVE-2021-26855: ",
                "CVE-2021-26857: ", "CVE-2021-26858: ", "CVE-2021-27065: ");
        assertThat(s.files().exists("C:\\Antidote\\Evidence\\scans\\before-change-files.json")).isTrue();
        assertThat(s.files().exists("C:\\Antidote\\Evidence\\logs\\Application.json")).isTrue();
        assertThat(s.isIsolated()).isTrue();
    }

    @Test
    void a_compromised_server_on_a_cu_that_ships_the_fix_is_contained_and_stays_isolated() throws IOException {
        ExchangeServer s = server("2019", "CU9", List.of("webshell", "log-26857"));
        List<PlaybookOnLab.StepRun> runs = new PlaybookOnLab("proxylogon-remediation.yaml").run(s, MARCH_4);

        assertThat(ids(runs)).doesNotContain("isolate", "patch", "reboot").contains("contain");
        assertThat(last(runs).id()).isEqualTo("assess");
        assertThat(last(runs).result().stdout()).contains("zxvt0lpt.aspx", "CVE-2021-26857");
        assertThat(s.isIsolated()).isTrue();
        assertThat(s.webshellPaths()).allMatch(p -> p.startsWith("C:\\Antidote\\Evidence\\quarantine\\"));
    }

    @Test
    void a_rerun_on_a_server_whose_webshells_an_earlier_run_quarantined_still_finds_it_compromised_and_keeps_it_isolated()
            throws IOException {
        ExchangeServer s = server("2016", "CU18", List.of("webshell"));
        assertThat(last(new PlaybookOnLab("proxylogon-remediation.yaml").run(s, MARCH_4)).id()).isEqualTo("assess");
        assertThat(s.webshellPaths()).as("the first run quarantined the shells")
                .allMatch(p -> p.startsWith("C:\\Antidote\\Evidence\\quarantine\\"));

        List<PlaybookOnLab.StepRun> again = new PlaybookOnLab("proxylogon-remediation.yaml").run(s, MARCH_4);

        assertThat(last(again).id()).as("%s", last(again)).isEqualTo("assess");
        assertThat(last(again).ok()).isFalse();
        PlaybookOnLab.StepRun contain = again.stream().filter(r -> r.id().equals("contain")).findFirst().orElseThrow();
        assertThat(contain.result().stdout()).contains("quarantined by an earlier run: 001-zxvt0lpt.aspx.quarantined",
                "quarantined by an earlier run: 002-errorEE.aspx.quarantined").contains("\"isolated\":true");
        assertThat(last(again).result().stdout()).contains("indicator: quarantined by an earlier run: 001-zxvt0lpt.aspx.quarantined");
        assertThat(ids(again)).doesNotContain("restore");
        assertThat(s.isIsolated()).as("a server found compromised is never reopened by a later run").isTrue();
        assertThat(s.files().children("C:\\Antidote\\Evidence\\quarantine")).as("nothing quarantined twice").hasSize(2);
    }

    @Test
    void a_rerun_on_a_server_left_in_maintenance_and_isolated_by_an_earlier_run_goes_on_from_there() throws IOException {
        ExchangeServer s = server("2016", "CU19", List.of(), "refuse-update");
        assertThat(last(new PlaybookOnLab("proxylogon-remediation.yaml").run(s, MARCH_4)).id()).isEqualTo("patch");
        assertThat(s.componentStates().get("ServerWideOffline")).isEqualTo("Inactive");
        assertThat(s.isIsolated()).isTrue();

        // The operator fixes what refused the update (the lab host without the fault, same disk state otherwise).
        ExchangeServer fixed = server("2016", "CU19", List.of());
        synchronized (fixed) {
            fixed.files().writeFile("C:\\ProgramData\\Antidote\\ProxyLogon-maintenance.txt", "maintenance",
                    java.time.LocalDateTime.of(2021, 3, 4, 10, 0));
        }
        fixed.setComponentState("ServerWideOffline", "Inactive");
        fixed.setComponentState("HubTransport", "Draining");
        step(fixed, "proxylogon-remediation.yaml", "isolate");
        List<PlaybookOnLab.StepRun> runs = new PlaybookOnLab("proxylogon-remediation.yaml").run(fixed, MARCH_4);

        assertThat(last(runs).ok()).as("%s", last(runs)).isTrue();
        assertThat(runs.get(1).result().stdout()).contains("\"resumedMaintenance\":[\"ServerWideOffline\",\"HubTransport\"]");
        assertThat(fixed.isPatched()).isTrue();
        assertThat(fixed.isIsolated()).isFalse();
        assertThat(fixed.componentStates().values()).containsOnly("Active");
    }

    @Test
    void a_server_in_maintenance_that_antidote_did_not_put_there_is_still_refused_by_health() throws IOException {
        ExchangeServer s = server("2016", "CU19", List.of());
        s.setComponentState("ServerWideOffline", "Inactive");
        List<PlaybookOnLab.StepRun> runs = new PlaybookOnLab("proxylogon-remediation.yaml").run(s, MARCH_4);
        assertThat(last(runs).id()).isEqualTo("health");
        assertThat(last(runs).failures()).anyMatch(f -> f.contains("inactiveComponents"));
    }

    @Test
    void verify_lists_an_automatic_exchange_service_that_is_stopped() throws IOException {
        ExchangeServer s = server("2019", "CU9", List.of());
        s.setServiceStatus("MSExchangeIS", WindowsService.Status.Stopped);
        var r = step(s, "proxylogon-verify.yaml", "services");
        assertThat(r.stdout()).contains("\"stoppedServices\":[\"MSExchangeIS\"]");
    }

    @Test
    void the_health_precheck_reports_the_dag_and_refuses_a_server_with_an_inactive_component() throws IOException {
        ExchangeServer s = ExchangeServer.create("lab-ex01", new ServerSpec("2016", "CU19", List.of(), Set.of(), "DAG01"));
        assertThat(step(s, "proxylogon-remediation.yaml", "health").stdout()).contains("\"dag\":\"DAG01\"");
        s.setComponentState("HubTransport", "Inactive");
        List<PlaybookOnLab.StepRun> runs = new PlaybookOnLab("proxylogon-remediation.yaml").run(s, MARCH_4);
        assertThat(last(runs).id()).isEqualTo("health");
        assertThat(last(runs).failures()).anyMatch(f -> f.contains("inactiveComponents"));
        assertThat(s.isIsolated()).isFalse();
    }
}
