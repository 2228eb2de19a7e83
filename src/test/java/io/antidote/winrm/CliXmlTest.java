package io.antidote.winrm;

import io.antidote.lab.wsman.CliXmlStderr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PowerShell's error stream arrives as CLIXML, as {@code powershell.exe -EncodedCommand} sends it to a WinRM
 * client (and as lab hosts send it): the transport hands on the text a person reads, and stdout as it came.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CliXmlTest {

    private static final String ERROR_VIEW = "Get-Item : Cannot find path 'C:\\x_y' because it does not exist.\r\n"
            + "At line:1 char:1\r\n+ Get-Item C:\\x_y\r\n+ ~~~~~~~~~~~~~~~\r\n"
            + "    + CategoryInfo          : ObjectNotFound: (C:\\x_y:String) [Get-Item], ItemNotFoundException\r\n"
            + "    + FullyQualifiedErrorId : PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand\r\n \r\n";

    private final LabTargets lab = new LabTargets();
    private WinRm4jShell shell;

    @AfterEach
    void stop() {
        if (shell != null) {
            shell.close();
        }
        lab.close();
    }

    @Test
    void error_lines_come_out_of_their_s_elements_with_line_ends_unescaped_and_progress_records_left_out() {
        String clixml = "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
                + "<Obj S=\"progress\" RefId=\"0\"><TN RefId=\"0\"><T>System.Management.Automation.PSCustomObject</T>"
                + "<T>System.Object</T></TN><MS><I64 N=\"SourceId\">1</I64><PR N=\"Record\"><AV>Preparing modules for"
                + " first use.</AV><AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR>"
                + "</MS></Obj><S S=\"Error\">throw &lt;me&gt; &amp; _x005F_x0041_ stays_x000D__x000A_</S>"
                + "<S S=\"Error\">At line:1 char:1_x000D__x000A_</S></Objs>";

        assertThat(CliXml.decode(clixml)).isEqualTo("throw <me> & _x0041_ stays\r\nAt line:1 char:1\r\n");
    }

    @Test
    void text_that_is_not_clixml_or_does_not_parse_is_kept_as_it_came() {
        assertThat(CliXml.decode("'x' is not recognized\r\n")).isEqualTo("'x' is not recognized\r\n");
        assertThat(CliXml.decode("")).isEmpty();
        String cut = "#< CLIXML\r\n<Objs Version=\"1.1.0.1\"><S S=\"Error\">half";
        assertThat(CliXml.decode(cut)).isEqualTo(cut);
    }

    @Test
    void what_the_lab_encodes_decodes_to_the_same_text() {
        assertThat(CliXml.decode(CliXmlStderr.encode(ERROR_VIEW))).isEqualTo(ERROR_VIEW);
        assertThat(CliXmlStderr.encode("")).isEmpty();
    }

    @Test
    void a_lab_host_sends_a_powershell_error_as_clixml_and_the_transport_gives_the_error_view_and_plain_stdout() {
        var host = lab.exchange("ex-clixml");
        String script = "Write-Output 'before'; Get-Item C:\\x_y; Write-Output 'after'";
        StringWriter rawOut = new StringWriter();
        StringWriter rawErr = new StringWriter();
        WinRmSettings settings = WinRmSettings.defaults();
        TargetSession raw = TargetSession.open(host.target(), new Credential(LabTargets.USER, LabTargets.PASSWORD),
                settings, io.cloudsoft.winrm4j.client.WinRmClientContext.newInstance(),
                System.nanoTime() + Duration.ofSeconds(30).toNanos());
        try {
            raw.run(ScriptDelivery.encoded(script), rawOut, rawErr, System.nanoTime() + Duration.ofSeconds(30).toNanos());
        } finally {
            raw.close();
        }
        assertThat(rawErr.toString()).as("stderr on the wire").startsWith("#< CLIXML\r\n<Objs ")
                .contains("<S S=\"Error\">Get-Item : Cannot find path 'C:\\x_y' because it does not exist._x000D__x000A_</S>");
        assertThat(rawOut.toString()).as("stdout on the wire").isEqualTo("before\r\nafter\r\n");

        shell = new WinRm4jShell(LabTargets.CREDENTIALS, settings, Clock.systemUTC());
        ScriptResult result = shell.runPowerShell(host.target(), script);

        assertThat(result.stderr()).startsWith("Get-Item : Cannot find path 'C:\\x_y' because it does not exist.\r\n")
                .contains("FullyQualifiedErrorId : PathNotFound").doesNotContain("CLIXML").doesNotContain("_x000D_");
        assertThat(result.stdout()).isEqualTo("before\r\nafter\r\n");
    }
}
