package io.antidote.lab.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The simulated server: what msiexec, the firewall and a reboot do to it, and what it reports. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ExchangeServerTest {

    private static final LocalDateTime NOW = LocalDateTime.of(2021, 3, 4, 10, 0);
    private static final String MSP_2016 = "C:\\Patches\\Exchange2016-KB5000871-x64-en.msp";
    private static final String DOCS = "C:\\Users\\Administrator\\Documents";

    private static ExchangeServer server(String version, String cu, Set<String> faults) {
        return ExchangeServer.create("lab-ex01", new ServerSpec(version, cu, List.of(), faults));
    }

    @Test
    void a_fresh_server_is_on_its_cu_build_unpatched_open_and_without_updates() {
        ExchangeServer s = server("2016", "CU19", Set.of());

        assertThat(s.build()).hasToString("15.1.2176.2");
        assertThat(s.isPatched()).isFalse();
        assertThat(s.isIsolated()).as("only allow rules at first").isFalse();
        assertThat(s.installedUpdates()).isEmpty();
        assertThat(s.pendingReboot()).isFalse();
        assertThat(s.services()).allSatisfy(svc -> {
            assertThat(svc.status()).isEqualTo(WindowsService.Status.Running);
            assertThat(svc.startType()).isEqualTo(WindowsService.StartType.Automatic);
        });
        assertThat(s.service("msexchangeum")).as("UM exists on 2016").isPresent();
        assertThat(server("2019", "CU8", Set.of()).service("MSExchangeUM")).as("no UM on 2019").isEmpty();
    }

    @Test
    void the_security_update_raises_the_revision_records_the_kb_and_asks_for_a_reboot() {
        ExchangeServer s = server("2016", "CU19", Set.of());

        int exit = s.msiexec("/update \"" + MSP_2016 + "\" /quiet /norestart", DOCS, NOW);

        assertThat(exit).as("success, reboot required").isEqualTo(3010);
        assertThat(s.build()).hasToString("15.1.2176.9");
        assertThat(s.isPatched()).isTrue();
        assertThat(s.hasUpdate("KB5000871")).isTrue();
        assertThat(s.pendingReboot()).isTrue();
        assertThat(s.registryKey("HKLM:\\SOFTWARE\\Microsoft\\Updates\\Exchange 2016\\KB5000871"))
                .hasValueSatisfying(v -> assertThat(v).containsEntry("InstalledDate", "3/4/2021"));
        assertThat(s.msiexec("/update " + MSP_2016 + " /quiet /norestart", DOCS, NOW))
                .as("installing it again changes nothing").isZero();
        assertThat(s.installedUpdates()).hasSize(1);
    }

    @Test
    void msiexec_refuses_what_a_real_one_refuses_and_then_changes_nothing() {
        ExchangeServer s = server("2016", "CU19", Set.of());

        assertThat(s.msiexec("/update C:\\Patches\\missing.msp /quiet", DOCS, NOW)).as("no such file").isEqualTo(1619);
        assertThat(s.msiexec("/update C:\\Patches\\Exchange2019-KB5000871-x64-en.msp /quiet", DOCS, NOW))
                .as("another version's package").isEqualTo(1642);
        assertThat(s.msiexec("/update C:\\inetpub\\wwwroot\\iisstart.htm /quiet", DOCS, NOW))
                .as("not a patch").isEqualTo(1636);
        assertThat(s.msiexec("/bogus", DOCS, NOW)).as("bad command line").isEqualTo(1639);
        assertThat(s.msiexec("/update C:\\Program Files\\x.msp /quiet", DOCS, NOW))
                .as("an unquoted path with a space is cut at the space").isEqualTo(1639);
        assertThat(s.build()).hasToString("15.1.2176.2");
        assertThat(s.installedUpdates()).isEmpty();
        assertThat(s.pendingReboot()).isFalse();
    }

    @Test
    void a_too_old_or_already_fixed_cu_is_not_a_target_of_the_march_package() {
        assertThat(server("2016", "CU17", Set.of()).msiexec("/update " + MSP_2016 + " /quiet", DOCS, NOW)).isEqualTo(1642);
        assertThat(server("2019", "CU6", Set.of()).msiexec(
                "/update C:\\Patches\\Exchange2019-KB5000871-x64-en.msp /quiet", DOCS, NOW)).isEqualTo(1642);
        ExchangeServer cu20 = server("2016", "CU20", Set.of());
        assertThat(cu20.msiexec("/update " + MSP_2016 + " /quiet", DOCS, NOW)).isEqualTo(1642);
        assertThat(cu20.isPatched()).as("CU20 carries the fix itself").isTrue();
    }

    @Test
    void each_old_cu_installs_only_its_own_out_of_band_update_to_its_fixed_build() {
        for (CumulativeUpdate old : List.of(CumulativeUpdate.EX2013_CU21, CumulativeUpdate.EX2013_CU22,
                CumulativeUpdate.EX2016_CU17, CumulativeUpdate.EX2019_CU6)) {
            ExchangeServer s = server(old.version(), old.cuName(), Set.of());
            String own = ExchangeServer.outOfBandPackage(old);
            CumulativeUpdate other = old == CumulativeUpdate.EX2013_CU21 ? CumulativeUpdate.EX2013_CU22
                    : CumulativeUpdate.EX2013_CU21;

            assertThat(s.msiexec("/update \"" + ExchangeServer.outOfBandPackage(other) + "\" /quiet", DOCS, NOW))
                    .as("%s given %s's out-of-band update", old, other).isEqualTo(1642);
            assertThat(s.isPatched()).isFalse();
            assertThat(s.msiexec("/update \"" + own + "\" /quiet /norestart", DOCS, NOW)).as("%s", old).isEqualTo(3010);
            assertThat(s.build()).as("%s", old).isEqualTo(old.fixedBuild());
            assertThat(s.isPatched()).isTrue();
            assertThat(s.hasUpdate("KB5000871")).isTrue();
        }
        assertThat(server("2016", "CU19", Set.of()).msiexec("/update \"" + ExchangeServer.outOfBandPackage(
                CumulativeUpdate.EX2016_CU17) + "\" /quiet", DOCS, NOW)).as("an out-of-band update on a supported CU")
                .isEqualTo(1642);
    }

    @Test
    void a_server_specified_with_the_update_starts_on_the_fixed_build_of_its_cu_with_no_reboot_pending() {
        ExchangeServer s = ExchangeServer.create("lab-ex01",
                new ServerSpec("2016", "CU17", List.of(), Set.of(), null, List.of("KB5000871")));

        assertThat(s.build().fileVersion()).isEqualTo("15.01.2044.013");
        assertThat(s.isPatched()).isTrue();
        assertThat(s.pendingReboot()).isFalse();
        assertThat(s.rebootCount()).isZero();
        assertThat(s.registrySubkeys("HKLM:\\SOFTWARE\\Microsoft\\Updates\\Exchange 2016")).containsExactly("KB5000871");
        assertThatThrownBy(() -> new ServerSpec("2019", "CU9", List.of(), Set.of(), null, List.of("KB5000871")))
                .isInstanceOf(ServerSpec.Invalid.class).hasMessageContaining("updates: Exchange 2019 CU9 ships the fix");
        assertThatThrownBy(() -> new ServerSpec("2019", "CU8", List.of(), Set.of(), null, List.of("KB9999999")))
                .isInstanceOf(ServerSpec.Invalid.class).hasMessageStartingWith("updates: ");
    }

    @Test
    void a_package_is_signed_by_microsoft_and_an_altered_one_is_not_valid() {
        ExchangeServer s = server("2016", "CU19", Set.of());
        String content = s.files().get(MSP_2016).orElseThrow().content();

        assertThat(PatchPackage.signature(content)).isEqualTo(new PatchPackage.Signature("Valid", PatchPackage.MICROSOFT));
        assertThat(PatchPackage.signature(content.replace("2016", "2019")).status()).isEqualTo("HashMismatch");
        assertThat(PatchPackage.signature("Windows Installer patch KB5000871 for Microsoft Exchange Server 2016\r\n").status())
                .isEqualTo("NotSigned");
        assertThat(PatchPackage.fileHash(content)).matches("[0-9A-F]{64}")
                .isNotEqualTo(PatchPackage.fileHash(s.files().get("C:\\Patches\\Exchange2019-KB5000871-x64-en.msp")
                        .orElseThrow().content()));
    }

    @Test
    void durations_of_faults_are_bounded_but_a_host_may_stay_unreachable_for_longer_than_ten_minutes() {
        assertThat(Fault.parse("unreachable-after-reboot:30m").duration()).isEqualTo(java.time.Duration.ofMinutes(30));
        assertThat(Fault.parse("unreachable-after-reboot:2h").duration()).isEqualTo(java.time.Duration.ofHours(2));
        assertThatThrownBy(() -> Fault.parse("unreachable-after-reboot:3h")).hasMessageContaining("at most 120m");
        assertThatThrownBy(() -> Fault.parse("latency:11m")).hasMessageContaining("at most 10m");
        assertThat(server("2016", "CU19", Set.of("non-elevated")).elevated()).isFalse();
        assertThat(server("2016", "CU19", Set.of()).elevated()).isTrue();
    }

    @Test
    void the_refuse_update_fault_fails_the_install_with_1603_and_leaves_the_server_as_it_was() {
        ExchangeServer s = server("2016", "CU19", Set.of("refuse-update"));

        assertThat(s.msiexec("/update " + MSP_2016 + " /quiet /norestart", DOCS, NOW)).isEqualTo(1603);
        assertThat(s.build()).hasToString("15.1.2176.2");
        assertThat(s.installedUpdates()).isEmpty();
        assertThat(s.pendingReboot()).isFalse();
    }

    @Test
    void the_refuse_update_once_fault_fails_the_first_install_only() {
        ExchangeServer s = server("2016", "CU19", Set.of("refuse-update-once"));

        assertThat(s.msiexec("/update " + MSP_2016 + " /quiet /norestart", DOCS, NOW)).isEqualTo(1603);
        assertThat(s.installedUpdates()).isEmpty();
        assertThat(s.msiexec("/update " + MSP_2016 + " /quiet /norestart", DOCS, NOW)).isEqualTo(3010);
        assertThat(s.hasUpdate("KB5000871")).isTrue();
    }

    @Test
    void isolation_is_an_enabled_inbound_block_rule_covering_tcp_443() {
        ExchangeServer s = server("2019", "CU8", Set.of());
        s.addFirewallRule("block 80", "", FirewallRule.Direction.Inbound, "TCP", List.of("80"),
                FirewallRule.Action.Block, true);
        s.addFirewallRule("block 443 out", "", FirewallRule.Direction.Outbound, "TCP", List.of("443"),
                FirewallRule.Action.Block, true);
        s.addFirewallRule("block udp", "", FirewallRule.Direction.Inbound, "UDP", List.of("443"),
                FirewallRule.Action.Block, true);
        assertThat(s.isIsolated()).isFalse();

        FirewallRule range = s.addFirewallRule("block web", "", FirewallRule.Direction.Inbound, "TCP",
                List.of("400-500"), FirewallRule.Action.Block, false);
        assertThat(s.isIsolated()).as("a disabled rule blocks nothing").isFalse();
        s.setFirewallRuleEnabled(range.name(), true);
        assertThat(s.isIsolated()).isTrue();
        s.removeFirewallRule(range.name());
        assertThat(s.isIsolated()).isFalse();
    }

    @Test
    void a_reboot_clears_the_pending_reboot_and_starts_only_automatic_services_once_boot_time_has_passed() {
        ExchangeServer s = server("2016", "CU19", Set.of());
        s.msiexec("/update " + MSP_2016 + " /quiet /norestart", DOCS, NOW);
        s.setServiceStatus("MSExchangeUM", WindowsService.Status.Stopped);
        s.setServiceStartType("MSExchangeUM", WindowsService.StartType.Disabled);
        s.setServiceStatus("MSExchangeIS", WindowsService.Status.Stopped);

        s.restart();

        assertThat(s.pendingReboot()).isFalse();
        assertThat(s.rebootCount()).isEqualTo(1);
        assertThat(s.service("MSExchangeIS").orElseThrow().status()).as("the store is still starting")
                .isEqualTo(WindowsService.Status.StartPending);
        assertThat(s.service("W3SVC").orElseThrow().status()).isEqualTo(WindowsService.Status.Running);
        s.elapse(ExchangeServer.BOOT_TIME.minusSeconds(1));
        assertThat(s.service("MSExchangeIS").orElseThrow().status()).isEqualTo(WindowsService.Status.StartPending);
        s.elapse(java.time.Duration.ofSeconds(1));
        assertThat(s.service("MSExchangeIS").orElseThrow().status()).isEqualTo(WindowsService.Status.Running);
        assertThat(s.service("MSExchangeUM").orElseThrow().status()).isEqualTo(WindowsService.Status.Stopped);
    }

    @Test
    void compromise_indicators_plant_webshells_and_dumps_that_describe_reports() {
        ExchangeServer s = ExchangeServer.create("lab-ex02",
                new ServerSpec("2019", "CU8", List.of("webshell", "lsass-dump"), Set.of()));

        @SuppressWarnings("unchecked")
        Map<String, List<String>> files = (Map<String, List<String>>) s.describe().get("filesOfInterest");
        assertThat(files.get("webshells")).containsExactlyInAnyOrder(
                "C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\zxvt0lpt.aspx",
                ExchangeServer.INSTALL_PATH + "FrontEnd\\HttpProxy\\owa\\auth\\errorEE.aspx");
        assertThat(files.get("dumps")).containsExactly("C:\\root\\lsass.dmp");
        assertThat(server("2019", "CU8", Set.of()).webshellPaths()).as("legitimate pages are no shells").isEmpty();
    }

    @Test
    void describe_is_a_json_friendly_snapshot() {
        ExchangeServer s = server("2016", "CU19", Set.of("refuse-update"));

        Map<String, Object> d = s.describe();

        assertThat(d).containsEntry("name", "lab-ex01").containsEntry("version", "2016").containsEntry("cu", "CU19")
                .containsEntry("build", "15.1.2176.2").containsEntry("fileVersion", "15.01.2176.002")
                .containsEntry("isolated", false).containsEntry("patched", false)
                .containsEntry("pendingReboot", false).containsEntry("faults", List.of("refuse-update"))
                .containsEntry("installedUpdates", List.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> services = (Map<String, Object>) d.get("services");
        assertThat(services).containsEntry("W3SVC", Map.of("status", "Running", "startType", "Automatic"));
    }

    @Test
    void the_setup_registry_key_stays_at_the_cu_level() {
        ExchangeServer s = server("2016", "CU19", Set.of());
        s.msiexec("/update " + MSP_2016 + " /quiet", DOCS, NOW);

        assertThat(s.registryKey("HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup"))
                .hasValueSatisfying(v -> assertThat(v).containsEntry("MsiBuildMajor", 2176).containsEntry("MsiBuildMinor", 2)
                        .containsEntry("MsiInstallPath", ExchangeServer.INSTALL_PATH));
        assertThat(s.registrySubkeys("HKLM:\\SOFTWARE\\Microsoft\\Updates")).containsExactly("Exchange 2016");
    }

    @Test
    void paths_are_case_insensitive_and_keep_their_spelling() {
        LabFileSystem fs = server("2016", "CU19", Set.of()).files();

        assertThat(fs.isFile("c:/program files/microsoft/exchange server/v15/bin/exsetup.exe")).isTrue();
        assertThat(fs.get("C:\\PATCHES\\.\\x\\..\\exchange2016-kb5000871-x64-en.msp").orElseThrow().path())
                .isEqualTo(MSP_2016);
        assertThat(fs.isDirectory("C:\\inetpub\\wwwroot\\aspnet_client\\")).isTrue();
        assertThat(LabFileSystem.parent("C:\\a")).hasValue("C:\\");
        assertThatThrownBy(() -> LabFileSystem.normalize("relative\\path")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_host_name_must_be_a_host_name() {
        assertThatThrownBy(() -> ExchangeServer.create("../etc", new ServerSpec("2016", "CU19")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
