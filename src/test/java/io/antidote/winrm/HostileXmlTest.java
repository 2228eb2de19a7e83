package io.antidote.winrm;

import io.antidote.lab.wsman.HostileXml;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A compromised host may answer with XML built to attack the client's parser. Over real WinRM4j and CXF, a lab
 * host answering with a DTD, an external entity naming a local file, or an entity-expansion bomb is refused at
 * once: a typed failure with a readable reason, no file read, nothing expanded, and the next healthy answer works.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HostileXmlTest {

    private final LabTargets lab = new LabTargets();
    private WinRm4jShell shell;

    @AfterEach
    void stop() {
        if (shell != null) {
            shell.close();
        }
        lab.close();
    }

    private TransportException refusal(String name, HostileXml hostile) {
        var host = lab.exchange(name);
        shell = new WinRm4jShell(LabTargets.CREDENTIALS,
                WinRmSettings.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(10)),
                Clock.systemUTC());
        host.faults().setHostileXml(hostile);
        // Generous for a loaded machine; a bomb that expanded would take far longer or exhaust the heap.
        TransportException e = assertTimeoutPreemptively(Duration.ofSeconds(90), () -> catchThrowableOfType(
                () -> shell.runPowerShell(host.target(), "Write-Output x", Duration.ofSeconds(60)), TransportException.class));
        assertThat(e).as("the hostile reply is refused").isNotNull();

        host.faults().setHostileXml(null);
        assertThatCode(() -> shell.runPowerShell(host.target(), "Write-Output x", Duration.ofSeconds(60)))
                .as("the same host, answering plainly again").doesNotThrowAnyException();
        return e;
    }

    private static String everything(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    @Test
    void a_reply_with_a_dtd_is_refused_as_hostile_xml() {
        TransportException e = refusal("hx-dtd", HostileXml.dtd());

        assertThat(e.failure()).isInstanceOf(TransportFailure.HostileXml.class);
        assertThat(e.failure().retryable()).isFalse();
        assertThat(e).hasMessage("WinRM to 'hx-dtd' failed before the script started: "
                + "the host answered with a DTD, which is refused");
    }

    @Test
    void a_reply_with_an_external_entity_is_refused_and_the_file_is_never_read() throws Exception {
        Path secret = Files.createTempFile("antidote-xxe", ".txt");
        String marker = "XXE-MARKER-" + UUID.randomUUID();
        Files.writeString(secret, marker);
        try {
            TransportException e = refusal("hx-xxe", HostileXml.externalEntity(secret.toUri()));

            assertThat(e.failure()).isInstanceOf(TransportFailure.HostileXml.class);
            assertThat(e).hasMessage("WinRM to 'hx-xxe' failed before the script started: "
                    + "the host answered with a DTD, which is refused");
            assertThat(everything(e)).as("the failure, its causes and traces").doesNotContain(marker);
        } finally {
            Files.deleteIfExists(secret);
        }
    }

    @Test
    void a_reply_with_an_entity_expansion_bomb_is_refused_unexpanded() {
        TransportException e = refusal("hx-bomb", HostileXml.entityBomb());

        assertThat(e.failure()).isInstanceOf(TransportFailure.HostileXml.class);
        assertThat(everything(e)).doesNotContain("lollol");
    }
}
