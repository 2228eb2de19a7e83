package io.antidote.lab.wsman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudsoft.winrm4j.client.PayloadEncryptionMode;
import io.cloudsoft.winrm4j.client.WinRmClientContext;
import io.cloudsoft.winrm4j.winrm.WinRmTool;
import io.cloudsoft.winrm4j.winrm.WinRmToolResponse;
import io.vertx.core.Vertx;
import java.util.function.Function;
import org.apache.http.client.config.AuthSchemes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * WinRM4j 0.12.3 in its default mode (NTLM, sent as Negotiate, with the SOAP body sealed after the
 * handshake) against a lab host over plain HTTP, as it would talk to a Windows host left at
 * Windows' defaults. The host accepts NTLM only and refuses unencrypted NTLM bodies, so every
 * command that succeeds here went through the encryption.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WsManServerNtlmWinRm4jTest {

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

    private static final WsManOptions NTLM_ONLY = WsManOptions.labDefaults()
            .withAuthentication(WsManOptions.Authentication.NTLM);

    private WinRmTool startHostAndConnect(Function<String, CommandOutput> behaviour) {
        host = RunningLabHost.start(vertx, behaviour, NTLM_ONLY);
        return connect("password", null);
    }

    private WinRmTool connect(String password, PayloadEncryptionMode mode) {
        WinRmTool.Builder builder = WinRmTool.Builder.builder("127.0.0.1", null, "lab", password)
                .authenticationScheme(AuthSchemes.NTLM)
                .port(host.port)
                .useHttps(false)
                .context(winRmContext);
        if (mode != null) {
            builder.payloadEncryptionMode(mode);
        }
        return builder.build();
    }

    @Test
    void a_script_round_trips_its_stdout_stderr_and_exit_code_through_encryption() {
        WinRmTool tool = startHostAndConnect(line -> {
            String script = RunningLabHost.script(line);
            if (script.equals("Write-Output hello")) {
                return new CommandOutput("hello\r\n", "", 0);
            }
            return new CommandOutput("Name    : LAB-EX01\r\n", "WARNING: degraded\r\n", 3);
        });

        WinRmToolResponse hello = tool.executePs("Write-Output hello");
        assertThat(hello.getStdOut()).isEqualTo("hello\r\n");
        assertThat(hello.getStdErr()).isEmpty();
        assertThat(hello.getStatusCode()).isZero();

        WinRmToolResponse failing = tool.executePs("Get-ExchangeServer; exit 3");
        assertThat(failing.getStdOut()).isEqualTo("Name    : LAB-EX01\r\n");
        assertThat(failing.getStdErr()).isEqualTo("WARNING: degraded\r\n");
        assertThat(failing.getStatusCode()).isEqualTo(3);
    }

    @Test
    void the_required_encryption_mode_and_the_lab_domain_work_too() {
        host = RunningLabHost.start(vertx, line -> new CommandOutput("ok\r\n", "", 0), NTLM_ONLY);
        WinRmTool tool = WinRmTool.Builder.builder("127.0.0.1", "LAB", "lab", "password")
                .authenticationScheme(AuthSchemes.NTLM)
                .payloadEncryptionMode(PayloadEncryptionMode.REQUIRED)
                .port(host.port)
                .useHttps(false)
                .context(winRmContext)
                .build();

        for (int i = 0; i < 3; i++) {
            assertThat(tool.executePs("Write-Output ok").getStdOut()).as("command %s", i).isEqualTo("ok\r\n");
        }
        assertThat(host.commandLines).hasSize(3);
    }

    @Test
    void output_larger_than_one_envelope_arrives_complete_across_several_sealed_receives() {
        StringBuilder listing = new StringBuilder();
        for (int line = 0; listing.length() < 400_000; line++) {
            listing.append(String.format("C:\\inetpub\\wwwroot\\aspnet_client\\file%06d.aspx    1024\r\n", line));
        }
        String output = listing.toString();
        WinRmTool tool = startHostAndConnect(line -> new CommandOutput(output, "", 0));

        WinRmToolResponse response = tool.executePs("Get-ChildItem -Recurse C:\\inetpub");

        assertThat(response.getStdOut()).as("the whole listing, in order").isEqualTo(output);
        assertThat(response.getNumberOfReceiveCalls()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void a_command_outlasting_the_operation_timeout_completes_after_sealed_timed_out_faults() {
        WinRmTool tool = startHostAndConnect(line -> {
            simulateWork(2_500);
            return new CommandOutput("Update installed\r\n", "", 0);
        });
        tool.setOperationTimeout(1_000L);

        WinRmToolResponse response = tool.executePs("Install-ExchangeUpdate");

        assertThat(response.getStdOut()).isEqualTo("Update installed\r\n");
        assertThat(response.getNumberOfReceiveCalls())
                .as("WinRM4j decrypted each TimedOut fault and received again").isGreaterThanOrEqualTo(3);
    }

    @Test
    void several_tools_and_many_commands_share_the_host_each_on_its_own_ntlm_session() {
        WinRmTool first = startHostAndConnect(line -> new CommandOutput(RunningLabHost.script(line) + "\r\n", "", 0));
        WinRmTool second = connect("password", PayloadEncryptionMode.REQUIRED);
        for (int i = 0; i < 4; i++) {
            assertThat(first.executePs("first " + i).getStdOut()).isEqualTo("first " + i + "\r\n");
            assertThat(second.executePs("second " + i).getStdOut()).isEqualTo("second " + i + "\r\n");
        }
    }

    /**
     * The AUTHENTICATE is refused with an empty 401 and the connection closed; WinRM4j tries the
     * handshake once more, CXF detects the "authorization loop" and WinRM4j reports it as Windows'
     * refusal reads. (After the first refusal WinRM4j sends a request declaring a body it never
     * writes: the host answers it after a one-second grace, which is what this test waits for.)
     */
    @Test
    void a_wrong_password_fails_winrm4j_as_invalid_credentials_before_anything_runs() {
        startHostAndConnect(line -> new CommandOutput("should not run", "", 0));
        WinRmTool wrong = connect("not-the-password", null);
        wrong.setRetriesForConnectionFailures(0);

        assertThatThrownBy(() -> wrong.executePs("Write-Output hello"))
                .hasMessage("Invalid credentials or incompatible authentication schemes")
                .hasStackTraceContaining("Authorization loop detected");
        assertThat(host.commandLines).as("nothing ran for a rejected client").isEmpty();
    }

    @Test
    void winrm4j_with_encryption_off_is_refused_by_a_host_that_requires_it_and_served_by_one_that_allows_it() {
        host = RunningLabHost.start(vertx, line -> new CommandOutput("plain\r\n", "", 0), NTLM_ONLY);
        WinRmTool plain = connect("password", PayloadEncryptionMode.OFF);
        plain.setRetriesForConnectionFailures(0);
        assertThatThrownBy(() -> plain.executePs("Write-Output plain"))
                .as("AllowUnencrypted=false").hasStackTraceContaining("400");
        host.close();

        host = RunningLabHost.start(vertx, line -> new CommandOutput("plain\r\n", "", 0),
                NTLM_ONLY.withUnencryptedNtlmAllowed(true));
        assertThat(connect("password", PayloadEncryptionMode.OFF).executePs("Write-Output plain").getStdOut())
                .as("AllowUnencrypted=true").isEqualTo("plain\r\n");
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
