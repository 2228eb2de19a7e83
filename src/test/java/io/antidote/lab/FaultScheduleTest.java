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
 * Faults set on a running lab host, below the HTTP API: a pattern that would backtrack for ages cannot stall
 * the host that matches it against every command, and a freeze holds requests and serves them when it ends
 * (a hang never does). Through WinRM4j over loopback, as the engine reaches lab hosts.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FaultScheduleTest {

    private final Vertx vertx = Vertx.vertx();
    private final WinRmClientContext winRm = WinRmClientContext.newInstance();

    @AfterEach
    void stop() throws Exception {
        winRm.shutdown();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private LabHost host(String name) {
        return new LabHost(ExchangeServer.create(name, new ServerSpec("2019", "CU8", List.of(), Set.of())), vertx);
    }

    @Test
    void a_pattern_that_backtracks_without_end_is_cut_short_and_the_command_still_logged() {
        LabHost host = host("lab-regex01");
        // (a+)+b against forty a's and no b: 2^40 ways to fail, unless the matcher is stopped.
        PlacedFault fault = host.placedFaults().place(new FaultSpec("hang", null, null, null,
                new FaultSpec.Trigger(null, "(a+)+b", null, null, null)));

        host.received("shell", "command-1", "a".repeat(40) + "c");
        host.received("shell", "command-2", "Write-Output 'ab'");

        assertThat(host.commands().count()).as("commands logged").isEqualTo(2);
        assertThat(fault.describe()).as("started by the second command, which matches at once")
                .containsEntry("state", "active").containsEntry("activatedByCommand", 2L);
    }

    @Test
    void a_freeze_from_the_second_command_holds_its_reply_and_serves_it_once_it_ends() throws Exception {
        LabHost host = host("lab-freeze01");
        WsManServer endpoint = new WsManServer(vertx, "lab-freeze01", new WsManCredentials("lab", "Lab-Passw0rd!"),
                host, host.faults());
        int port = endpoint.start("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        host.attach(endpoint);
        WinRmTool client = WinRmTool.Builder.builder("127.0.0.1", null, "lab", "Lab-Passw0rd!")
                .authenticationScheme(AuthSchemes.BASIC).port(port).useHttps(false).context(winRm).build();
        PlacedFault freeze = host.placedFaults().place(new FaultSpec("freeze", "1s", null, null,
                new FaultSpec.Trigger(2L, null, null, null, null)));
        try {
            assertThat(client.executePs("Write-Output 'before'").getStdOut()).contains("before");
            assertThat(freeze.describe()).containsEntry("state", "armed");

            assertThat(client.executePs("Write-Output 'frozen'").getStdOut()).as("the reply held by the freeze")
                    .contains("frozen");
            assertThat(client.executePs("Write-Output 'after'").getStdOut()).contains("after");
        } finally {
            endpoint.stop();
        }
        assertThat(freeze.describe()).as("the freeze, from the second command on")
                .containsEntry("state", "ended").containsEntry("activatedByCommand", 2L);
        Instant thawed = Instant.parse((String) freeze.describe().get("endedAt"));
        List<CommandLog.Entry> log = host.commands().entries();
        assertThat(log).extracting(CommandLog.Entry::script).containsExactly("Write-Output 'before'",
                "Write-Output 'frozen'", "Write-Output 'after'");
        assertThat(log.get(2).at()).as("the next command came once the host thawed").isAfterOrEqualTo(thawed);
        assertThat(host.faults().faultedRequests()).as("requests a freeze answered with a fault").isZero();
    }
}
