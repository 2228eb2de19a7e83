package io.antidote.engine;

import io.antidote.winrm.TransportException;
import io.antidote.workflow.FailureKind;
import io.antidote.workflow.StepOutcome;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/** How the engine names a failed attempt, so that a step's retry policy can decide on it. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FailureOutcomeTest {

    static FailureKind kindOf(Throwable failure) {
        return ((StepOutcome.Errored) RunEngine.failureOutcome(failure, Duration.ofMinutes(2))).kind();
    }

    @Test
    void an_attempt_past_its_timeout_is_a_timeout() {
        assertThat(RunEngine.failureOutcome(new TimeoutException(), Duration.ofMinutes(2)))
                .isEqualTo(new StepOutcome.Errored(FailureKind.TIMEOUT, "timed out after PT2M"));
    }

    @Test
    void a_refused_reset_or_unresolvable_connection_is_a_connection_failure() {
        assertThat(kindOf(new TransportException("WinRM to 'ex01' failed: ConnectException: Connection refused", null)))
                .isEqualTo(FailureKind.CONNECTION);
        assertThat(kindOf(new TransportException("WinRM to 'ex01' failed: SocketException: Connection reset", null)))
                .isEqualTo(FailureKind.CONNECTION);
        assertThat(kindOf(new TransportException("WinRM to 'ex01' failed: UnknownHostException: ex01.corp", null)))
                .isEqualTo(FailureKind.CONNECTION);
    }

    @Test
    void a_connection_closed_unanswered_or_an_open_circuit_is_a_connection_failure_a_later_attempt_may_get_past() {
        assertThat(kindOf(new TransportException("WinRM to 'ex01' failed: ConnectionClosedException: Connection is closed",
                null, true))).isEqualTo(FailureKind.CONNECTION);
        assertThat(kindOf(new TransportException("circuit open for 'ex01' until 2026-11-28T17:00:00Z after 3 consecutive"
                + " connection failures", null))).isEqualTo(FailureKind.CONNECTION);
    }

    @Test
    void refused_credentials_and_a_wsman_fault_are_faults_whatever_the_policy_retries() {
        assertThat(kindOf(new TransportException("WinRM to 'ex01': authentication failed for credential 'lab' (NTLM)",
                null))).isEqualTo(FailureKind.FAULT);
        assertThat(kindOf(new TransportException("WinRM to 'ex01' failed before the script started: SOAPFaultException:"
                + " The WS-Management service cannot process the request. This user has exceeded the maximum number of"
                + " concurrent shells allowed for this plugin.", null))).isEqualTo(FailureKind.FAULT);
    }

    @Test
    void an_authentication_failure_or_a_missing_target_is_a_fault_and_never_retried_as_a_connection() {
        assertThat(kindOf(new TransportException("WinRM to 'ex01' failed: IllegalStateException: Response code 401 "
                + "for /wsman", null))).isEqualTo(FailureKind.FAULT);
        assertThat(kindOf(new TransportException("target 'ex01' is no longer in the inventory", null)))
                .isEqualTo(FailureKind.FAULT);
        assertThat(kindOf(new IllegalArgumentException("bad script"))).isEqualTo(FailureKind.FAULT);
    }
}
