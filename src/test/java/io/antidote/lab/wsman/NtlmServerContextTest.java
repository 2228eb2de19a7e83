package io.antidote.lab.wsman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The server side of the NTLM handshake: what it offers, whom it lets in, and the keys it ends with. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class NtlmServerContextTest {

    private static final NtlmMessages.Target TARGET = NtlmAuthScheme.target("lab-ex01");
    private static final byte[] SERVER_CHALLENGE = NtlmCryptoTest.SERVER_CHALLENGE;

    private final NtlmServerContext server = new NtlmServerContext("lab", NtlmCrypto.ntHash("password"), TARGET,
            SERVER_CHALLENGE, NtlmMessages.fileTime(System.currentTimeMillis()));

    private NtlmTestClient.Challenge challenge(byte[] negotiate) throws Exception {
        return NtlmTestClient.parseChallenge(server.challenge(NtlmMessages.parseNegotiate(negotiate)));
    }

    @Test
    void the_challenge_mirrors_what_winrm4j_asks_for_and_names_the_host() throws Exception {
        NtlmTestClient.Challenge challenge = challenge(NtlmTestClient.negotiate(NtlmTestClient.WINRM4J_FLAGS));

        assertThat(challenge.serverChallenge()).isEqualTo(SERVER_CHALLENGE);
        long expected = NtlmFlags.UNICODE | NtlmFlags.NTLM | NtlmFlags.ALWAYS_SIGN | NtlmFlags.EXTENDED_SESSIONSECURITY
                | NtlmFlags.TARGET_INFO | NtlmFlags.VERSION | NtlmFlags.NEGOTIATE_128 | NtlmFlags.KEY_EXCH
                | NtlmFlags.SIGN | NtlmFlags.SEAL | NtlmFlags.NEGOTIATE_56;
        assertThat(challenge.flags() & expected).as("flags mirrored").isEqualTo(expected);
        assertThat(challenge.flags() & NtlmFlags.LM_KEY).as("never LM_KEY").isZero();
        assertThat(challenge.targetName()).isEqualTo("LAB");
        assertThat(utf16(NtlmMessages.avPair(challenge.targetInfo(), NtlmMessages.AV_NB_COMPUTER_NAME)))
                .isEqualTo("LAB-EX01");
        assertThat(utf16(NtlmMessages.avPair(challenge.targetInfo(), NtlmMessages.AV_NB_DOMAIN_NAME))).isEqualTo("LAB");
        assertThat(utf16(NtlmMessages.avPair(challenge.targetInfo(), NtlmMessages.AV_DNS_COMPUTER_NAME)))
                .isEqualTo("lab-ex01.lab.local");
        assertThat(utf16(NtlmMessages.avPair(challenge.targetInfo(), NtlmMessages.AV_DNS_DOMAIN_NAME)))
                .isEqualTo("lab.local");
        assertThat(NtlmMessages.avPair(challenge.targetInfo(), NtlmMessages.AV_TIMESTAMP)).as("MsvAvTimestamp").hasSize(8);
    }

    @Test
    void a_client_offering_only_oem_strings_as_pywinrm_does_is_answered_and_authenticated_in_oem() throws Exception {
        // python3-ntlm-auth 1.4's NEGOTIATE flags: OEM, SIGN, SEAL, ALWAYS_SIGN, ESS, 128, 56, KEY_EXCH, VERSION.
        byte[] negotiate = NtlmTestClient.negotiate(0xe2889032L);
        NtlmTestClient.Challenge challenge = challenge(negotiate);
        assertThat(challenge.flags() & (NtlmFlags.UNICODE | NtlmFlags.OEM)).isEqualTo(NtlmFlags.OEM);
        assertThat(challenge.raw()[12]).as("the length of the target name, LAB in OEM: 3 bytes").isEqualTo((byte) 3);

        byte[] message = NtlmTestClient.authenticate(negotiate, challenge, "lab", "LAB", "password", true).message();
        NtlmMessages.Authenticate authenticate = NtlmMessages.parseAuthenticate(message);

        assertThat(authenticate.user()).isEqualTo("lab");
        assertThat(server.authenticate(authenticate)).isPresent();
    }

    @Test
    void a_client_offering_neither_unicode_nor_oem_is_refused() {
        assertThatThrownBy(() -> challenge(NtlmTestClient.negotiate(NtlmFlags.NTLM | NtlmFlags.EXTENDED_SESSIONSECURITY)))
                .isInstanceOf(NtlmMessages.MalformedException.class);
    }

    @Test
    void a_client_that_asks_for_no_sealing_gets_none_offered() throws Exception {
        long plain = NtlmFlags.UNICODE | NtlmFlags.NTLM | NtlmFlags.EXTENDED_SESSIONSECURITY;
        NtlmTestClient.Challenge challenge = challenge(NtlmTestClient.negotiate(plain));
        assertThat(challenge.flags() & (NtlmFlags.SEAL | NtlmFlags.SIGN | NtlmFlags.KEY_EXCH)).isZero();
    }

    @Test
    void the_right_password_authenticates_with_any_domain_and_any_case_of_the_user_name() throws Exception {
        for (String domain : new String[] {"", "LAB", "WORKGROUP"}) {
            NtlmServerContext fresh = new NtlmServerContext("lab", NtlmCrypto.ntHash("password"), TARGET,
                    SERVER_CHALLENGE, 0);
            byte[] negotiate = NtlmTestClient.negotiate(NtlmTestClient.WINRM4J_FLAGS);
            NtlmTestClient.Challenge challenge = NtlmTestClient.parseChallenge(
                    fresh.challenge(NtlmMessages.parseNegotiate(negotiate)));
            NtlmTestClient.Authentication client = NtlmTestClient.authenticate(negotiate, challenge, "LAB", domain,
                    "password", false);

            Optional<NtlmServerContext.Established> established =
                    fresh.authenticate(NtlmMessages.parseAuthenticate(client.message()));

            assertThat(established).as("domain '%s'", domain).isPresent();
            assertThat(established.get().user()).isEqualTo("LAB");
            assertThat(established.get().canSeal()).isTrue();
        }
    }

    @Test
    void the_session_keys_agree_with_the_clients_so_sealed_messages_open_both_ways() throws Exception {
        byte[] negotiate = NtlmTestClient.negotiate(NtlmTestClient.WINRM4J_FLAGS);
        NtlmTestClient.Authentication client = NtlmTestClient.authenticate(negotiate, challenge(negotiate), "lab", "",
                "password", true);
        NtlmSessionSecurity serverEnd = server.authenticate(NtlmMessages.parseAuthenticate(client.message()))
                .orElseThrow().security();

        byte[] request = "<s:Envelope/>".getBytes(StandardCharsets.UTF_8);
        NtlmSessionSecurity.Sealed sealed = client.clientSecurity().seal(request);
        assertThat(serverEnd.unseal(sealed.signature(), sealed.message())).isEqualTo(request);
        NtlmSessionSecurity.Sealed reply = serverEnd.seal(request);
        assertThat(client.clientSecurity().unseal(reply.signature(), reply.message())).isEqualTo(request);
    }

    @Test
    void the_specifications_example_response_verifies_with_its_session_key() throws Exception {
        NtlmServerContext example = new NtlmServerContext("User", NtlmCrypto.ntHash("Password"),
                new NtlmMessages.Target("Domain", "Server", "domain.test", "server.domain.test"),
                NtlmCryptoTest.SERVER_CHALLENGE, 0);
        example.challenge(NtlmMessages.parseNegotiate(NtlmTestClient.negotiate(NtlmCryptoTest.FLAGS)));
        byte[] ntResponse = NtlmCrypto.concat(NtlmCryptoTest.HEX.parseHex("68cd0ab851e51c96aabc927bebef6a1c"),
                NtlmCryptoTest.exampleBlob());
        byte[] message = NtlmTestClient.authenticateMessage(NtlmCryptoTest.FLAGS, new byte[24], ntResponse, "Domain",
                "User", "COMPUTER", NtlmCryptoTest.HEX.parseHex("c5dad2544fc9799094ce1ce90bc9d03e"));

        NtlmSessionSecurity security = example.authenticate(NtlmMessages.parseAuthenticate(message)).orElseThrow()
                .security();

        byte[] plaintext = security.unseal(NtlmCryptoTest.HEX.parseHex("010000007fb38ec5c55d497600000000"),
                NtlmCryptoTest.HEX.parseHex("54e50165bf1936dc996020c1811b0f06fb5f"));
        assertThat(new String(plaintext, StandardCharsets.UTF_16LE)).isEqualTo("Plaintext");
    }

    @Test
    void a_wrong_password_or_another_user_is_refused() throws Exception {
        byte[] negotiate = NtlmTestClient.negotiate(NtlmTestClient.WINRM4J_FLAGS);
        NtlmTestClient.Challenge challenge = challenge(negotiate);
        byte[] wrongPassword = NtlmTestClient.authenticate(negotiate, challenge, "lab", "", "guess", false).message();
        assertThat(server.authenticate(NtlmMessages.parseAuthenticate(wrongPassword))).isEmpty();

        NtlmServerContext again = new NtlmServerContext("lab", NtlmCrypto.ntHash("password"), TARGET, SERVER_CHALLENGE, 0);
        NtlmTestClient.Challenge second = NtlmTestClient.parseChallenge(
                again.challenge(NtlmMessages.parseNegotiate(negotiate)));
        byte[] otherUser = NtlmTestClient.authenticate(negotiate, second, "administrator", "", "password", false)
                .message();
        assertThat(again.authenticate(NtlmMessages.parseAuthenticate(otherUser))).as("only the lab user").isEmpty();
    }

    @Test
    void an_ntlm_v1_response_is_refused_even_before_its_password_is_checked() throws Exception {
        NtlmTestClient.Challenge challenge = challenge(NtlmTestClient.negotiate(NtlmTestClient.WINRM4J_FLAGS));
        byte[] v1 = NtlmTestClient.ntlmV1Authenticate(challenge, "lab", "");
        assertThat(server.authenticate(NtlmMessages.parseAuthenticate(v1))).isEmpty();
    }

    @Test
    void a_tampered_mic_is_refused() throws Exception {
        byte[] negotiate = NtlmTestClient.negotiate(NtlmTestClient.WINRM4J_FLAGS);
        byte[] message = NtlmTestClient.authenticate(negotiate, challenge(negotiate), "lab", "", "password", true)
                .message();
        message[NtlmMessages.MIC_OFFSET] ^= 0x01;
        assertThat(server.authenticate(NtlmMessages.parseAuthenticate(message))).isEmpty();
    }

    @Test
    void an_authenticate_before_any_challenge_is_malformed() throws Exception {
        NtlmTestClient.Challenge challenge = challenge(NtlmTestClient.negotiate(NtlmTestClient.WINRM4J_FLAGS));
        byte[] message = NtlmTestClient.authenticate(NtlmTestClient.negotiate(NtlmTestClient.WINRM4J_FLAGS), challenge,
                "lab", "", "password", false).message();
        NtlmServerContext unchallenged = new NtlmServerContext("lab", NtlmCrypto.ntHash("password"), TARGET,
                SERVER_CHALLENGE, 0);
        assertThatThrownBy(() -> unchallenged.authenticate(NtlmMessages.parseAuthenticate(message)))
                .isInstanceOf(NtlmMessages.MalformedException.class);
    }

    @Test
    void hostile_messages_are_malformed_rather_than_crashing() {
        byte[] negotiate = java.util.Arrays.copyOf(NtlmTestClient.negotiate(NtlmTestClient.WINRM4J_FLAGS), 100);
        assertThatThrownBy(() -> NtlmMessages.parseAuthenticate(negotiate))
                .isInstanceOf(NtlmMessages.MalformedException.class)
                .hasMessage("an NTLM message of type 1 where 3 was expected");
        byte[] truncated = java.util.Arrays.copyOf(NtlmTestClient.authenticateMessage(NtlmTestClient.WINRM4J_FLAGS,
                new byte[24], new byte[100], "", "lab", "W", new byte[16]), 120);
        assertThatThrownBy(() -> NtlmMessages.parseAuthenticate(truncated))
                .isInstanceOf(NtlmMessages.MalformedException.class).hasMessageContaining("past the end");
        byte[] huge = NtlmTestClient.authenticateMessage(NtlmTestClient.WINRM4J_FLAGS, new byte[24], new byte[100], "",
                "lab", "W", new byte[16]);
        NtlmSessionSecurity.writeUInt32(huge, 24, 0xfffffff0L);
        assertThatThrownBy(() -> NtlmMessages.parseAuthenticate(huge)).isInstanceOf(NtlmMessages.MalformedException.class);
        assertThatThrownBy(() -> NtlmMessages.parseNegotiate(new byte[] {'N', 'T', 'L', 'M'}))
                .isInstanceOf(NtlmMessages.MalformedException.class);
    }

    private static String utf16(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_16LE);
    }
}
