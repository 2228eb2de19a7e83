package io.antidote.winrm;

import io.antidote.lab.LabHost;
import io.antidote.lab.exchange.ExchangeServer;
import io.antidote.lab.exchange.ServerSpec;
import io.antidote.lab.wsman.ShellHost;
import io.antidote.lab.wsman.WsManCredentials;
import io.antidote.lab.wsman.WsManFaults;
import io.antidote.lab.wsman.WsManOptions;
import io.antidote.lab.wsman.WsManServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Lab hosts for transport tests, without the Quarkus app: each a WsManServer on a free loopback port. */
final class LabTargets implements AutoCloseable {

    static final String USER = "lab";
    static final String PASSWORD = "Lab-Passw0rd!";
    static final CredentialResolver CREDENTIALS = CredentialResolver.of(
            ref -> ref.equals("lab") ? java.util.Optional.of(new Credential(USER, PASSWORD)) : java.util.Optional.empty());

    final Vertx vertx = Vertx.vertx();
    private final List<WsManServer> servers = new ArrayList<>();

    record Started(Target target, WsManFaults faults, ExchangeServer server) {
    }

    /** A simulated Exchange 2016 server answering PowerShell. */
    Started exchange(String name, WsManOptions options, Target.Scheme scheme, Target.AuthScheme auth) {
        ExchangeServer server = ExchangeServer.create(name, new ServerSpec("2016", "CU19", List.of(), Set.of()));
        Started started = start(name, new LabHost(server, vertx), options, scheme, auth);
        return new Started(started.target(), started.faults(), server);
    }

    Started exchange(String name) {
        return exchange(name, WsManOptions.labDefaults(), Target.Scheme.HTTP, Target.AuthScheme.NTLM);
    }

    Started start(String name, ShellHost host, WsManOptions options, Target.Scheme scheme, Target.AuthScheme auth) {
        WsManFaults faults = new WsManFaults();
        WsManServer server = new WsManServer(vertx, name, new WsManCredentials(USER, PASSWORD), host, faults, options);
        int port = await(server.start("127.0.0.1", 0));
        servers.add(server);
        return new Started(new Target(name, "127.0.0.1", port, scheme, auth, "lab", Map.of()), faults, null);
    }

    /** HTTP requests the target's lab host has received (NTLM handshakes included). */
    long requests(Target target) {
        return servers.stream().filter(s -> s.hostName().equals(target.name())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no lab host " + target.name())).requests();
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the lab host did not answer in time", e);
        }
    }

    @Override
    public void close() {
        servers.forEach(s -> await(s.stop()));
        await(vertx.close());
    }
}
