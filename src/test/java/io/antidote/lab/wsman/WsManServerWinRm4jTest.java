package io.antidote.lab.wsman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudsoft.winrm4j.client.WinRmClientContext;
import io.cloudsoft.winrm4j.winrm.WinRmTool;
import io.cloudsoft.winrm4j.winrm.WinRmToolResponse;
import io.vertx.core.Vertx;
import java.nio.charset.Charset;
import java.util.function.Function;
import org.apache.http.client.config.AuthSchemes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The real WinRM4j 0.12.3 client, as the engine uses it, against a lab host: if it cannot tell
 * the lab from Windows here, playbooks rehearsed on the lab run the same way in production.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WsManServerWinRm4jTest {

    private static Vertx vertx;
    private static WinRmClientContext winRmContext;
    private RunningLabHost host;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        winRmContext = WinRmClientContext.newInstance();
    }

    @AfterAll
    static void stop() {
        winRmContext.shutdown();
        RunningLabHost.await(vertx.close());
    }

    @AfterEach
    void stopHost() {
        if (host != null) {
            host.close();
        }
    }

    private WinRmTool startHostAndConnect(Function<String, CommandOutput> behaviour) {
        host = RunningLabHost.start(vertx, behaviour);
        return connect("password");
    }

    private WinRmTool connect(String password) {
        return WinRmTool.Builder.builder("127.0.0.1", null, "lab", password)
                .authenticationScheme(AuthSchemes.BASIC)
                .port(host.port)
                .useHttps(false)
                .context(winRmContext)
                .build();
    }

    @Test
    void a_powershell_script_round_trips_its_stdout_stderr_and_exit_code() {
        WinRmTool tool = startHostAndConnect(line -> {
            String script = RunningLabHost.script(line);
            if (script.equals("Write-Output hello")) {
                return new CommandOutput("hello\r\n", "", 0);
            }
            if (script.equals("Get-ExchangeServer; exit 3")) {
                return new CommandOutput("Name    : LAB-EX01\r\n", "WARNING: degraded\r\n", 3);
            }
            return new CommandOutput("", "unexpected script: " + script, 99);
        });

        WinRmToolResponse hello = tool.executePs("Write-Output hello");
        assertThat(hello.getStdOut()).as("stdout of Write-Output").isEqualTo("hello\r\n");
        assertThat(hello.getStdErr()).as("stderr of a clean script").isEmpty();
        assertThat(hello.getStatusCode()).as("exit code of a clean script").isZero();

        WinRmToolResponse failing = tool.executePs("Get-ExchangeServer; exit 3");
        assertThat(failing.getStdOut()).isEqualTo("Name    : LAB-EX01\r\n");
        assertThat(failing.getStdErr()).isEqualTo("WARNING: degraded\r\n");
        assertThat(failing.getStatusCode()).as("a non-zero exit code").isEqualTo(3);
    }

    @Test
    void a_negative_exit_code_survives_the_unsigned_dword_on_the_wire() {
        WinRmTool tool = startHostAndConnect(line -> new CommandOutput("", "", -1));
        assertThat(tool.executePs("exit -1").getStatusCode()).isEqualTo(-1);
    }

    @Test
    void output_larger_than_one_envelope_arrives_complete_across_several_receives() {
        StringBuilder listing = new StringBuilder();
        for (int line = 0; listing.length() < 400_000; line++) {
            listing.append(String.format("C:\\inetpub\\wwwroot\\aspnet_client\\file%06d.aspx    1024\r\n", line));
        }
        String output = listing.toString();
        WinRmTool tool = startHostAndConnect(line -> new CommandOutput(output, "", 0));

        WinRmToolResponse response = tool.executePs("Get-ChildItem -Recurse C:\\inetpub");

        assertThat(response.getStdOut()).as("the whole listing, in order").isEqualTo(output);
        assertThat(response.getNumberOfReceiveCalls()).as("Receives needed for 400 KB in 150 KB envelopes")
                .isGreaterThanOrEqualTo(4);
    }

    @Test
    void a_command_outlasting_the_operation_timeout_completes_after_timed_out_receives() {
        WinRmTool tool = startHostAndConnect(line -> {
            simulateWork(2_500);
            return new CommandOutput("Update installed\r\n", "", 0);
        });
        tool.setOperationTimeout(1_000L);

        WinRmToolResponse response = tool.executePs("Install-ExchangeUpdate");

        assertThat(response.getStdOut()).isEqualTo("Update installed\r\n");
        assertThat(response.getStatusCode()).isZero();
        assertThat(response.getNumberOfReceiveCalls())
                .as("WinRM4j received again after each TimedOut fault").isGreaterThanOrEqualTo(3);
    }

    /**
     * With Basic, CXF never caches the request, so it cannot retransmit after a 401 and never
     * detects the "authorization loop" that WinRM4j turns into "Invalid credentials or
     * incompatible authentication schemes": it reports the 401 itself, as an I/O failure that
     * WinRM4j retries (5 s apart). Zero retries keep this test fast.
     */
    @Test
    void a_wrong_password_fails_winrm4j_with_http_401_before_anything_runs() {
        startHostAndConnect(line -> new CommandOutput("should not run", "", 0));
        WinRmTool wrong = connect("not-the-password");
        wrong.setRetriesForConnectionFailures(0);

        assertThatThrownBy(() -> wrong.executePs("Write-Output hello"))
                .hasMessageContaining("failed task \"create\"")
                .hasStackTraceContaining("HTTP response '401: Unauthorized'");
        assertThat(host.commandLines).as("nothing ran for a rejected client").isEmpty();
    }

    @Test
    void a_command_line_over_8191_characters_fails_as_cmd_does() {
        WinRmTool tool = startHostAndConnect(line -> new CommandOutput("ran\r\n", "", 0));

        WinRmToolResponse longest = tool.executeCommand("echo " + "x".repeat(8191 - 5));
        assertThat(longest.getStdOut()).as("8191 characters is still allowed").isEqualTo("ran\r\n");

        WinRmToolResponse tooLong = tool.executeCommand("echo " + "x".repeat(8192 - 5));
        assertThat(tooLong.getStatusCode()).isEqualTo(1);
        assertThat(tooLong.getStdErr()).isEqualTo("The command line is too long.\r\n");
        assertThat(tooLong.getStdOut()).isEmpty();

        WinRmToolResponse longScript = tool.executePs("Write-Output '" + "y".repeat(3_500) + "'");
        assertThat(longScript.getStdErr())
                .as("a 3,500-character script is too long once UTF-16 and base64 have expanded it")
                .isEqualTo("The command line is too long.\r\n");
        assertThat(host.commandLines).as("only the command within the limit reached the host").hasSize(1);
    }

    @Test
    void non_ascii_output_reaches_winrm4j_as_a_code_page_437_windows_host_sends_it() {
        WinRmTool tool = startHostAndConnect(line -> new CommandOutput("Grüße ✓\r\n", "", 0));

        WinRmToolResponse response = tool.executePs("Write-Output 'Grüße ✓'");

        // WinRM4j asks for code page 437 and decodes each chunk with the JVM's default charset,
        // so what it shows is exactly the IBM437 bytes read that way, with '?' for the check mark.
        byte[] ibm437 = {'G', 'r', (byte) 0x81, (byte) 0xE1, 'e', ' ', '?', '\r', '\n'};
        assertThat(response.getStdOut()).isEqualTo(new String(ibm437, Charset.defaultCharset()));
    }

    /** Stands for a long-running command inside the fake host; the test itself never sleeps. */
    private static void simulateWork(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
