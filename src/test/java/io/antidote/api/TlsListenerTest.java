package io.antidote.api;

import io.antidote.identity.Roles;
import io.antidote.identity.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 13, point 1: TLS on the HTTP listener, configured as docs/security.md says (Quarkus' own
 * {@code quarkus.http.ssl.*}, plain HTTP off with {@code quarkus.http.insecure-requests=disabled}), with a
 * certificate made for the test. A client that trusts it gets answers over HTTPS, one that does not is refused
 * in the handshake, and nothing listens for plain HTTP.
 */
@QuarkusTest
@TestProfile(TlsListenerTest.TlsOnly.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TlsListenerTest {

    /**
     * A self-signed certificate for localhost in a PKCS#12 key store, made with the JDK's keytool when the
     * profile is read, before Quarkus starts (the key store form docs/security.md gives beside PEM files).
     */
    public static class TlsOnly implements QuarkusTestProfile {

        static final String PASSWORD = "test-" + java.util.UUID.randomUUID();
        static final Path KEY_STORE = keyStore();
        static final int HTTPS_PORT = freePort();
        static final int HTTP_PORT = freePort();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.ssl.certificate.key-store-file", KEY_STORE.toString(),
                    "quarkus.http.ssl.certificate.key-store-password", PASSWORD,
                    "quarkus.http.test-ssl-port", String.valueOf(HTTPS_PORT),
                    "quarkus.http.test-port", String.valueOf(HTTP_PORT),
                    "quarkus.http.insecure-requests", "disabled");
        }

        private static Path keyStore() {
            try {
                Path file = Files.createTempDirectory("antidote-tls").resolve("server.p12");
                Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                        "-genkeypair", "-alias", "antidote", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                        "-keystore", file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                        .redirectErrorStream(true).start();
                String output = new String(keytool.getInputStream().readAllBytes());
                if (keytool.waitFor() != 0) {
                    throw new IllegalStateException("keytool failed: " + output);
                }
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void a_client_trusting_the_certificate_is_answered_over_https_with_the_security_headers() throws Exception {
        HttpClient trusting = HttpClient.newBuilder().sslContext(trusting())
                .connectTimeout(Duration.ofSeconds(10)).build();

        HttpResponse<String> health = trusting.send(HttpRequest.newBuilder(https("/q/health/live")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("UP");

        HttpResponse<String> runs = trusting.send(HttpRequest.newBuilder(https("/api/v1/runs"))
                .header("Authorization", "Bearer " + TestTokens.person("tls-reader", Roles.VIEWER)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(runs.statusCode()).as("an authenticated API call over TLS").isEqualTo(200);
        assertThat(runs.headers().firstValue("Strict-Transport-Security")).as("HSTS on an HTTPS answer")
                .contains("max-age=31536000");
        assertThat(runs.headers().firstValue("X-Content-Type-Options")).contains("nosniff");

        HttpResponse<String> anonymous = trusting.send(HttpRequest.newBuilder(https("/api/v1/runs")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).as("TLS is no credential").isEqualTo(401);
    }

    @Test
    void a_client_that_does_not_trust_the_certificate_is_refused_in_the_handshake() {
        HttpClient defaultTrust = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        assertThatThrownBy(() -> defaultTrust.send(HttpRequest.newBuilder(https("/q/health/live")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void plain_http_is_off() {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + TlsOnly.HTTP_PORT + "/q/health/live")).build(),
                HttpResponse.BodyHandlers.ofString())).as("the plain HTTP port").isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + TlsOnly.HTTPS_PORT + "/q/health/live")).build(),
                HttpResponse.BodyHandlers.ofString())).as("plain HTTP sent to the TLS port").isInstanceOf(IOException.class);
    }

    private static URI https(String path) {
        return URI.create("https://localhost:" + TlsOnly.HTTPS_PORT + path);
    }

    /** Trusts the server's certificate and nothing else. */
    private static SSLContext trusting() throws Exception {
        KeyStore server = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(TlsOnly.KEY_STORE)) {
            server.load(in, TlsOnly.PASSWORD.toCharArray());
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("antidote", server.getCertificate("antidote"));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
