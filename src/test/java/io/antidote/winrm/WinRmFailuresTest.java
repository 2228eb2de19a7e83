package io.antidote.winrm;

import io.antidote.lab.wsman.CommandOutput;
import io.antidote.lab.wsman.WsManOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Each kind of transport failure, provoked by a real lab fault over real WinRM4j: what WinRM4j and CXF throw is
 * turned into the kind once, in the adapter, and the message says what happened in plain words. Not here: TLS.
 * WinRM4j's asynchronous HTTP client reports an untrusted certificate now as the handshake's SSLException and
 * now as a reply timeout (both seen against the lab), so no lab fault pins the Tls kind ({@code WinRmTlsTest}
 * asserts that the script never starts).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WinRmFailuresTest {

    private final LabTargets lab = new LabTargets();
    private final CountDownLatch release = new CountDownLatch(1);
    private WinRm4jShell shell;

    @AfterEach
    void stop() {
        release.countDown();
        if (shell != null) {
            shell.close();
        }
        lab.close();
    }

    private WinRm4jShell shell() {
        return shell(WinRmSettings.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(2)));
    }

    private WinRm4jShell shell(WinRmSettings settings) {
        if (shell == null) {
            shell = new WinRm4jShell(LabTargets.CREDENTIALS, settings, Clock.systemUTC());
        }
        return shell;
    }

    private TransportException failureOf(Target target, Duration timeout) {
        return catchThrowableOfType(() -> shell().runPowerShell(target, "Write-Output x", timeout), TransportException.class);
    }

    private TransportException failureOf(Target target) {
        return failureOf(target, Duration.ofSeconds(20));
    }

    @Test
    void a_host_refusing_connections_is_a_refused_connection_worth_a_later_attempt() {
        var host = lab.exchange("kf-refuse");
        host.faults().setRefuseConnections(true);

        TransportException e = failureOf(host.target());

        assertThat(e.failure()).isEqualTo(new TransportFailure.ConnectionRefused(false));
        assertThat(e.failure().retryable()).isTrue();
        assertThat(e).hasMessage("WinRM to 'kf-refuse' failed before the script started: connection refused");
    }

    @Test
    void an_address_that_does_not_resolve_is_an_unknown_host() {
        Target nowhere = new Target("kf-nowhere", "no-such-host.invalid", 5985, Target.Scheme.HTTP, Target.AuthScheme.NTLM,
                "lab", Map.of());

        TransportException e = failureOf(nowhere);

        assertThat(e.failure()).isEqualTo(new TransportFailure.UnknownHost("no-such-host.invalid"));
        assertThat(e).hasMessageEndingWith("unknown host 'no-such-host.invalid'");
    }

    @Test
    void a_host_dropping_every_connection_unanswered_is_a_lost_connection() {
        var host = lab.exchange("kf-reset");
        host.faults().setReset(true);

        // Long enough for the two tries even when this is the JVM's first CXF client (seconds to build).
        TransportException e = failureOf(host.target(), Duration.ofSeconds(90));

        assertThat(e.failure()).isEqualTo(new TransportFailure.ConnectionLost(false, false));
        assertThat(e.failure().retryable()).isTrue();
        assertThat(e).hasMessageEndingWith("failed before the script started: the host closed the connection without answering");
    }

    @Test
    void a_host_answering_500_with_an_empty_body_is_that_http_status_not_a_parse_error() {
        var host = lab.exchange("kf-500");
        host.faults().forceHttpStatus(500);

        TransportException e = failureOf(host.target());

        assertThat(e.failure()).isEqualTo(new TransportFailure.HttpStatus(500, false));
        assertThat(e.failure().retryable()).isFalse();
        assertThat(e).hasMessage("WinRM to 'kf-500' failed before the script started: host answered HTTP 500")
                .hasMessageNotContaining("EOF");
    }

    @Test
    void a_host_answering_503_is_that_http_status() {
        var host = lab.exchange("kf-503");
        host.faults().forceHttpStatus(503);

        assertThat(failureOf(host.target()).failure()).isEqualTo(new TransportFailure.HttpStatus(503, false));
    }

    @Test
    void a_host_refusing_every_logon_with_401_is_refused_authentication_never_retried() {
        var host = lab.exchange("kf-401");
        host.faults().forceHttpStatus(401);

        TransportException e = failureOf(host.target());

        assertThat(e.failure()).isEqualTo(new TransportFailure.AuthenticationRefused("lab", "NTLM", false));
        assertThat(e.failure().retryable()).isFalse();
        assertThat(e).hasMessageEndingWith("authentication refused for credential 'lab' (NTLM)");
    }

    @Test
    void the_shell_quota_is_a_wsman_fault_with_its_code() {
        var host = lab.exchange("kf-quota");
        host.faults().setFaultShellCreation(true);

        TransportException e = failureOf(host.target());

        assertThat(e.failure()).isInstanceOfSatisfying(TransportFailure.WsManFault.class, fault -> {
            assertThat(fault.code()).isEqualTo("2150859174");
            assertThat(fault.subcode()).isEqualTo("QuotaLimit");
            assertThat(fault.reason()).contains("concurrent shells");
            assertThat(fault.commandMayHaveRun()).isFalse();
        });
        assertThat(e.failure().retryable()).isFalse();
        assertThat(e).hasMessageContaining("host answered WS-Management fault 2150859174 (QuotaLimit): ");
    }

    @Test
    void a_host_that_accepts_requests_and_never_answers_is_no_reply() {
        var host = lab.exchange("kf-silent");
        host.faults().setHang(true);

        TransportException e = failureOf(host.target(), Duration.ofSeconds(20));

        assertThat(e.failure()).isEqualTo(new TransportFailure.NoReply(false));
        assertThat(e.failure().retryable()).isTrue();
    }

    @Test
    void a_deadline_passing_before_the_command_went_out_is_a_timeout_before_the_command() {
        var host = lab.exchange("kf-slow");
        host.faults().setLatency(Duration.ofMinutes(10));

        TransportException e = failureOf(host.target(), Duration.ofSeconds(1));

        assertThat(e.failure()).isEqualTo(new TransportFailure.TimedOutBeforeCommand(Duration.ofSeconds(1),
                new TransportFailure.NoReply(false)));
        assertThat(e.commandStarted()).isFalse();
        assertThat(e).hasMessageStartingWith("WinRM to 'kf-slow' timed out before the command was sent");
    }

    @Test
    void a_deadline_passing_after_the_command_went_out_is_a_timeout_after_the_command_that_may_have_run() {
        Target hung = lab.start("kf-hung", line -> {
            await(release);
            return new CommandOutput("late", "", 0);
        }, WsManOptions.labDefaults(), Target.Scheme.HTTP, Target.AuthScheme.NTLM).target();

        TransportException e = failureOf(hung, Duration.ofSeconds(2));

        assertThat(e.failure()).isEqualTo(new TransportFailure.TimedOutAfterCommand(Duration.ofSeconds(2)));
        assertThat(e.commandStarted()).isTrue();
        assertThat(e).hasMessage("WinRM to 'kf-hung' timed out after the command was sent: the script did not finish"
                + " within PT2S");
    }

    @Test
    void a_500_to_the_command_on_a_kept_session_is_that_status_after_the_command_was_sent() {
        var host = lab.exchange("kf-500-later");
        assertThat(shell().runPowerShell(host.target(), "Write-Output warm").exitCode()).as("warm-up step").isZero();
        host.faults().forceHttpStatus(500);

        TransportException e = failureOf(host.target());

        assertThat(e.failure()).isEqualTo(new TransportFailure.HttpStatus(500, true));
        assertThat(e).hasMessage("WinRM to 'kf-500-later' failed after the command was sent: host answered HTTP 500");
    }

    @Test
    void repeated_refusals_open_the_circuit_which_is_worth_a_later_attempt() {
        var host = lab.exchange("kf-circuit");
        host.faults().setRefuseConnections(true);
        shell(WinRmSettings.defaults().withBreaker(2, Duration.ofMinutes(5)));
        failureOf(host.target());

        TransportException e = failureOf(host.target());

        assertThat(e.failure()).isInstanceOfSatisfying(TransportFailure.CircuitOpen.class,
                open -> assertThat(open.failures()).isEqualTo(2));
        assertThat(e.failure().retryable()).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
