package io.antidote.winrm;

import io.antidote.lab.CommandLog;
import io.antidote.lab.LabHost;
import io.antidote.lab.exchange.ExchangeServer;
import io.antidote.lab.exchange.ServerSpec;
import io.antidote.lab.wsman.WsManOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A script's standard input goes to the host as WS-Management Send, over real WinRM4j (which has no Send of
 * its own) against a lab host, sealed with NTLM and in the clear with Basic: the script reads it as $input,
 * and the host's command log, which shows what came on the command line, never shows it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StandardInputTest {

    enum Auth {
        BASIC(WsManOptions.Authentication.BASIC, Target.AuthScheme.BASIC),
        NTLM(WsManOptions.Authentication.NTLM, Target.AuthScheme.NTLM);

        final WsManOptions.Authentication lab;
        final Target.AuthScheme client;

        Auth(WsManOptions.Authentication lab, Target.AuthScheme client) {
            this.lab = lab;
            this.client = client;
        }
    }

    private static final String INPUT = "first line\r\nS3cr3t-Input-Line-" + System.nanoTime() + "\r\n";

    private final LabTargets lab = new LabTargets();
    private WinRm4jShell shell;

    @AfterEach
    void stop() {
        if (shell != null) {
            shell.close();
        }
        lab.close();
    }

    private Target start(String name, LabHost host, Auth auth) {
        return lab.start(name, host, WsManOptions.labDefaults().withAuthentication(auth.lab), Target.Scheme.HTTP,
                auth.client).target();
    }

    private static LabHost exchange(String name, LabTargets lab) {
        return new LabHost(ExchangeServer.create(name, new ServerSpec("2016", "CU19", List.of(), Set.of())), lab.vertx);
    }

    @ParameterizedTest
    @EnumSource(Auth.class)
    void a_script_reads_its_input_and_the_session_goes_on_serving_plain_commands(Auth auth) {
        LabHost host = exchange("ex-stdin", lab);
        Target target = start("ex-stdin", host, auth);
        shell = new WinRm4jShell(LabTargets.CREDENTIALS, WinRmSettings.defaults(), Clock.systemUTC());

        ScriptResult result = shell.runPowerShell(target,
                "$lines = @($input)\n\"count=$($lines.Count)\"\n$lines[1]\n@($input).Count\nexit 4", INPUT,
                Duration.ofSeconds(30));

        assertThat(result.stderr()).isEmpty();
        assertThat(result.stdout()).as("the input, read once as an enumerator")
                .isEqualTo("count=2\r\n" + INPUT.lines().toList().get(1) + "\r\n0\r\n");
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(shell.runPowerShell(target, "'after'", Duration.ofSeconds(30)).stdout())
                .as("the same kept session, without input").isEqualTo("after\r\n");
        assertThat(shell.clientsOpened()).isEqualTo(1);
        assertThat(host.commands().entries()).extracting(CommandLog.Entry::script)
                .as("what the host logged of its commands").hasSize(2)
                .noneMatch(script -> script.contains("S3cr3t-Input-Line"));
    }

    @ParameterizedTest
    @EnumSource(value = Auth.class, names = "NTLM")
    void a_script_too_long_for_one_command_line_reads_its_input_too_and_no_file_holds_it(Auth auth) {
        LabHost host = exchange("ex-long", lab);
        Target target = start("ex-long", host, auth);
        shell = new WinRm4jShell(LabTargets.CREDENTIALS, WinRmSettings.defaults(), Clock.systemUTC());
        String script = "# " + "x".repeat(5000) + "\n$lines = @($input)\n$lines[1]";

        ScriptResult result = shell.runPowerShell(target, script, INPUT, Duration.ofSeconds(30));

        assertThat(result.stdout()).isEqualTo(INPUT.lines().toList().get(1) + "\r\n");
        assertThat(host.commands().entries()).extracting(CommandLog.Entry::script)
                .as("the pieces written to the file, the run, the clean-up")
                .hasSizeGreaterThan(3).noneMatch(logged -> logged.contains("S3cr3t-Input-Line"));
    }
}
