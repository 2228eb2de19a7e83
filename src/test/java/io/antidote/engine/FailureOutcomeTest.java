package io.antidote.engine;

import io.antidote.winrm.TransportException;
import io.antidote.winrm.TransportFailure;
import io.antidote.workflow.FailureKind;
import io.antidote.workflow.StepOutcome;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/** How the engine names a failed attempt, so that a step's retry policy can decide on it. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FailureOutcomeTest {

    static FailureKind kindOf(Throwable failure) {
        return ((StepOutcome.Errored) RunEngine.failureOutcome(failure, Duration.ofMinutes(2))).kind();
    }

    static FailureKind kindOf(TransportFailure failure) {
        return kindOf(new TransportException("ex01", failure));
    }

    @Test
    void an_attempt_past_its_timeout_is_a_timeout() {
        assertThat(RunEngine.failureOutcome(new TimeoutException(), Duration.ofMinutes(2)))
                .isEqualTo(new StepOutcome.Errored(FailureKind.TIMEOUT, "timed out after PT2M"));
    }

    @Test
    void a_refused_reset_or_unresolvable_connection_is_a_connection_failure() {
        assertThat(kindOf(new TransportFailure.ConnectionRefused(false))).isEqualTo(FailureKind.CONNECTION);
        assertThat(kindOf(new TransportFailure.ConnectionLost(true, false))).isEqualTo(FailureKind.CONNECTION);
        assertThat(kindOf(new TransportFailure.UnknownHost("ex01.corp"))).isEqualTo(FailureKind.CONNECTION);
        assertThat(kindOf(new TransportFailure.Unreachable("no route to host", false))).isEqualTo(FailureKind.CONNECTION);
        assertThat(kindOf(new TransportFailure.NoReply(false))).isEqualTo(FailureKind.CONNECTION);
    }

    @Test
    void a_connection_closed_unanswered_or_an_open_circuit_is_a_connection_failure_a_later_attempt_may_get_past() {
        assertThat(kindOf(new TransportFailure.ConnectionLost(false, true))).isEqualTo(FailureKind.CONNECTION);
        assertThat(kindOf(new TransportFailure.CircuitOpen("ex01", Instant.parse("2026-11-28T17:00:00Z"), 3, "connection refused")))
                .isEqualTo(FailureKind.CONNECTION);
        assertThat(kindOf(new TransportFailure.TimedOutBeforeCommand(Duration.ofSeconds(5),
                new TransportFailure.NoReply(false)))).isEqualTo(FailureKind.CONNECTION);
    }

    @Test
    void refused_credentials_and_a_wsman_fault_are_faults_whatever_the_policy_retries() {
        assertThat(kindOf(new TransportFailure.AuthenticationRefused("lab", "NTLM", false))).isEqualTo(FailureKind.FAULT);
        assertThat(kindOf(new TransportFailure.WsManFault("2150859174", "QuotaLimit", "The WS-Management service cannot"
                + " process the request. This user has exceeded the maximum number of concurrent shells allowed for"
                + " this plugin.", false))).isEqualTo(FailureKind.FAULT);
    }

    @Test
    void an_http_error_a_tls_failure_a_timeout_after_the_command_or_a_missing_target_is_a_fault_and_never_retried() {
        assertThat(kindOf(new TransportFailure.HttpStatus(500, false))).isEqualTo(FailureKind.FAULT);
        assertThat(kindOf(new TransportFailure.Tls("SSLHandshakeException: PKIX path building failed")))
                .isEqualTo(FailureKind.FAULT);
        assertThat(kindOf(new TransportFailure.TimedOutAfterCommand(Duration.ofSeconds(5)))).isEqualTo(FailureKind.FAULT);
        assertThat(kindOf(new TransportFailure.NoSessionFree("to this host", Duration.ofSeconds(5))))
                .isEqualTo(FailureKind.FAULT);
        assertThat(kindOf(new TransportFailure.NotInInventory())).isEqualTo(FailureKind.FAULT);
        assertThat(kindOf(new IllegalArgumentException("bad script"))).isEqualTo(FailureKind.FAULT);
    }

    @Test
    void the_reason_names_the_target_and_what_happened() {
        assertThat(((StepOutcome.Errored) RunEngine.failureOutcome(new TransportException("ex01",
                new TransportFailure.HttpStatus(500, false)), Duration.ofMinutes(2))).reason())
                .isEqualTo("WinRM to 'ex01' failed before the script started: host answered HTTP 500");
        assertThat(((StepOutcome.Errored) RunEngine.failureOutcome(new TransportException("ex01",
                new TransportFailure.TimedOutAfterCommand(Duration.ofSeconds(5))), Duration.ofMinutes(2))).reason())
                .isEqualTo("WinRM to 'ex01' timed out after the command was sent: the script did not finish within PT5S");
    }
}
