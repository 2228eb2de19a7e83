package io.antidote.lab.wsman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudsoft.winrm4j.client.WinRmClientContext;
import io.cloudsoft.winrm4j.winrm.WinRmTool;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.http.client.config.AuthSchemes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lab hosts listening with HTTPS (Windows' 5986 listener), with a throwaway CA made at test time
 * (see {@link TestCertificates}).
 *
 * <p>WinRM4j 0.12.3 on CXF 3.6 no longer trusts the JVM's default {@link SSLContext}: with NTLM it uses the
 * {@code sslContext} it is given, with Basic neither (tested below).
 * The {@code javax.net.ssl.trustStore} property is no way to change that inside a test JVM: it is
 * read once, when the default context is first made, and the JDK's HttpClient in other test
 * classes makes it early. {@link SSLContext#setDefault} works whenever it is called, for clients
 * built afterwards, so this class installs a context trusting the lab CA for its own duration and
 * puts the previous one back; the test JVM runs classes one after another, so no other class sees it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WsManServerHttpsTest {

    private static SSLContext jvmDefault;

    private static TestCertificates certificates;
    private static Vertx vertx;
    private static WinRmClientContext winRmContext;
    private RunningLabHost host;

    @BeforeAll
    static void start() {
        certificates = TestCertificates.get();
        try {
            jvmDefault = SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        trustTheLabCa();
        vertx = Vertx.vertx();
        winRmContext = WinRmClientContext.newInstance();
    }

    private static void trustTheLabCa() {
        SSLContext.setDefault(certificates.trustingContext());
    }

    @AfterAll
    static void stop() {
        winRmContext.shutdown();
        RunningLabHost.await(vertx.close());
        SSLContext.setDefault(jvmDefault);
    }

    @AfterEach
    void stopHost() {
        if (host != null) {
            host.close();
        }
    }

    private void startHost(WsManTls tls) {
        host = RunningLabHost.start(vertx, line -> new CommandOutput("over TLS\r\n", "", 0),
                WsManOptions.labDefaults().withTls(tls));
    }

    private WinRmTool.Builder client(String scheme) {
        return WinRmTool.Builder.builder("127.0.0.1", null, "lab", "password")
                .authenticationScheme(scheme)
                .port(host.port)
                .useHttps(true)
                .context(winRmContext);
    }

    @Test
    void winrm4j_with_ntlm_over_https_uses_the_ssl_context_it_is_given() throws Exception {
        startHost(certificates.pkcs12Tls());
        SSLContext.setDefault(publicCasOnly());
        try {
            WinRmTool tool = client(AuthSchemes.NTLM).sslContext(certificates.trustingContext()).build();
            for (int i = 0; i < 2; i++) {
                assertThat(tool.executePs("Write-Output tls").getStdOut()).isEqualTo("over TLS\r\n");
            }
        } finally {
            trustTheLabCa();
        }
    }

    /**
     * With CXF 3.6 each HTTPS conduit makes an SSLContext of its own from the JVM's CAs, so the default context
     * no longer counts; and WinRM4j hands its sslContext to the conduit only in its NTLM/Negotiate branch, so
     * Basic uses neither. The transport sets the trust on every conduit of the bus instead (WinRm4jShell).
     */
    @Test
    void winrm4j_ignores_the_jvm_default_context_and_with_basic_its_own_ssl_context_too() throws Exception {
        startHost(certificates.pemTls());
        WinRmTool ntlmOnDefault = client(AuthSchemes.NTLM).build();
        ntlmOnDefault.setRetriesForConnectionFailures(0);
        assertThatThrownBy(() -> ntlmOnDefault.executePs("Write-Output tls"))
                .as("NTLM with the lab CA only in the JVM default context").hasStackTraceContaining("PKIX path building failed");
        WinRmTool basic = client(AuthSchemes.BASIC).sslContext(certificates.trustingContext()).build();
        basic.setRetriesForConnectionFailures(0);
        assertThatThrownBy(() -> basic.executePs("Write-Output tls"))
                .as("Basic given a context that trusts the lab CA").hasStackTraceContaining("PKIX path building failed");
        assertThat(host.commandLines).isEmpty();
    }

    @Test
    void the_certificate_names_the_loopback_address_and_is_signed_by_the_lab_ca() throws Exception {
        startHost(certificates.pemTls());
        HttpClient trusting = HttpClient.newBuilder().sslContext(certificates.trustingContext()).build();
        HttpRequest anonymous = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + host.port + "/wsman"))
                .POST(HttpRequest.BodyPublishers.ofString("")).build();

        HttpResponse<String> challenged = trusting.send(anonymous, HttpResponse.BodyHandlers.ofString());
        assertThat(challenged.statusCode()).as("TLS done, then asked to authenticate").isEqualTo(401);
        assertThat(challenged.sslSession()).hasValueSatisfying(session ->
                assertThat(session.getProtocol()).startsWith("TLSv1."));

        HttpClient distrusting = HttpClient.newBuilder().sslContext(publicCasOnly()).build();
        assertThatThrownBy(() -> distrusting.send(anonymous, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void pywinrm_over_https_with_ntlm_trusts_the_lab_ca_it_is_given_and_refuses_otherwise(@TempDir Path dir)
            throws Exception {
        String python = WsManServerPywinrmTest.pythonWithNtlm(dir);
        startHost(certificates.pemTls());
        Path script = Files.writeString(dir.resolve("https_client.py"), String.join("\n",
                "import json, sys, winrm",
                "port, ca = sys.argv[1], sys.argv[2]",
                "kwargs = {'ca_trust_path': ca} if ca else {}",
                "session = winrm.Session('https://127.0.0.1:%s/wsman' % port, auth=('lab', 'password'),",
                "                        transport='ntlm', server_cert_validation='validate', **kwargs)",
                "try:",
                "    ps = session.run_ps('Write-Output tls')",
                "    print(json.dumps({'out': ps.std_out.decode('cp437')}))",
                "except Exception as e:",
                "    print(json.dumps({'error': type(e).__name__ + ': ' + str(e)}))",
                ""));

        JsonNode trusted = runPython(python, dir, script, String.valueOf(host.port), certificates.caPem.toString());
        assertThat(trusted.at("/error").isMissingNode()).as("pywinrm: %s", trusted.at("/error")).isTrue();
        assertThat(trusted.at("/out").asText()).isEqualTo("over TLS\r\n");

        JsonNode distrusted = runPython(python, dir, script, String.valueOf(host.port), "");
        assertThat(distrusted.at("/error").asText()).contains("CERTIFICATE_VERIFY_FAILED");
    }

    private static JsonNode runPython(String python, Path dir, Path script, String... arguments) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(python, script.toString());
        builder.command().addAll(java.util.List.of(arguments));
        builder.environment().put("OPENSSL_CONF", WsManServerPywinrmTest.openSslConfig(dir).toString());
        // Without a CA path requests falls back to these variables: keep the machine's out of the test.
        builder.environment().remove("REQUESTS_CA_BUNDLE");
        builder.environment().remove("CURL_CA_BUNDLE");
        Process process = builder.start();
        boolean finished = process.waitFor(30, TimeUnit.SECONDS);
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(finished).as("pywinrm finished").isTrue();
        assertThat(process.exitValue()).as("pywinrm exit status; its stderr: %s", stderr).isZero();
        return new ObjectMapper().readTree(stdout);
    }

    /** The JDK's own CA bundle, read explicitly: the default trust store is the lab CA in this class. */
    private static SSLContext publicCasOnly() throws Exception {
        KeyStore cacerts = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"))) {
            cacerts.load(in, null);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(cacerts);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
