package io.antidote.lab.wsman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * NTLMv2 and its session security against the worked example of MS-NLMP section 4.2.4: User
 * "User", domain "Domain", password "Password", server challenge 0123456789abcdef, client
 * challenge aaaaaaaaaaaaaaaa, time 0, random session key 55…55, flags 0xe28a8233.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class NtlmCryptoTest {

    static final HexFormat HEX = HexFormat.of();
    static final byte[] SERVER_CHALLENGE = HEX.parseHex("0123456789abcdef");
    static final byte[] CLIENT_CHALLENGE = HEX.parseHex("aaaaaaaaaaaaaaaa");
    static final byte[] RANDOM_SESSION_KEY = HEX.parseHex("55555555555555555555555555555555");
    static final long FLAGS = 0xe28a8233L;
    /** The CHALLENGE's AV pairs in the example: MsvAvNbDomainName "Domain", MsvAvNbComputerName "Server", EOL. */
    static final byte[] SERVER_AV_PAIRS =
            HEX.parseHex("02000c0044006f006d00610069006e0001000c0053006500720076006500720000000000");

    static byte[] exampleBlob() {
        return NtlmCrypto.concat(HEX.parseHex("0101000000000000"), new byte[8], CLIENT_CHALLENGE, new byte[4],
                SERVER_AV_PAIRS, new byte[4]);
    }

    static byte[] exampleNtowfv2() {
        return NtlmCrypto.ntowfv2(NtlmCrypto.ntHash("Password"), "User", "Domain");
    }

    @Test
    void ntowfv2_session_base_key_and_proof_match_the_specification() {
        byte[] ntowfv2 = exampleNtowfv2();
        assertThat(HEX.formatHex(ntowfv2)).as("4.2.4.1.1 NTOWFv2").isEqualTo("0c868a403bfd7a93a3001ef22ef02e3f");

        byte[] proof = NtlmCrypto.ntProofStr(ntowfv2, SERVER_CHALLENGE, exampleBlob());
        assertThat(HEX.formatHex(proof)).as("4.2.4.2.2 NTProofStr").isEqualTo("68cd0ab851e51c96aabc927bebef6a1c");

        byte[] sessionBaseKey = NtlmCrypto.sessionBaseKey(ntowfv2, proof);
        assertThat(HEX.formatHex(sessionBaseKey)).as("4.2.4.1.2 SessionBaseKey")
                .isEqualTo("8de40ccadbc14a82f15cb0ad0de95ca3");
    }

    @Test
    void the_exported_session_key_is_unwrapped_from_the_encrypted_random_session_key() {
        byte[] keyExchangeKey = HEX.parseHex("8de40ccadbc14a82f15cb0ad0de95ca3");
        byte[] encrypted = HEX.parseHex("c5dad2544fc9799094ce1ce90bc9d03e");
        assertThat(NtlmCrypto.exportedSessionKey(keyExchangeKey, encrypted, FLAGS))
                .as("4.2.4.2.3: RC4(KeyExchangeKey, EncryptedRandomSessionKey)").isEqualTo(RANDOM_SESSION_KEY);
        assertThat(NtlmCrypto.exportedSessionKey(keyExchangeKey, encrypted, FLAGS & ~NtlmFlags.KEY_EXCH))
                .as("without KEY_EXCH the key exchange key itself").isEqualTo(keyExchangeKey);
    }

    @Test
    void the_client_signing_and_sealing_keys_match_the_specification() {
        NtlmCrypto.SessionKeys keys = NtlmCrypto.sessionKeys(RANDOM_SESSION_KEY, FLAGS);
        assertThat(HEX.formatHex(keys.clientSealing())).as("4.2.4.4 sealing key")
                .isEqualTo("59f600973cc4960a25480a7c196e4c58");
        assertThat(HEX.formatHex(keys.clientSigning())).as("4.2.4.4 signing key")
                .isEqualTo("4788dc861b4782f35d43fd98fe1a2d39");
        assertThat(keys.serverSealing()).as("each direction has its own sealing key").isNotEqualTo(keys.clientSealing());
        assertThat(keys.toString()).as("keys never print").doesNotContain("59f6");
    }

    @Test
    void the_server_opens_the_specifications_sealed_message() throws Exception {
        NtlmSessionSecurity server = new NtlmSessionSecurity(NtlmCrypto.sessionKeys(RANDOM_SESSION_KEY, FLAGS), FLAGS);
        byte[] sealed = HEX.parseHex("54e50165bf1936dc996020c1811b0f06fb5f");
        byte[] signature = HEX.parseHex("010000007fb38ec5c55d497600000000");

        byte[] plaintext = server.unseal(signature, sealed);

        assertThat(new String(plaintext, StandardCharsets.UTF_16LE)).as("4.2.4.4 GSS_WrapEx of \"Plaintext\"")
                .isEqualTo("Plaintext");
    }

    @Test
    void a_client_sealing_like_the_specification_produces_its_published_bytes() {
        NtlmSessionSecurity client = NtlmTestClient.clientEnd(RANDOM_SESSION_KEY, FLAGS);
        NtlmSessionSecurity.Sealed sealed = client.seal("Plaintext".getBytes(StandardCharsets.UTF_16LE));
        assertThat(HEX.formatHex(sealed.message())).isEqualTo("54e50165bf1936dc996020c1811b0f06fb5f");
        assertThat(HEX.formatHex(sealed.signature())).isEqualTo("010000007fb38ec5c55d497600000000");
    }

    @Test
    void messages_round_trip_both_ways_with_the_rc4_streams_continuing_across_messages() throws Exception {
        NtlmSessionSecurity server = new NtlmSessionSecurity(NtlmCrypto.sessionKeys(RANDOM_SESSION_KEY, FLAGS), FLAGS);
        NtlmSessionSecurity client = NtlmTestClient.clientEnd(RANDOM_SESSION_KEY, FLAGS);
        for (int i = 0; i < 5; i++) {
            byte[] request = ("<s:Envelope>request " + i + "</s:Envelope>").getBytes(StandardCharsets.UTF_8);
            NtlmSessionSecurity.Sealed sent = client.seal(request);
            assertThat(NtlmSessionSecurity.readUInt32(sent.signature(), 12)).as("sequence number").isEqualTo(i);
            assertThat(server.unseal(sent.signature(), sent.message())).isEqualTo(request);

            byte[] reply = ("<s:Envelope>reply " + i + "</s:Envelope>").getBytes(StandardCharsets.UTF_8);
            NtlmSessionSecurity.Sealed answered = server.seal(reply);
            assertThat(answered.message()).as("sealed, not in clear").isNotEqualTo(reply);
            assertThat(client.unseal(answered.signature(), answered.message())).isEqualTo(reply);
        }
    }

    @Test
    void a_flipped_byte_of_the_sealed_message_fails_the_signature() {
        NtlmSessionSecurity server = new NtlmSessionSecurity(NtlmCrypto.sessionKeys(RANDOM_SESSION_KEY, FLAGS), FLAGS);
        NtlmSessionSecurity.Sealed sent = NtlmTestClient.clientEnd(RANDOM_SESSION_KEY, FLAGS)
                .seal("<s:Envelope/>".getBytes(StandardCharsets.UTF_8));
        sent.message()[3] ^= 0x01;
        assertThatThrownBy(() -> server.unseal(sent.signature(), sent.message()))
                .isInstanceOf(NtlmSessionSecurity.IntegrityException.class)
                .hasMessageContaining("signature does not match");
    }

    @Test
    void a_replayed_message_fails_on_its_sequence_number() throws Exception {
        NtlmSessionSecurity client = NtlmTestClient.clientEnd(RANDOM_SESSION_KEY, FLAGS);
        NtlmSessionSecurity.Sealed first = client.seal("<first/>".getBytes(StandardCharsets.UTF_8));
        NtlmSessionSecurity.Sealed second = client.seal("<second/>".getBytes(StandardCharsets.UTF_8));
        NtlmSessionSecurity server = new NtlmSessionSecurity(NtlmCrypto.sessionKeys(RANDOM_SESSION_KEY, FLAGS), FLAGS);
        server.unseal(first.signature(), first.message());
        server.unseal(second.signature(), second.message());

        // A fresh client stream seals "first" again with sequence 0, as a replay of the first message would read.
        NtlmSessionSecurity.Sealed replay = NtlmTestClient.clientEnd(RANDOM_SESSION_KEY, FLAGS)
                .seal("<first/>".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> server.unseal(replay.signature(), replay.message()))
                .isInstanceOf(NtlmSessionSecurity.IntegrityException.class);
    }

    @Test
    void a_signature_with_the_wrong_sequence_number_is_refused_even_when_its_checksum_is_right() {
        // The client signs with sequence 5 while the server expects 0: the checksum covers the number it names.
        NtlmSessionSecurity client = NtlmTestClient.clientEnd(RANDOM_SESSION_KEY, FLAGS & ~NtlmFlags.KEY_EXCH);
        for (int i = 0; i < 5; i++) {
            client.seal(new byte[0]);
        }
        NtlmSessionSecurity server = new NtlmSessionSecurity(
                NtlmCrypto.sessionKeys(RANDOM_SESSION_KEY, FLAGS & ~NtlmFlags.KEY_EXCH), FLAGS & ~NtlmFlags.KEY_EXCH);
        NtlmSessionSecurity.Sealed early = client.seal(new byte[0]);
        assertThatThrownBy(() -> server.unseal(early.signature(), early.message()))
                .hasMessageContaining("sequence number is 5 where 0 was expected");
    }
}
