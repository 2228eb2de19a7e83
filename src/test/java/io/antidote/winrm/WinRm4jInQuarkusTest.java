package io.antidote.winrm;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * WinRM4j (CXF 3.3 on javax JAXB/JAX-WS) works inside the Quarkus application beside the Jakarta
 * artifacts the BOM manages: a real executePs against a lab host. The packaged jar is checked by
 * {@code RemediationIT}, since this class path hides gaps the packaged one has.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WinRm4jInQuarkusTest {

    @Inject
    RemoteShell shell;

    @Inject
    Inventory inventory;

    @Test
    void execute_ps_runs_powershell_on_a_lab_host_and_returns_its_output() {
        Target ex01 = inventory.find("lab-ex01").orElseThrow();
        ScriptResult result = shell.runPowerShell(ex01,
                "(Get-Command ExSetup.exe).FileVersionInfo.FileVersion");
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout().trim()).isEqualTo("15.01.2176.002");
    }

    @Test
    void lab_targets_speak_ntlm_with_message_encryption_over_plain_http_as_windows_does_by_default() {
        Target ex01 = inventory.find("lab-ex01").orElseThrow();
        assertThat(ex01.auth()).as("authentication of a lab target").isEqualTo(Target.AuthScheme.NTLM);
        assertThat(ex01.scheme()).as("scheme of a lab target").isEqualTo(Target.Scheme.HTTP);
        assertThat(shell.runPowerShell(ex01, "Write-Output sealed").stdout()).isEqualTo("sealed\r\n");
    }

    @Test
    void a_failing_script_reports_its_exit_code_and_error_stream() {
        Target ex01 = inventory.find("lab-ex01").orElseThrow();
        ScriptResult result = shell.runPowerShell(ex01, "Get-Frobnicator");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("Get-Frobnicator").contains("is not recognized");
    }

    @Test
    void a_closed_port_is_a_transport_failure_that_names_the_target_and_no_secret() {
        Target closed = new Target("closed", "127.0.0.1", 1, Target.Scheme.HTTP, Target.AuthScheme.BASIC, "lab",
                java.util.Map.of());
        assertThatThrownBy(() -> shell.runPowerShell(closed, "Write-Output hi"))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("'closed'")
                .hasMessageNotContaining("Lab-Passw0rd!");
    }

    @Test
    void a_password_the_host_echoes_back_is_masked_before_anyone_sees_it() {
        Target ex01 = inventory.find("lab-ex01").orElseThrow();
        ScriptResult result = shell.runPowerShell(ex01, "Write-Output 'Lab-Passw0rd!'; Write-Error 'Lab-Passw0rd!'");
        assertThat(result.stdout()).doesNotContain("Lab-Passw0rd!").contains("***");
        assertThat(result.stderr()).doesNotContain("Lab-Passw0rd!");
    }
}
