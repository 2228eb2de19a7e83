package io.antidote.lab.wsman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * NTLM and MS-WSMV encryption at the wire, one raw kept-alive connection per test, doing what
 * WinRM4j and pywinrm do and also what a tampering or replaying client would.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WsManServerNtlmWireTest {

    private static final String SOAP = "application/soap+xml;charset=UTF-8";
    private static final byte[] PLACEHOLDER = "AWAITING_ENCRYPTION_KEYS".getBytes(StandardCharsets.US_ASCII);

    private static Vertx vertx;
    private RunningLabHost host;
    private RawHttpConnection connection;
    /** The Authorization header carrying the AUTHENTICATE of the last handshake, for the request that sends it. */
    private String lastAuthenticate;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        RunningLabHost.await(vertx.close());
    }

    @AfterEach
    void stopHost() {
        if (connection != null) {
            connection.close();
        }
        if (host != null) {
            host.close();
        }
    }

    private void startHost(WsManOptions options) {
        host = RunningLabHost.start(vertx, line -> new CommandOutput("ok\r\n", "", 0), options);
        connection = new RawHttpConnection(host.port);
    }

    /** The NTLM handshake as WinRM4j does it; returns the client's end of the session. */
    private NtlmSessionSecurity authenticate(String scheme, String password, byte[] firstBody) {
        byte[] negotiate = NtlmTestClient.negotiate(NtlmTestClient.WINRM4J_FLAGS);
        RawHttpConnection.Response challenged = connection.post(scheme + " " + base64(negotiate), SOAP, firstBody);
        assertThat(challenged.status()).as("the NEGOTIATE is answered with a challenge").isEqualTo(401);
        assertThat(challenged.headers("WWW-Authenticate")).as("one header: the CHALLENGE").hasSize(1);
        String header = challenged.header("WWW-Authenticate");
        assertThat(header).startsWith(scheme + " ");
        NtlmTestClient.Challenge challenge = NtlmTestClient.parseChallenge(
                Base64.getDecoder().decode(header.substring(scheme.length() + 1)));
        NtlmTestClient.Authentication authentication = NtlmTestClient.authenticate(negotiate, challenge, "lab", "",
                password, true);
        lastAuthenticate = scheme + " " + base64(authentication.message());
        return authentication.clientSecurity();
    }

    private RawHttpConnection.Response postSealed(String authorization, NtlmSessionSecurity client, String envelope) {
        byte[] soap = envelope.getBytes(StandardCharsets.UTF_8);
        return connection.post(authorization, EncryptedEnvelope.CONTENT_TYPE,
                EncryptedEnvelope.frame(soap.length, client.seal(soap)));
    }

    private static String open(RawHttpConnection.Response response, NtlmSessionSecurity client) throws Exception {
        assertThat(response.header("Content-Type")).as("the reply is sealed").isEqualTo(EncryptedEnvelope.CONTENT_TYPE);
        EncryptedEnvelope.Parts parts = EncryptedEnvelope.parse(response.body());
        byte[] soap = client.unseal(parts.signature(), parts.sealed());
        assertThat(soap).hasSize(parts.originalLength());
        return new String(soap, StandardCharsets.UTF_8);
    }

    private static String shellId(String createReply) {
        int start = createReply.indexOf("<w:Selector Name=\"ShellId\">") + "<w:Selector Name=\"ShellId\">".length();
        return createReply.substring(start, createReply.indexOf('<', start));
    }

    @Test
    void after_the_handshake_every_request_on_the_connection_is_opened_and_answered_sealed() throws Exception {
        startHost(WsManOptions.labDefaults());
        NtlmSessionSecurity client = authenticate("Negotiate", "password", PLACEHOLDER);

        String create = Samples.WINRM4J.create();
        RawHttpConnection.Response created = postSealed(lastAuthenticate, client, create);
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.text()).as("nothing readable on the wire").doesNotContain("ResourceCreated");
        String createReply = open(created, client);
        assertThat(createReply).contains("<a:RelatesTo>" + Samples.messageId(create) + "</a:RelatesTo>")
                .contains("<rsp:Owner>lab</rsp:Owner>");

        String shellId = shellId(createReply);
        RawHttpConnection.Response commanded = postSealed(null, client, Samples.WINRM4J.command(shellId, "hostname"));
        assertThat(commanded.status()).as("no Authorization needed on an authenticated connection").isEqualTo(200);
        assertThat(open(commanded, client)).contains("<rsp:CommandId>");
        RawHttpConnection.Response unknown = postSealed(null, client, Samples.WINRM4J.delete("NOT-A-SHELL"));
        assertThat(unknown.status()).isEqualTo(500);
        assertThat(open(unknown, client)).as("faults are sealed too").contains("2150858843");
        assertThat(open(postSealed(null, client, Samples.WINRM4J.delete(shellId)), client)).contains("DeleteResponse");
        assertThat(host.commandLines).containsExactly("hostname");
    }

    @Test
    void the_ntlm_header_scheme_is_answered_in_kind() throws Exception {
        startHost(WsManOptions.labDefaults());
        NtlmSessionSecurity client = authenticate("NTLM", "password", PLACEHOLDER);
        assertThat(open(postSealed(lastAuthenticate, client, Samples.PYWINRM.create()), client))
                .contains("ResourceCreated");
    }

    @Test
    void the_handshake_bodies_are_never_parsed_and_an_empty_body_completes_it_with_an_empty_200() {
        startHost(WsManOptions.labDefaults());
        byte[] garbage = "<<< not XML at all".getBytes(StandardCharsets.US_ASCII);
        authenticate("Negotiate", "password", garbage);

        RawHttpConnection.Response done = connection.post(lastAuthenticate, SOAP, new byte[0]);

        assertThat(done.status()).as("pywinrm's empty POST that finishes the handshake").isEqualTo(200);
        assertThat(done.body()).isEmpty();
    }

    @Test
    void a_tampered_byte_is_refused_with_400_and_the_connection_dropped() {
        startHost(WsManOptions.labDefaults());
        NtlmSessionSecurity client = authenticate("Negotiate", "password", PLACEHOLDER);
        byte[] soap = Samples.WINRM4J.create().getBytes(StandardCharsets.UTF_8);
        byte[] framed = EncryptedEnvelope.frame(soap.length, client.seal(soap));
        framed[framed.length - 40] ^= 0x01;

        RawHttpConnection.Response refused = connection.post(lastAuthenticate, EncryptedEnvelope.CONTENT_TYPE, framed);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).contains("NTLM signature does not match its content")
                .doesNotContain("Exception").doesNotContain("at io.");
        assertThat(connection.closedByServer()).as("the security context is gone with the connection").isTrue();
        assertThat(host.commandLines).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> RunningLabHost.await(host.server.authenticatedConnections()) == 0);
    }

    @Test
    void a_forged_signature_is_refused() {
        startHost(WsManOptions.labDefaults());
        NtlmSessionSecurity client = authenticate("Negotiate", "password", PLACEHOLDER);
        byte[] soap = Samples.WINRM4J.create().getBytes(StandardCharsets.UTF_8);
        NtlmSessionSecurity.Sealed sealed = client.seal(soap);
        sealed.signature()[6] ^= 0x40;

        RawHttpConnection.Response refused = connection.post(lastAuthenticate, EncryptedEnvelope.CONTENT_TYPE,
                EncryptedEnvelope.frame(soap.length, sealed));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).contains("w:AccessDenied").contains("signature does not match");
    }

    @Test
    void a_replayed_message_is_refused() throws Exception {
        startHost(WsManOptions.labDefaults());
        NtlmSessionSecurity client = authenticate("Negotiate", "password", PLACEHOLDER);
        byte[] soap = Samples.WINRM4J.create().getBytes(StandardCharsets.UTF_8);
        byte[] framed = EncryptedEnvelope.frame(soap.length, client.seal(soap));
        assertThat(connection.post(lastAuthenticate, EncryptedEnvelope.CONTENT_TYPE, framed).status()).isEqualTo(200);

        RawHttpConnection.Response replayed = connection.post(null, EncryptedEnvelope.CONTENT_TYPE, framed);

        assertThat(replayed.status()).isEqualTo(400);
        assertThat(replayed.text()).contains("refused the encrypted message");
        assertThat(RunningLabHost.await(host.server.openShells())).as("only the first Create ran").isEqualTo(1);
    }

    @Test
    void an_unencrypted_body_after_ntlm_is_refused_unless_the_host_allows_unencrypted_traffic() {
        startHost(WsManOptions.labDefaults());
        authenticate("Negotiate", "password", PLACEHOLDER);
        RawHttpConnection.Response refused = connection.post(lastAuthenticate, SOAP,
                Samples.WINRM4J.create().getBytes(StandardCharsets.UTF_8));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).contains("AllowUnencrypted");
        assertThat(RunningLabHost.await(host.server.openShells())).isZero();
        connection.close();
        host.close();

        startHost(WsManOptions.labDefaults().withUnencryptedNtlmAllowed(true));
        authenticate("Negotiate", "password", PLACEHOLDER);
        RawHttpConnection.Response plain = connection.post(lastAuthenticate, SOAP,
                Samples.WINRM4J.create().getBytes(StandardCharsets.UTF_8));
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.header("Content-Type")).isEqualTo(SOAP);
        assertThat(plain.text()).contains("ResourceCreated");
    }

    @Test
    void an_encrypted_body_under_basic_is_refused_for_lack_of_a_session() {
        startHost(WsManOptions.labDefaults());
        NtlmSessionSecurity stranger = NtlmTestClient.clientEnd(NtlmCryptoTest.RANDOM_SESSION_KEY, NtlmCryptoTest.FLAGS);
        String basic = "Basic " + base64("lab:password".getBytes(StandardCharsets.UTF_8));

        RawHttpConnection.Response refused = postSealed(basic, stranger, Samples.WINRM4J.create());

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).contains("no NTLM session");
    }

    @Test
    void a_wrong_password_gets_an_empty_401_and_the_connection_closed() {
        startHost(WsManOptions.labDefaults());
        authenticate("Negotiate", "not-the-password", PLACEHOLDER);

        RawHttpConnection.Response refused = connection.post(lastAuthenticate, SOAP, PLACEHOLDER);

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body()).isEmpty();
        assertThat(refused.headers("WWW-Authenticate")).containsExactly("Negotiate", "Basic realm=\"WSMAN\"");
        assertThat(connection.closedByServer()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> RunningLabHost.await(host.server.authenticatedConnections()) == 0);
    }

    @Test
    void an_authenticate_on_a_connection_that_was_never_challenged_is_refused() {
        startHost(WsManOptions.labDefaults());
        authenticate("Negotiate", "password", PLACEHOLDER);
        String authenticateFromAnotherConnection = lastAuthenticate;
        connection.close();
        connection = new RawHttpConnection(host.port);

        assertThat(connection.post(authenticateFromAnotherConnection, SOAP, PLACEHOLDER).status()).isEqualTo(401);
    }

    @Test
    void kerberos_or_garbage_tokens_are_refused_with_the_schemes_on_offer() {
        startHost(WsManOptions.labDefaults());
        for (String token : new String[] {"Negotiate YIIFyAYGKwYBBQUCoIIFvDCCBbigMDAuBgkqhkiC9xIBAgI=", "Negotiate !!!",
                "Negotiate", "NTLM " + base64(new byte[] {1, 2, 3})}) {
            RawHttpConnection.Response refused = connection.post(token, SOAP, PLACEHOLDER);
            assertThat(refused.status()).as(token).isEqualTo(401);
            assertThat(refused.headers("WWW-Authenticate")).as(token).contains("Negotiate");
        }
    }

    @Test
    void a_host_with_basic_only_refuses_ntlm_and_a_host_with_ntlm_only_refuses_basic() {
        startHost(WsManOptions.labDefaults().withAuthentication(WsManOptions.Authentication.BASIC));
        RawHttpConnection.Response ntlm = connection.post(
                "Negotiate " + base64(NtlmTestClient.negotiate(NtlmTestClient.WINRM4J_FLAGS)), SOAP, PLACEHOLDER);
        assertThat(ntlm.status()).isEqualTo(401);
        assertThat(ntlm.headers("WWW-Authenticate")).as("Windows offers Negotiate whatever its configuration")
                .containsExactly("Negotiate", "Basic realm=\"WSMAN\"");
        connection.close();
        host.close();

        startHost(WsManOptions.labDefaults().withAuthentication(WsManOptions.Authentication.NTLM));
        RawHttpConnection.Response basic = connection.post(
                "Basic " + base64("lab:password".getBytes(StandardCharsets.UTF_8)), SOAP,
                Samples.WINRM4J.create().getBytes(StandardCharsets.UTF_8));
        assertThat(basic.status()).isEqualTo(401);
        assertThat(basic.headers("WWW-Authenticate")).containsExactly("Negotiate");
    }

    @Test
    void ntlm_state_is_dropped_when_the_client_closes_the_connection() {
        startHost(WsManOptions.labDefaults());
        NtlmSessionSecurity client = authenticate("Negotiate", "password", PLACEHOLDER);
        assertThat(postSealed(lastAuthenticate, client, Samples.WINRM4J.create()).status()).isEqualTo(200);
        assertThat(RunningLabHost.await(host.server.authenticatedConnections())).isEqualTo(1);

        connection.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> RunningLabHost.await(host.server.authenticatedConnections()) == 0);
    }

    /** WinRM4j, giving up on NTLM, sends one request whose declared body never comes. */
    @Test
    void a_refused_request_whose_declared_body_never_comes_is_answered_and_its_connection_closed() throws Exception {
        startHost(WsManOptions.labDefaults());
        try (Socket socket = new Socket("127.0.0.1", host.port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /wsman HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + SOAP
                    + "\r\nContent-Length: 24\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(reply).startsWith("HTTP/1.1 401 ");
            // readAllBytes returned: the server closed the connection, so a next request cannot be misread.
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
