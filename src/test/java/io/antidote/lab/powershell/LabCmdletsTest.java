package io.antidote.lab.powershell;

import static org.assertj.core.api.Assertions.assertThat;

import io.antidote.lab.exchange.ExchangeServer;
import io.antidote.lab.exchange.FirewallRule;
import io.antidote.lab.exchange.ServerSpec;
import io.antidote.lab.exchange.WindowsService;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The cmdlets that read and change the Exchange model, as a script would use them on a real server. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LabCmdletsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2021-03-04T10:00:00Z"), ZoneOffset.UTC);

    private final ExchangeServer server = ExchangeServer.create("lab-ex01",
            new ServerSpec("2016", "CU19", List.of("webshell", "lsass-dump"), Set.of()));

    private ScriptResult run(String script) {
        return new PowerShell(server, CLOCK).run(script);
    }

    private String out(String script) {
        ScriptResult r = run(script);
        assertThat(r.stderr()).as("errors of: " + script).isEmpty();
        return r.stdout().replace("\r\n", "\n");
    }

    @Test
    void get_command_reads_exsetups_version_in_long_form_and_finds_cmdlets_and_applications() {
        assertThat(out("$c = Get-Command ExSetup.exe; $c.FileVersionInfo.FileVersion; $c.FileVersionInfo.ProductVersion; "
                + "$c.Source; $c.CommandType; (Get-Command ExSetup).Name; (Get-Command Get-Service).Source; "
                + "(Get-Command msiexec).Path"))
                .isEqualTo("15.01.2176.002\n15.01.2176.002\nC:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\ExSetup.exe\n"
                        + "Application\nExSetup.exe\nMicrosoft.PowerShell.Management\nC:\\Windows\\System32\\msiexec.exe\n");
        ScriptResult missing = run("Get-Command Nope.exe");
        assertThat(missing.stderr()).startsWith("Get-Command : The term 'Nope.exe' is not recognized")
                .contains("CommandNotFoundException,Microsoft.PowerShell.Commands.GetCommandCommand");
    }

    @Test
    void whoami_shows_the_high_label_in_an_elevated_session_and_the_medium_one_when_uac_filters_the_token() {
        String check = "[bool](whoami /groups | Select-String -SimpleMatch 'S-1-16-12288')";
        assertThat(out(check)).isEqualTo("True\n");
        ExchangeServer filtered = ExchangeServer.create("lab-ex02", new ServerSpec("2016", "CU19", List.of(), Set.of("non-elevated")));
        ScriptResult r = new PowerShell(filtered, CLOCK).run(check + "; whoami /groups | Select-String 'Mandatory Level'");
        assertThat(r.stdout().replace("\r\n", "\n")).startsWith("False\n").contains("Medium Mandatory Level").contains("S-1-16-8192");
    }

    @Test
    void get_exchange_server_reports_the_cu_level_version() {
        run("msiexec /update C:\\Patches\\Exchange2016-KB5000871-x64-en.msp /quiet /norestart");

        assertThat(out("$s = Get-ExchangeServer -Identity $env:COMPUTERNAME; $s.Name; $s.Edition; $s.AdminDisplayVersion; "
                + "(Get-ExchangeServer lab-ex01.contoso.local).ServerRole"))
                .isEqualTo("LAB-EX01\nStandard\nVersion 15.1 (Build 2176.2)\nMailbox\n");
        assertThat(run("Get-ExchangeServer EX99").stderr())
                .startsWith("Get-ExchangeServer : The operation couldn't be performed because object 'EX99' couldn't be found");
    }

    @Test
    void msiexec_run_directly_installs_and_sets_lastexitcode() {
        assertThat(out("msiexec /update \"C:\\Patches\\Exchange2016-KB5000871-x64-en.msp\" /quiet /norestart; $LASTEXITCODE"))
                .isEqualTo("3010\n");
        assertThat(server.build()).hasToString("15.1.2176.9");
        assertThat(out("(Get-ItemProperty 'HKLM:\\SOFTWARE\\Microsoft\\Updates\\Exchange 2016\\KB5000871').InstalledDate"))
                .isEqualTo("3/4/2021\n");
    }

    @Test
    void start_process_passes_its_argument_list_joined_by_spaces() {
        assertThat(out("$p = Start-Process -FilePath msiexec.exe -ArgumentList @('/update', "
                + "'\"C:\\Patches\\Exchange2019-KB5000871-x64-en.msp\"', '/quiet') -Wait -PassThru; $p.ExitCode"))
                .as("the 2019 package on a 2016 server").isEqualTo("1642\n");
        assertThat(out("$p = Start-Process msiexec.exe -ArgumentList '/update', 'C:\\Patches\\Exchange2016-KB5000871-x64-en.msp'"
                + " -PassThru; $p.HasExited; $p.ExitCode -eq $null"))
                .as("without -Wait the exit code is not known").isEqualTo("False\nTrue\n");
    }

    @Test
    void registry_keys_of_the_exchange_setup_read_as_on_a_server() {
        assertThat(out("$k = Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup'; $k.MsiInstallPath; "
                + "$k.MsiProductMajor; $k.MsiBuildMajor; $k.PSChildName; "
                + "Test-Path 'HKLM:\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup'; "
                + "Test-Path 'HKLM:\\SOFTWARE\\Microsoft\\Updates\\Exchange 2016\\KB5000871'; "
                + "Get-ItemPropertyValue 'HKLM:\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup' -Name MsiBuildMinor"))
                .isEqualTo("C:\\Program Files\\Microsoft\\Exchange Server\\V15\\\n15\n2176\nSetup\nTrue\nFalse\n2\n");
        assertThat(run("Get-ItemProperty 'HKLM:\\SOFTWARE\\Nope'").stderr())
                .startsWith("Get-ItemProperty : Cannot find path 'HKLM:\\SOFTWARE\\Nope' because it does not exist.");
    }

    @Test
    void get_hotfix_lists_windows_updates_only_as_on_a_real_server() {
        run("msiexec /update C:\\Patches\\Exchange2016-KB5000871-x64-en.msp /quiet");

        assertThat(out("(Get-HotFix).HotFixID -join ','")).isEqualTo("KB4598480,KB5000803\n");
        assertThat(run("Get-HotFix -Id KB5000871").stderr())
                .as("an Exchange security update is not a Windows hotfix")
                .contains("Cannot find the requested hotfix on the 'localhost' computer.");
    }

    @Test
    void services_stop_start_and_change_start_type() {
        ScriptResult r = run("Stop-Service MSExchangeUM, MSExchangeUMCR\nSet-Service MSExchangeUM -StartupType Disabled\n"
                + "Start-Service MSExchangeUM\n(Get-Service MSExchangeUM*).Status -join ','");

        assertThat(r.stdout()).isEqualTo("Stopped,Stopped\r\n");
        assertThat(r.stderr()).startsWith("Start-Service : Service 'Microsoft Exchange Unified Messaging (MSExchangeUM)' "
                + "cannot be started due to the following error: Cannot start service MSExchangeUM on computer '.'.");
        assertThat(server.service("MSExchangeUM").orElseThrow().startType()).isEqualTo(WindowsService.StartType.Disabled);
        assertThat(out("Start-Service MSExchangeUMCR -PassThru | ForEach-Object { $_.Status }")).isEqualTo("Running\n");
    }

    @Test
    void what_if_describes_and_changes_nothing() {
        assertThat(out("Stop-Service W3SVC -WhatIf")).isEqualTo("What if: Performing the operation \"Stop-Service\" on "
                + "target \"World Wide Web Publishing Service (W3SVC)\".\n");
        assertThat(server.service("W3SVC").orElseThrow().status()).isEqualTo(WindowsService.Status.Running);
    }

    @Test
    void firewall_rules_are_made_found_disabled_and_removed() {
        assertThat(out("New-NetFirewallRule -DisplayName 'Block web' -Direction Inbound -Protocol TCP -LocalPort 80,443 "
                + "-Action Block | Out-Null; (Get-NetFirewallRule -DisplayName 'Block*').Action"))
                .isEqualTo("Block\n");
        assertThat(server.isIsolated()).isTrue();
        assertThat(out("Get-NetFirewallRule -DisplayName 'Block web' | Get-NetFirewallPortFilter | ForEach-Object { "
                + "$_.Protocol + ' ' + ($_.LocalPort -join ',') }")).isEqualTo("TCP 80,443\n");

        out("Get-NetFirewallRule -DisplayName 'Block web' | Disable-NetFirewallRule");
        assertThat(server.isIsolated()).as("a disabled rule blocks nothing").isFalse();

        out("Remove-NetFirewallRule -DisplayName 'Block web'");
        assertThat(server.firewallRules()).extracting(FirewallRule::displayName).doesNotContain("Block web");
        assertThat(run("Get-NetFirewallRule -DisplayName 'Block web'").stderr()).startsWith(
                "Get-NetFirewallRule : No MSFT_NetFirewallRule objects found with property 'DisplayName' equal to "
                        + "'Block web'.  Verify the value of the property and retry.")
                .contains("ObjectNotFound: (Block web:String) [Get-NetFirewallRule], CimJobException")
                .contains("CmdletizationQuery_NotFound_DisplayName,Get-NetFirewallRule");
    }

    @Test
    void a_firewall_rule_object_has_no_port_as_on_windows() {
        assertThat(out("(Get-NetFirewallRule -DisplayName 'World Wide Web Services (HTTPS Traffic-In)').LocalPort -eq $null"))
                .isEqualTo("True\n");
    }

    @Test
    void restart_computer_needs_force_and_then_clears_the_pending_reboot() {
        run("msiexec /update C:\\Patches\\Exchange2016-KB5000871-x64-en.msp /quiet /norestart");
        server.setServiceStatus("MSExchangeIS", WindowsService.Status.Stopped);

        ScriptResult refused = run("Restart-Computer");
        assertThat(refused.stderr()).contains("The system shutdown cannot be initiated because there are other users logged on");
        assertThat(server.pendingReboot()).isTrue();

        assertThat(run("Restart-Computer -Force").exitCode()).isZero();
        assertThat(server.pendingReboot()).isFalse();
        assertThat(server.rebootCount()).isEqualTo(1);
        assertThat(run("(Get-Service MSExchangeIS).Status").stdout()).isEqualTo("StartPending\r\n");
        run("Start-Sleep -Seconds 90");
        assertThat(server.service("MSExchangeIS").orElseThrow().status()).as("running after 90 simulated seconds")
                .isEqualTo(WindowsService.Status.Running);
    }

    @Test
    void get_child_item_lists_recurses_filters_and_reports_a_missing_path() {
        assertThat(out("Get-ChildItem C:\\Patches -Filter '*.msp' | ForEach-Object { $_.Name + ' ' + $_.Length }"))
                .as("the signed package's length").isEqualTo("Exchange2013-KB5000871-x64-en.msp 245\nExchange2016-KB5000871-x64-en.msp 245\n"
                        + "Exchange2019-KB5000871-x64-en.msp 245\n");
        assertThat(out("Get-ChildItem C:\\inetpub -Recurse -File | ForEach-Object { $_.FullName }"))
                .isEqualTo("C:\\inetpub\\logs\\LogFiles\\W3SVC1\\u_ex210303.log\nC:\\inetpub\\wwwroot\\iisstart.htm\n"
                        + "C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\zxvt0lpt.aspx\n");
        assertThat(out("(Get-ChildItem 'C:\\inetpub\\wwwroot\\aspnet_client' -Recurse -Directory).Name -join ','"))
                .isEqualTo("system_web,4_0_30319\n");
        assertThat(out("Get-ChildItem C:\\Patches\\*2019*.msp | ForEach-Object { \"$_\" }; Get-ChildItem C:\\root -Name"))
                .isEqualTo("Exchange2019-KB5000871-x64-en.msp\nlsass.dmp\n");
        assertThat(out("(Get-ChildItem C:\\root\\lsass.dmp).LastWriteTime.Year")).isEqualTo("2021\n");
        assertThat(run("Get-ChildItem C:\\nope").stderr()).startsWith("Get-ChildItem : Cannot find path 'C:\\nope'");
        assertThat(out("Get-ChildItem C:\\inetpub -Include *.aspx | Measure-Object | % Count"))
                .as("5.1 applies -Include to the folder itself without -Recurse").isEqualTo("0\n");
    }

    @Test
    void select_string_searches_file_objects_and_strings() {
        assertThat(out("Get-ChildItem 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd' -Recurse -File | "
                + "Select-String -Pattern 'eval\\(Request' -List | ForEach-Object { \"$($_.Path) $($_.LineNumber)\" }"))
                .isEqualTo("C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\errorEE.aspx 9\n");
        assertThat(out("'alpha','beta' | Select-String -SimpleMatch 'ET' | ForEach-Object { $_.Line + ' ' + $_.Path }"))
                .isEqualTo("beta InputStream\n");
        assertThat(out("Select-String -Path C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\*.aspx -Pattern 'unsafe' -Quiet"))
                .isEqualTo("True\n");
        assertThat(run("'x' | Select-String -Pattern '('").stderr()).contains("is not a valid regular expression");
    }

    @Test
    void test_path_and_join_path_work_on_the_disk_and_the_registry() {
        assertThat(out("Test-Path C:\\Patches; Test-Path C:\\Patches -PathType Leaf; Test-Path 'C:\\nope'; "
                + "Test-Path 'Q:\\x'; Test-Path \\\\server\\share; Test-Path C:\\Patches\\*.msp; "
                + "Join-Path $env:ExchangeInstallPath 'FrontEnd\\HttpProxy\\owa\\auth'; Join-Path 'C:\\a\\' '\\b'; "
                + "Join-Path C:\\ x"))
                .isEqualTo("True\nFalse\nFalse\nFalse\nFalse\nTrue\n"
                        + "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\nC:\\a\\b\nC:\\x\n");
        assertThat(run("Join-Path Q:\\x y").stderr())
                .startsWith("Join-Path : Cannot find drive. A drive with the name 'Q' does not exist.");
    }

    @Test
    void files_can_be_read_quarantined_and_removed() {
        String shell = "C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\zxvt0lpt.aspx";
        assertThat(out("(Get-Content " + shell + ").Length -gt 10; (Get-Content C:\\Patches\\Exchange2016-KB5000871-x64-en.msp -TotalCount 1)"))
                .isEqualTo("True\nWindows Installer patch KB5000871 for Microsoft Exchange Server 2016\n");

        out("New-Item -ItemType Directory C:\\Quarantine | Out-Null; Move-Item " + shell + " C:\\Quarantine\\; "
                + "Remove-Item C:\\root\\lsass.dmp; Set-Content C:\\Quarantine\\note.txt 'moved by Antidote'");

        assertThat(server.webshellPaths()).containsExactlyInAnyOrder("C:\\Quarantine\\zxvt0lpt.aspx",
                "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\errorEE.aspx");
        assertThat(server.dumpPaths()).isEmpty();
        assertThat(out("Get-Content C:\\Quarantine\\note.txt")).isEqualTo("moved by Antidote\n");
        assertThat(run("Remove-Item C:\\Quarantine").stderr()).contains("cannot be removed because it is not empty");
    }

    @Test
    void the_exchange_snap_in_loads_and_unknown_ones_do_not() {
        assertThat(run("Add-PSSnapin Microsoft.Exchange.Management.PowerShell.SnapIn; Get-ExchangeServer | % Name").stdout())
                .isEqualTo("LAB-EX01\r\n");
        assertThat(run("Add-PSSnapin Nope").stderr()).contains("The Windows PowerShell snap-in 'Nope' is not installed");
    }
}
