package io.antidote.lab.wsman;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way our clients (WinRM4j, pywinrm, Ansible) and people spell an encoded PowerShell command. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EncodedCommandTest {

    private static final String SCRIPT = "Get-ExchangeServer | Format-List Name, AdminDisplayVersion\n'Grüße ✓'";
    private static final String B64 = Base64.getEncoder().encodeToString(SCRIPT.getBytes(StandardCharsets.UTF_16LE));

    @Test
    void the_captured_winrm4j_and_pywinrm_command_decodes_to_its_script() {
        assertThat(EncodedCommand.decode(Samples.CAPTURED_COMMAND)).hasValue("Write-Output hello");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "powershell -encodedcommand %s",
        "powershell -EncodedCommand %s",
        "PowerShell.exe -ENC %s",
        "powershell -e %s",
        "powershell -ec %s",
        "powershell /enc %s",
        "PowerShell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand %s",
        "powershell -nop -noni -ep Bypass -WindowStyle Hidden -enc %s",
        "powershell.exe -Version 5.1 -InputFormat None -OutputFormat Text -e %s",
        "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -EncodedCommand %s",
        "\"C:\\Program Files\\PowerShell\\7\\pwsh.exe\" -NoLogo -EncodedCommand %s",
        "  powershell   -encodedcommand   %s  ",
    })
    void an_encoded_command_is_decoded_however_it_is_spelled(String template) {
        assertThat(EncodedCommand.decode(template.formatted(B64))).as(template).hasValue(SCRIPT);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ipconfig /all",
        "cmd /c powershell -encodedcommand %s",
        "powershell -Command Get-Date",
        "powershell -c Get-Date -enc %s",
        "powershell -File script.ps1 -enc %s",
        "powershell Get-Date",
        "powershell -ExecutionPolicy -enc",
        "powershell -encodedcommand",
        "powershell -encodedcommand not*base64",
        "",
    })
    void anything_else_is_not_an_encoded_command(String template) {
        assertThat(EncodedCommand.decode(template.formatted(B64))).as(template).isEmpty();
    }

    @Test
    void the_value_of_execution_policy_is_not_mistaken_for_a_parameter() {
        // "-e" after -ExecutionPolicy is that parameter's value here, not EncodedCommand.
        assertThat(EncodedCommand.decode("powershell -ExecutionPolicy -e -enc " + B64)).hasValue(SCRIPT);
    }

    @Test
    void a_null_command_line_is_not_an_encoded_command() {
        assertThat(EncodedCommand.decode(null)).isEmpty();
    }
}
