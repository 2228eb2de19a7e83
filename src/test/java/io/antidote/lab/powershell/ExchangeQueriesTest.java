package io.antidote.lab.powershell;

import static org.assertj.core.api.Assertions.assertThat;

import io.antidote.lab.exchange.ExchangeServer;
import io.antidote.lab.exchange.ServerSpec;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The read-only queries admins type on an Exchange server, answered from the lab's model. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ExchangeQueriesTest {

    private static ScriptResult run(ExchangeServer s, String script) {
        return new PowerShell(s).run(script);
    }

    private static ExchangeServer server(List<String> compromise, String... faults) {
        return ExchangeServer.create("lab-ex01", new ServerSpec("2016", "CU19", compromise, Set.of(faults), "DAG01"));
    }

    @Test
    void server_component_states_are_listed_and_set_by_component() {
        ExchangeServer s = server(List.of());
        assertThat(run(s, "(Get-ServerComponentState -Identity LAB-EX01 -Component ServerWideOffline).State").stdout())
                .isEqualTo("Active\r\n");
        run(s, "Set-ServerComponentState LAB-EX01 -Component HubTransport -State Draining -Requester Maintenance");
        assertThat(s.componentStates()).containsEntry("HubTransport", "Draining");
        ScriptResult wrong = run(s, "Get-ServerComponentState -Identity LAB-EX99");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.stderr()).contains("couldn't be found");
    }

    @Test
    void the_um_event_of_cve_2021_26857_is_read_with_get_winevent_and_no_match_is_an_error_as_on_windows() {
        ExchangeServer compromised = server(List.of("log-26857"));
        assertThat(run(compromised, "(Get-WinEvent -FilterHashtable @{ LogName = 'Application'; "
                + "ProviderName = 'MSExchange Unified Messaging'; Level = 2 }).Message").stdout())
                .contains("System.InvalidCastException");
        ScriptResult none = run(server(List.of()), "Get-WinEvent -FilterHashtable @{ LogName = 'Application'; Level = 2 }");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.stderr()).contains("No events were found that match the specified selection criteria.")
                .contains("NoMatchingEventsFound,Microsoft.PowerShell.Commands.GetWinEventCommand");
    }

    @Test
    void owa_and_ecp_health_checks_answer_200_until_a_non_elevated_install_breaks_them() {
        ExchangeServer s = server(List.of(), "non-elevated-install");
        assertThat(run(s, "(Invoke-WebRequest -Uri 'https://localhost/owa/healthcheck.htm' -UseBasicParsing).StatusCode")
                .stdout()).isEqualTo("200\r\n");
        run(s, "msiexec /update C:\\Patches\\Exchange2016-KB5000871-x64-en.msp /quiet /norestart");
        ScriptResult broken = run(s, "Invoke-WebRequest -Uri 'https://localhost/ecp/healthcheck.htm' -UseBasicParsing");
        assertThat(broken.exitCode()).isEqualTo(1);
        assertThat(broken.stderr()).contains("The remote server returned an error: (500) Internal Server Error.")
                .contains("WebCmdletWebResponseException,Microsoft.PowerShell.Commands.InvokeWebRequestCommand");
        assertThat(s.webError("ecp")).hasValueSatisfying(m -> assertThat(m).contains("Microsoft.Exchange.Common"));
    }

    @Test
    void the_dag_and_its_copy_status_answer_for_a_member() {
        ExchangeServer s = server(List.of());
        assertThat(run(s, "(Get-DatabaseAvailabilityGroup).Name; (Get-MailboxDatabaseCopyStatus -Server LAB-EX01).Status;"
                + " (Get-ExchangeServer LAB-EX01).IsMemberOfCluster").stdout()).isEqualTo("DAG01\r\nHealthy\r\nYes\r\n");
    }

    @Test
    void app_pools_stop_and_start_and_ecp_answers_503_while_its_pool_is_down() {
        ExchangeServer s = server(List.of());
        run(s, "Import-Module WebAdministration; Stop-WebAppPool -Name MSExchangeECPAppPool");
        assertThat(run(s, "(Get-WebAppPoolState MSExchangeECPAppPool).Value").stdout()).isEqualTo("Stopped\r\n");
        assertThat(s.webStatus("ecp")).isEqualTo(503);
        assertThat(run(s, "Stop-WebAppPool -Name NoSuchPool").stderr()).contains("Cannot find path 'IIS:\\AppPools\\NoSuchPool'");
    }

    @Test
    void start_sleep_is_simulated_time_on_the_server() {
        ExchangeServer s = server(List.of());
        run(s, "Restart-Computer -Force");
        assertThat(run(s, "Start-Sleep -Seconds 30; (Get-Service MSExchangeIS).Status").stdout()).isEqualTo("StartPending\r\n");
        assertThat(run(s, "Start-Sleep 60; (Get-Service MSExchangeIS).Status").stdout()).isEqualTo("Running\r\n");
    }

    @Test
    void literal_path_is_its_own_parameter_set_and_an_unknown_cmdlet_is_not_recognized() {
        ExchangeServer s = server(List.of());
        assertThat(run(s, "Test-Path -LiteralPath 'C:\\Patches'").stdout()).isEqualTo("True\r\n");
        ScriptResult neither = run(s, "Test-Path -PathType Leaf");
        assertThat(neither.stderr()).contains("missing mandatory parameters: Path.");
        ScriptResult unknown = run(s, "Get-ProxyLogonStatus");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.stderr()).startsWith("Get-ProxyLogonStatus : The term 'Get-ProxyLogonStatus' is not recognized");
    }
}
