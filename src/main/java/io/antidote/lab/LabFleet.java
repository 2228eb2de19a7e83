package io.antidote.lab;

import io.antidote.lab.exchange.ExchangeServer;
import io.antidote.lab.exchange.ServerSpec;
import io.antidote.lab.wsman.WsManCredentials;
import io.antidote.lab.wsman.WsManFaults;
import io.antidote.lab.wsman.WsManServer;
import io.antidote.winrm.Credential;
import io.antidote.winrm.CredentialResolver;
import io.antidote.winrm.Target;
import io.antidote.winrm.TargetRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;

/**
 * The lab's simulated Exchange servers: each gets a WS-Management endpoint on loopback and is
 * registered as a target, so runs reach it through the real WinRM client like any server.
 */
@ApplicationScoped
public class LabFleet {

    private static final Logger LOG = Logger.getLogger(LabFleet.class);

    /** The fleet the lab profile starts with: the affected versions, one of them already compromised. */
    static final Map<String, ServerSpec> DEFAULT_FLEET = Map.of(
            "lab-ex01", new ServerSpec("2016", "CU19", List.of(), Set.of()),
            "lab-ex02", new ServerSpec("2019", "CU8", List.of("webshell", "lsass-dump"), Set.of()),
            "lab-ex03", new ServerSpec("2013", "CU23", List.of(), Set.of()));

    private final LabConfig config;
    private final Vertx vertx;
    private final TargetRegistry targets;
    private final CredentialResolver credentials;
    private final Map<String, LabHost> hosts = new ConcurrentSkipListMap<>();

    LabFleet(LabConfig config, Vertx vertx, TargetRegistry targets, CredentialResolver credentials) {
        this.config = config;
        this.vertx = vertx;
        this.targets = targets;
        this.credentials = credentials;
    }

    public boolean enabled() {
        return config.enabled();
    }

    void start(@Observes StartupEvent start) {
        if (!config.enabled()) {
            return;
        }
        int port = config.firstPort();
        for (String name : DEFAULT_FLEET.keySet().stream().sorted().toList()) {
            create(name, DEFAULT_FLEET.get(name), port);
            port = port == 0 ? 0 : port + 1;
        }
    }

    void stop(@Observes ShutdownEvent stop) {
        hosts.keySet().forEach(this::delete);
    }

    public Collection<LabHost> all() {
        return List.copyOf(hosts.values());
    }

    public Optional<LabHost> find(String name) {
        return Optional.ofNullable(hosts.get(name));
    }

    /** Starts a host and registers it as a target. Blocks until it listens: call from a worker thread. */
    public synchronized LabHost create(String name, ServerSpec spec, int port) {
        if (hosts.containsKey(name) || targets.find(name).isPresent()) {
            throw new IllegalArgumentException("a target named '" + name + "' already exists");
        }
        Credential credential = credentials.resolve(config.credential());
        ExchangeServer server = ExchangeServer.create(name, spec);
        server.realTimeSleep(config.realTimeSleep());
        LabHost host = new LabHost(server, vertx);
        WsManServer endpoint = new WsManServer(vertx, name,
                new WsManCredentials(credential.user(), credential.password()), host, host.faults());
        int bound;
        try {
            bound = endpoint.start("127.0.0.1", port).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("lab host '" + name + "' could not listen on port " + port + ": "
                    + e.getMessage(), e);
        }
        host.attach(endpoint);
        host.applyFaults();
        hosts.put(name, host);
        // NTLM with message encryption over HTTP: what a Windows host accepts by default.
        Map<String, String> labels = new java.util.TreeMap<>(Map.of("lab", "true", "version", spec.version(), "cu", spec.cu()));
        if (spec.dag() != null) {
            labels.put("dag", spec.dag()); // so that runs can select a DAG's members by label
        }
        targets.register(new Target(name, "127.0.0.1", bound, Target.Scheme.HTTP, Target.AuthScheme.NTLM,
                config.credential(), labels));
        LOG.infof("Lab host %s (Exchange %s %s) listens on http://127.0.0.1:%d/wsman", name, spec.version(),
                spec.cu(), bound);
        return host;
    }

    public synchronized boolean delete(String name) {
        LabHost host = hosts.remove(name);
        if (host == null) {
            return false;
        }
        targets.remove(name);
        host.close();
        host.endpoint().stop();
        return true;
    }
}
