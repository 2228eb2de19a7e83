package io.antidote.lab.wsman;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Objects;

/**
 * One lab host's WS-Management endpoint: WinRS over SOAP 1.2 on {@code POST /wsman}, with HTTP
 * Basic authentication, as close to a Windows host as real WinRM clients can tell. Framework-free:
 * it needs only a {@link Vertx}, plain or Quarkus-managed.
 */
public final class WsManServer {

    private final Vertx vertx;
    private final String hostName;
    private final WsManEndpoint endpoint;
    private Future<String> deployment;
    private Future<Void> stopped;

    public WsManServer(Vertx vertx, String hostName, WsManCredentials credentials, ShellHost shellHost,
            WsManFaults faults) {
        this(vertx, hostName, credentials, shellHost, faults, WsManLimits.defaults());
    }

    WsManServer(Vertx vertx, String hostName, WsManCredentials credentials, ShellHost shellHost, WsManFaults faults,
            WsManLimits limits) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.hostName = Objects.requireNonNull(hostName, "hostName");
        this.endpoint = new WsManEndpoint(hostName,
                new HttpAuthenticator(List.of(new BasicAuthScheme(Objects.requireNonNull(credentials, "credentials")))),
                Objects.requireNonNull(shellHost, "shellHost"), Objects.requireNonNull(faults, "faults"),
                Objects.requireNonNull(limits, "limits"));
    }

    /**
     * Starts listening.
     *
     * @param bindHost the address to bind, normally {@code 127.0.0.1}
     * @param port the port, 0 for any free one
     * @return the bound port
     */
    public synchronized Future<Integer> start(String bindHost, int port) {
        if (deployment != null) {
            return Future.failedFuture(new IllegalStateException("lab host " + hostName + " was already started"));
        }
        endpoint.bindTo(Objects.requireNonNull(bindHost, "bindHost"), port);
        deployment = vertx.deployVerticle(endpoint);
        return deployment.map(id -> endpoint.port());
    }

    /** Stops listening and forgets every shell; commands still running finish unobserved. Idempotent. */
    public synchronized Future<Void> stop() {
        if (deployment == null) {
            return Future.succeededFuture();
        }
        if (stopped == null) {
            stopped = deployment.transform(deployed -> deployed.succeeded()
                    ? vertx.undeploy(deployed.result())
                    : Future.<Void>succeededFuture());
        }
        return stopped;
    }

    /** The bound port, or -1 before the server has started. */
    public int port() {
        return endpoint.port();
    }

    /** Open shells, for tests and a future lab status view. */
    Future<Integer> openShells() {
        return endpoint.openShells();
    }

    public String hostName() {
        return hostName;
    }
}
