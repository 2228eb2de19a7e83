package io.antidote.lab.powershell;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.antidote.lab.exchange.ExchangeServer;
import io.antidote.lab.exchange.ProxyLogonFix;
import io.antidote.lab.exchange.ServerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The real ProxyLogon playbook's scripts, run as Antidote sends them (a generated param block
 * with every playbook parameter as a single-quoted literal, then the step's script) against lab
 * servers: the lab must answer them as a real Exchange server would, step by step.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProxyLogonPlaybookScriptsTest {

    private static final Path PLAYBOOK = Path.of("playbooks", "proxylogon-remediation.yaml");
    private static final Clock MARCH_4 = Clock.fixed(Instant.parse("2021-03-04T10:00:00Z"), ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> SCRIPTS = new LinkedHashMap<>();

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void read_the_playbook() throws IOException {
        Map<String, Object> playbook = new Yaml().load(Files.readString(PLAYBOOK));
        StringBuilder param = new StringBuilder("param(");
        Map<String, Map<String, Object>> params = (Map<String, Map<String, Object>>) playbook.get("params");
        boolean first = true;
        for (Map.Entry<String, Map<String, Object>> p : params.entrySet()) {
            if (!first) {
                param.append(", ");
            }
            first = false;
            String value = String.valueOf(p.getValue().get("default")).replace("'", "''");
            param.append("[string]$").append(p.getKey()).append(" = '").append(value).append("'");
        }
        param.append(")\n");
        for (Map<String, Object> step : (List<Map<String, Object>>) playbook.get("steps")) {
            SCRIPTS.put((String) step.get("id"), param + (String) step.get("powershell"));
        }
        assertThat(SCRIPTS).as("the playbook's steps").containsOnlyKeys("precheck", "isolate", "patch", "verify",
                "scan", "restore");
    }

    private static ExchangeServer server(String version, String cu, List<String> compromise, Set<String> faults) {
        return ExchangeServer.create("lab-ex01", new ServerSpec(version, cu, compromise, faults));
    }

    private static ScriptResult run(ExchangeServer server, String step) {
        return new PowerShell(server, MARCH_4).run(SCRIPTS.get(step));
    }

    private static JsonNode json(ScriptResult r) throws IOException {
        return JSON.readTree(r.stdout());
    }

    @Test
    void a_vulnerable_2016_cu19_is_checked_isolated_patched_verified_scanned_and_restored() throws IOException {
        ExchangeServer s = server("2016", "CU19", List.of(), Set.of());

        ScriptResult precheck = run(s, "precheck");
        assertThat(precheck.exitCode()).as(precheck.stderr()).isZero();
        assertThat(json(precheck).get("build").asText()).as("ExSetup file version before the update")
                .isEqualTo("15.01.2176.002");
        assertThat(json(precheck).get("server").asText()).isEqualTo("LAB-EX01");
        assertThat(json(precheck).get("edition").asText()).isEqualTo("Standard");

        ScriptResult isolate = run(s, "isolate");
        assertThat(isolate.exitCode()).as(isolate.stderr()).isZero();
        assertThat(isolate.stdout()).isEqualTo("isolated: firewall rule 'Antidote ProxyLogon isolation (block inbound 443)' "
                + "blocks inbound 443\r\n");
        assertThat(s.isIsolated()).as("inbound 443 blocked").isTrue();
        assertThat(run(s, "isolate").exitCode()).as("isolating twice is harmless").isZero();
        assertThat(s.firewallRules()).as("isolating twice adds one rule")
                .filteredOn(r -> r.displayName().startsWith("Antidote")).hasSize(1);

        ScriptResult patch = run(s, "patch");
        assertThat(patch.exitCode()).as(patch.stderr()).isZero();
        assertThat(patch.stdout()).contains("msiexec exit code 3010");
        assertThat(s.build()).hasToString("15.1.2176.9");
        assertThat(s.pendingReboot()).isTrue();

        ScriptResult verify = run(s, "verify");
        assertThat(verify.exitCode()).as(verify.stderr()).isZero();
        JsonNode verified = json(verify);
        assertThat(verified.get("build").asText()).isEqualTo("15.01.2176.009");
        assertThat(ProxyLogonFix.isPatched(verified.get("build").asText())).as("the playbook's proxylogonPatched check").isTrue();
        assertThat(verified.get("stoppedServices").isArray()).as("stoppedServices stays an array").isTrue();
        assertThat(verified.get("stoppedServices")).isEmpty();

        ScriptResult scan = run(s, "scan");
        assertThat(scan.exitCode()).as(scan.stderr()).isZero();
        assertThat(scan.stdout()).isEqualTo("{\"webshells\":[],\"dumps\":[]}\r\n");

        ScriptResult restore = run(s, "restore");
        assertThat(restore.exitCode()).as(restore.stderr()).isZero();
        assertThat(s.isIsolated()).as("inbound 443 open again").isFalse();
        assertThat(run(s, "restore").exitCode()).as("restoring twice is harmless").isZero();

        for (ScriptResult r : List.of(precheck, isolate, patch, verify, scan, restore)) {
            assertThat(r.stderr()).as("no step writes errors").isEmpty();
        }
    }

    @Test
    void a_refused_update_fails_the_patch_step_with_msiexec_1603_and_leaves_the_server_isolated_and_unpatched()
            throws IOException {
        ExchangeServer s = server("2016", "CU19", List.of(), Set.of("refuse-update"));
        assertThat(run(s, "precheck").exitCode()).isZero();
        assertThat(run(s, "isolate").exitCode()).isZero();

        ScriptResult patch = run(s, "patch");

        assertThat(patch.exitCode()).as("a thrown error ends powershell.exe with 1").isEqualTo(1);
        assertThat(patch.stderr()).startsWith("msiexec /update C:\\Patches\\Exchange2016-KB5000871-x64-en.msp failed "
                + "with exit code 1603\r\nAt line:")
                .contains("    + CategoryInfo          : OperationStopped: (")
                .contains("[], RuntimeException\r\n")
                .contains("    + FullyQualifiedErrorId : msiexec /update");
        assertThat(patch.stdout()).isEmpty();
        assertThat(s.isIsolated()).as("the isolation stays in place").isTrue();
        assertThat(s.build()).as("build unchanged").hasToString("15.1.2176.2");
        assertThat(s.installedUpdates()).isEmpty();
        assertThat(json(run(s, "verify")).get("build").asText()).isEqualTo("15.01.2176.002");
    }

    @Test
    void a_compromised_2019_cu8_scan_lists_its_webshells_and_dump_and_exits_2() throws IOException {
        ExchangeServer s = server("2019", "CU8", List.of("webshell", "lsass-dump"), Set.of());

        ScriptResult scan = run(s, "scan");

        assertThat(scan.exitCode()).isEqualTo(2);
        assertThat(scan.stderr()).isEmpty();
        JsonNode found = json(scan);
        assertThat(found.get("webshells")).extracting(JsonNode::asText).containsExactlyInAnyOrder(
                "C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\zxvt0lpt.aspx",
                "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\errorEE.aspx");
        assertThat(found.get("dumps")).extracting(JsonNode::asText).containsExactly("C:\\root\\lsass.dmp");
    }

    @Test
    void patching_does_not_evict_the_attacker() throws IOException {
        ExchangeServer s = server("2019", "CU8", List.of("webshell"), Set.of());
        assertThat(run(s, "patch").exitCode()).isZero();

        ScriptResult scan = run(s, "scan");

        assertThat(scan.exitCode()).as("shells planted before the patch survive it").isEqualTo(2);
        assertThat(json(scan).get("webshells")).hasSize(2);
    }

    @ParameterizedTest(name = "{0} {1} patches to {2}")
    @CsvSource({"2013, CU23, 15.00.1497.012", "2016, CU18, 15.01.2106.013", "2016, CU19, 15.01.2176.009",
            "2019, CU7, 15.02.0721.013", "2019, CU8, 15.02.0792.010"})
    void each_cu_targeted_by_the_march_update_patches_to_its_fixed_build(String version, String cu, String fixed)
            throws IOException {
        ExchangeServer s = server(version, cu, List.of(), Set.of());

        ScriptResult patch = run(s, "patch");
        ScriptResult verify = run(s, "verify");

        assertThat(patch.exitCode()).as(patch.stderr()).isZero();
        assertThat(patch.stdout()).contains("Exchange" + version + "-KB5000871-x64-en.msp");
        assertThat(json(verify).get("build").asText()).isEqualTo(fixed);
        assertThat(ProxyLogonFix.isPatched(fixed)).isTrue();
    }

    @ParameterizedTest(name = "{0} {1} is refused")
    @CsvSource({"2016, CU17, 15.1.2044.4", "2019, CU6, 15.2.659.4", "2013, CU22, 15.0.1473.3"})
    void a_cu_too_old_for_the_march_package_fails_the_patch_step_with_msiexec_1642(String version, String cu,
                                                                                  String build) {
        ExchangeServer s = server(version, cu, List.of(), Set.of());

        ScriptResult patch = run(s, "patch");

        assertThat(patch.exitCode()).isEqualTo(1);
        assertThat(patch.stderr()).contains("failed with exit code 1642");
        assertThat(s.build()).as("build unchanged").hasToString(build);
        assertThat(s.isPatched()).isFalse();
    }

    @Test
    void a_cu_that_already_contains_the_fix_is_not_a_patch_target_but_verifies_as_patched() throws IOException {
        ExchangeServer s = server("2016", "CU20", List.of(), Set.of());

        assertThat(run(s, "patch").stderr()).contains("failed with exit code 1642");
        JsonNode verified = json(run(s, "verify"));
        assertThat(verified.get("build").asText()).isEqualTo("15.01.2242.004");
        assertThat(ProxyLogonFix.isPatched(verified.get("build").asText())).isTrue();
    }

    @Test
    void verify_lists_an_automatic_exchange_service_that_is_stopped() throws IOException {
        ExchangeServer s = server("2016", "CU19", List.of(), Set.of());
        s.setServiceStatus("MSExchangeIS", io.antidote.lab.exchange.WindowsService.Status.Stopped);
        s.setServiceStatus("MSExchangeUM", io.antidote.lab.exchange.WindowsService.Status.Stopped);
        s.setServiceStartType("MSExchangeUM", io.antidote.lab.exchange.WindowsService.StartType.Disabled);

        JsonNode verified = json(run(s, "verify"));

        assertThat(verified.get("stoppedServices").isArray()).as("one name still makes an array").isTrue();
        assertThat(verified.get("stoppedServices")).extracting(JsonNode::asText).containsExactly("MSExchangeIS");
    }

    @Test
    void a_patch_share_without_the_package_fails_before_msiexec_runs() {
        ExchangeServer s = server("2016", "CU19", List.of(), Set.of());
        String script = SCRIPTS.get("patch").replace("= 'C:\\Patches'", "= 'C:\\Nowhere'");

        ScriptResult patch = new PowerShell(s, MARCH_4).run(script);

        assertThat(patch.exitCode()).isEqualTo(1);
        assertThat(patch.stderr()).startsWith("Update package not found: C:\\Nowhere\\Exchange2016-KB5000871-x64-en.msp");
        assertThat(s.build()).hasToString("15.1.2176.2");
    }
}
