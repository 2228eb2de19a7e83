package io.antidote.winrm;

import io.antidote.lab.wsman.CommandOutput;
import io.antidote.lab.wsman.TestCertificates;
import io.antidote.lab.wsman.WsManOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HTTPS targets against a lab host whose certificate a CA made by the test signed, with NTLM and Basic. The
 * transport gives every CXF conduit its trust (and also installs it as the JVM default): each test puts the
 * JVM's own back.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WinRmTlsTest {

    private static final TestCertificates CERTIFICATES = TestCertificates.get();

    private final LabTargets lab = new LabTargets();
    private SSLContext jvmDefault;
    private WinRm4jShell shell;
    private Target target;

    @BeforeEach
    void start() throws Exception {
        jvmDefault = SSLContext.getDefault();
        WsManOptions https = WsManOptions.labDefaults().withTls(CERTIFICATES.pemTls());
        target = lab.start("ex-tls", line -> new CommandOutput("over TLS\r\n", "", 0), https, Target.Scheme.HTTPS,
                Target.AuthScheme.NTLM).target();
    }

    @AfterEach
    void stop() {
        if (shell != null) {
            shell.close();
        }
        lab.close();
        SSLContext.setDefault(jvmDefault);
    }

    private static WinRmSettings quick() {
        return WinRmSettings.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(3));
    }

    @Test
    void a_certificate_signed_by_a_ca_of_the_configured_trust_store_is_accepted() {
        shell = new WinRm4jShell(LabTargets.CREDENTIALS,
                quick().withTrustStore(CERTIFICATES.trustStore.toString(), TestCertificates.PASSWORD), Clock.systemUTC());

        assertThat(shell.runPowerShell(target, "Write-Output x").stdout()).as("output over HTTPS").isEqualTo("over TLS\r\n");
    }

    @Test
    void basic_over_https_trusts_the_configured_trust_store_too() {
        var basic = lab.start("ex-tls-basic", line -> new CommandOutput("basic over TLS\r\n", "", 0),
                WsManOptions.labDefaults().withTls(CERTIFICATES.pemTls()), Target.Scheme.HTTPS, Target.AuthScheme.BASIC);
        shell = new WinRm4jShell(LabTargets.CREDENTIALS,
                quick().withTrustStore(CERTIFICATES.trustStore.toString(), TestCertificates.PASSWORD), Clock.systemUTC());

        assertThat(shell.runPowerShell(basic.target(), "Write-Output x").stdout()).isEqualTo("basic over TLS\r\n");
    }

    @Test
    void a_certificate_from_an_unknown_ca_is_refused_by_default() {
        shell = new WinRm4jShell(LabTargets.CREDENTIALS, quick(), Clock.systemUTC());

        assertThatThrownBy(() -> shell.runPowerShell(target, "Write-Output x"))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("failed before the script started")
                .hasMessageNotContaining(LabTargets.PASSWORD);
    }

    @Test
    void a_target_that_explicitly_turns_validation_off_connects_while_others_are_still_checked() {
        shell = new WinRm4jShell(LabTargets.CREDENTIALS, quick(), Clock.systemUTC());
        Target unchecked = new Target("ex-tls-unchecked", target.address(), target.port(), target.scheme(), target.auth(),
                target.credential(), Map.of(), false);

        assertThat(shell.runPowerShell(unchecked, "Write-Output x").stdout()).as("output with validation off")
                .isEqualTo("over TLS\r\n");

        var other = lab.start("ex-tls2", line -> new CommandOutput("no\r\n", "", 0),
                WsManOptions.labDefaults().withTls(CERTIFICATES.pemTls()), Target.Scheme.HTTPS, Target.AuthScheme.NTLM);
        assertThatThrownBy(() -> shell.runPowerShell(other.target(), "Write-Output x"))
                .as("another listener of the same host, validation on")
                .isInstanceOf(TransportException.class);
    }
}
