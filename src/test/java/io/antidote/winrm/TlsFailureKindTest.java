package io.antidote.winrm;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import javax.xml.ws.WebServiceException;
import java.io.IOException;
import java.net.SocketException;
import java.security.cert.CertificateException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TLS kind, pinned on the exception chains CXF builds around a failed handshake. No lab fault can pin it
 * (WinRM4j's asynchronous client reports an untrusted certificate now as the handshake's exception and now as a
 * reply timeout, see {@code WinRmFailuresTest}), so the chains are built here as CXF throws them: its conduit
 * wraps the handshake's exception in an IOException, and JAX-WS wraps that in a WebServiceException.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TlsFailureKindTest {

    private static final Target TARGET = new Target("ex01", "ex01.contoso.local", 5986, Target.Scheme.HTTPS,
            Target.AuthScheme.NTLM, "lab", Map.of());

    private static Throwable asCxfThrowsIt(Throwable handshake) {
        return new WebServiceException("Could not send Message.", new IOException("IOException invoking "
                + "https://ex01.contoso.local:5986/wsman: " + handshake.getMessage(), handshake));
    }

    private static SSLHandshakeException untrustedCertificate() {
        SSLHandshakeException handshake = new SSLHandshakeException("PKIX path building failed");
        handshake.initCause(new CertificateException("unable to find valid certification path to requested target"));
        return handshake;
    }

    @Test
    void an_untrusted_certificate_is_a_tls_failure_never_retried_and_nothing_ran() {
        TransportFailure kind = WinRmFailures.classify(asCxfThrowsIt(untrustedCertificate()), TARGET, 0, false, "");

        assertThat(kind).isInstanceOf(TransportFailure.Tls.class);
        assertThat(kind.retryable()).isFalse();
        assertThat(kind.commandMayHaveRun()).isFalse();
        assertThat(kind.describe()).startsWith("TLS handshake failed: ")
                .contains("unable to find valid certification path");
    }

    @Test
    void a_handshake_failure_is_tls_even_when_it_comes_wrapped_as_a_socket_failure() {
        // A reset during the handshake reaches CXF as a SocketException around the handshake's exception: the
        // handshake is what failed, and a retry would only meet the same certificate.
        SocketException reset = new SocketException("Connection reset");
        reset.initCause(untrustedCertificate());

        TransportFailure kind = WinRmFailures.classify(asCxfThrowsIt(reset), TARGET, 0, false, "");

        assertThat(kind).isInstanceOf(TransportFailure.Tls.class);
        assertThat(kind.retryable()).isFalse();
    }

    @Test
    void a_secret_in_the_handshake_message_is_masked() {
        SSLHandshakeException handshake = new SSLHandshakeException("alert from host: S3cret-Pa55");

        TransportFailure kind = WinRmFailures.classify(asCxfThrowsIt(handshake), TARGET, 0, false, "S3cret-Pa55");

        assertThat(kind.describe()).doesNotContain("S3cret-Pa55").startsWith("TLS handshake failed: ");
    }

    @Test
    void a_plain_reset_with_no_handshake_in_its_causes_stays_a_lost_connection() {
        TransportFailure kind = WinRmFailures.classify(asCxfThrowsIt(new SocketException("Connection reset")),
                TARGET, 0, true, "");

        assertThat(kind).isInstanceOf(TransportFailure.ConnectionLost.class);
        assertThat(kind.commandMayHaveRun()).isTrue();
    }
}
