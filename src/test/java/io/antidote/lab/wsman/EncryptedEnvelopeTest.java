package io.antidote.lab.wsman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The multipart/encrypted framing of MS-WSMV 2.2.9.1.1, as WinRM4j and pywinrm write and read it. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EncryptedEnvelopeTest {

    private static final byte[] KEY = NtlmCryptoTest.RANDOM_SESSION_KEY;
    private static final long FLAGS = NtlmCryptoTest.FLAGS;

    @Test
    void a_framed_reply_has_the_layout_clients_read_by_offset() {
        byte[] soap = "<s:Envelope>hello</s:Envelope>".getBytes(StandardCharsets.UTF_8);
        NtlmSessionSecurity server = new NtlmSessionSecurity(NtlmCrypto.sessionKeys(KEY, FLAGS), FLAGS);

        byte[] framed = EncryptedEnvelope.frame(soap.length, server.seal(soap));

        String text = new String(framed, StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("--Encrypted Boundary\r\n"
                + "\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n"
                + "\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=" + soap.length + "\r\n"
                + "--Encrypted Boundary\r\n"
                + "\tContent-Type: application/octet-stream\r\n\u0010\u0000\u0000\u0000\u0001\u0000\u0000\u0000");
        assertThat(text).endsWith("--Encrypted Boundary--\r\n").doesNotContain("hello");
    }

    @Test
    void what_a_client_frames_parses_back_to_its_signature_and_sealed_bytes() throws Exception {
        byte[] soap = "<s:Envelope>request</s:Envelope>".getBytes(StandardCharsets.UTF_8);
        NtlmSessionSecurity.Sealed sealed = NtlmTestClient.clientEnd(KEY, FLAGS).seal(soap);

        EncryptedEnvelope.Parts parts = EncryptedEnvelope.parse(EncryptedEnvelope.frame(soap.length, sealed));

        assertThat(parts.originalLength()).isEqualTo(soap.length);
        assertThat(parts.signature()).isEqualTo(sealed.signature());
        assertThat(parts.sealed()).isEqualTo(sealed.message());
        NtlmSessionSecurity server = new NtlmSessionSecurity(NtlmCrypto.sessionKeys(KEY, FLAGS), FLAGS);
        assertThat(server.unseal(parts.signature(), parts.sealed())).isEqualTo(soap);
    }

    @Test
    void a_sealed_part_shorter_or_longer_than_the_declared_length_is_refused() {
        byte[] soap = "<s:Envelope/>".getBytes(StandardCharsets.UTF_8);
        NtlmSessionSecurity.Sealed sealed = NtlmTestClient.clientEnd(KEY, FLAGS).seal(soap);
        byte[] framed = EncryptedEnvelope.frame(soap.length + 1, sealed);
        assertThatThrownBy(() -> EncryptedEnvelope.parse(framed))
                .isInstanceOf(NtlmSessionSecurity.IntegrityException.class)
                .hasMessageContaining("OriginalContent length");
    }

    @Test
    void bodies_that_are_not_the_framing_are_refused_with_a_reason() {
        for (String body : new String[] {"", "<s:Envelope/>", "--Encrypted Boundary\r\n",
                "--Encrypted Boundary\r\n\tContent-Type: text/plain\r\n--Encrypted Boundary\r\n",
                "--Encrypted Boundary\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n"
                        + "\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=3\r\n"
                        + "--Encrypted Boundary\r\n\tContent-Type: application/octet-stream\r\n"
                        + "\u0010\u0000\u0000\u0000--Encrypted Boundary--\r\n"}) {
            assertThatThrownBy(() -> EncryptedEnvelope.parse(body.getBytes(StandardCharsets.ISO_8859_1)))
                    .as("body %s", body).isInstanceOf(NtlmSessionSecurity.IntegrityException.class)
                    .hasMessageStartingWith("the encrypted message is malformed");
        }
    }

    @Test
    void only_the_spnego_session_encrypted_protocol_counts_as_encrypted() {
        assertThat(EncryptedEnvelope.isEncrypted(EncryptedEnvelope.CONTENT_TYPE)).isTrue();
        assertThat(EncryptedEnvelope.isEncrypted(
                "multipart/encrypted;protocol=\"application/HTTP-SPNEGO-session-encrypted\";boundary=\"Encrypted Boundary\"".toUpperCase()))
                .isTrue();
        assertThat(EncryptedEnvelope.isEncrypted("multipart/x-multi-encrypted;protocol=\"application/HTTP-CredSSP-session-encrypted\""))
                .isFalse();
        assertThat(EncryptedEnvelope.isEncrypted("application/soap+xml;charset=UTF-8")).isFalse();
        assertThat(EncryptedEnvelope.isEncrypted(null)).isFalse();
    }
}
