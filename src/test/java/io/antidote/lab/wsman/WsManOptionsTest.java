package io.antidote.lab.wsman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WsManOptionsTest {

    @Test
    void a_lab_host_by_default_accepts_basic_and_ntlm_over_http_and_wants_ntlm_bodies_encrypted() {
        WsManOptions defaults = WsManOptions.labDefaults();
        assertThat(defaults.authentication())
                .containsExactlyInAnyOrder(WsManOptions.Authentication.BASIC, WsManOptions.Authentication.NTLM);
        assertThat(defaults.allowUnencryptedNtlm()).as("AllowUnencrypted=false, as Windows").isFalse();
        assertThat(defaults.https()).isFalse();
    }

    @Test
    void a_host_must_accept_some_scheme() {
        assertThatThrownBy(() -> new WsManOptions(Set.of(), false, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withers_change_one_thing_each() {
        WsManOptions ntlmOnly = WsManOptions.labDefaults().withAuthentication(WsManOptions.Authentication.NTLM)
                .withUnencryptedNtlmAllowed(true);
        assertThat(ntlmOnly.authentication()).containsExactly(WsManOptions.Authentication.NTLM);
        assertThat(ntlmOnly.allowUnencryptedNtlm()).isTrue();

        WsManOptions https = ntlmOnly.withTls(TestCertificates.get().pkcs12Tls());
        assertThat(https.https()).isTrue();
        assertThat(https.authentication()).containsExactly(WsManOptions.Authentication.NTLM);
    }

    @Test
    void tls_material_never_prints_its_key_or_password() {
        WsManTls pkcs12 = TestCertificates.get().pkcs12Tls();
        WsManTls pem = TestCertificates.get().pemTls();
        assertThat(pkcs12.toString()).isEqualTo("WsManTls[PKCS#12 server.p12]").doesNotContain(TestCertificates.PASSWORD);
        assertThat(pem.toString()).isEqualTo("WsManTls[PEM]");
        assertThat(WsManOptions.labDefaults().withTls(pem).toString()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void credentials_and_session_keys_stay_out_of_logs() {
        assertThat(new WsManCredentials("lab", "s3cret").toString()).doesNotContain("s3cret");
        NtlmSessionSecurity security = new NtlmSessionSecurity(
                NtlmCrypto.sessionKeys(NtlmCryptoTest.RANDOM_SESSION_KEY, NtlmCryptoTest.FLAGS), NtlmCryptoTest.FLAGS);
        assertThat(security.toString()).isEqualTo("NtlmSessionSecurity[<redacted>]");
    }
}
