package io.antidote.lab;

import io.antidote.lab.exchange.ExchangeServer;
import io.antidote.lab.exchange.ServerSpec;
import io.antidote.lab.wsman.WsManCredentials;
import io.antidote.lab.wsman.WsManServer;
import io.cloudsoft.winrm4j.client.WinRmClientContext;
import io.cloudsoft.winrm4j.winrm.WinRmTool;
import io.vertx.core.Vertx;
import org.apache.http.client.config.AuthSchemes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lab host's command log is what tests trust to say a script ran on the host, and how often: it must
 * show each script a client sent, decoded, once per command, with the ids the client got for its shell
 * and command. Through WinRM4j over loopback, as the engine reaches lab hosts.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CommandLogTest {

    private final Vertx vertx = Vertx.vertx();
    private final WinRmClientContext winRm = WinRmClientContext.newInstance();

    @AfterEach
    void stop() throws Exception {
        winRm.shutdown();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void each_script_sent_is_logged_once_decoded_with_its_shell_and_command_ids() throws Exception {
        LabHost host = new LabHost(ExchangeServer.create("lab-log01", new ServerSpec("2019", "CU8", List.of(), Set.of())),
                vertx);
        WsManServer endpoint = new WsManServer(vertx, "lab-log01", new WsManCredentials("lab", "Lab-Passw0rd!"), host,
                host.faults());
        int port = endpoint.start("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        WinRmTool client = WinRmTool.Builder.builder("127.0.0.1", null, "lab", "Lab-Passw0rd!")
                .authenticationScheme(AuthSchemes.BASIC).port(port).useHttps(false).context(winRm).build();
        Instant before = Instant.now();

        assertThat(client.executePs("Write-Output 'first'").getStdOut()).contains("first");
        assertThat(client.executePs("Write-Output 'second'").getStdOut()).contains("second");
        endpoint.stop();

        List<CommandLog.Entry> log = host.commands().entries();
        assertThat(log).extracting(CommandLog.Entry::script).as("scripts the host received, in order")
                .containsExactly("Write-Output 'first'", "Write-Output 'second'");
        assertThat(log).allSatisfy(entry -> {
            assertThat(entry.at()).as("time of %s", entry.script()).isAfterOrEqualTo(before);
            assertThat(entry.shellId()).as("shell id of %s", entry.script()).isNotBlank();
            assertThat(entry.commandId()).as("command id of %s", entry.script()).isNotBlank();
        });
        assertThat(log.get(0).commandId()).as("each command its own id").isNotEqualTo(log.get(1).commandId());
        assertThat(host.commands().dropped()).isZero();
    }
}
