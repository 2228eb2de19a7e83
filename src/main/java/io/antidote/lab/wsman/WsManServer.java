package io.antidote.lab.wsman;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One lab host's WS-Management endpoint: WinRS over SOAP 1.2 on {@code POST /wsman}, with HTTP
 * Basic and NTLM authentication (NTLM bodies encrypted as MS-WSMV says) over HTTP or HTTPS, as close
 * to a Windows host as real WinRM clients can tell. Framework-free: it needs only a {@link Vertx},
 * plain or Quarkus-managed.
 */
public final class WsManServer {

    private final Vertx vertx;
    private final String hostName;
    private final WsManEndpoint endpoint;
    private Future<String> deployment;
    private Future<Void> stopped;

    /** A host with {@link WsManOptions#labDefaults()}: Basic and NTLM over plain HTTP. */
    public WsManServer(Vertx vertx, String hostName, WsManCredentials credentials, ShellHost shellHost,
            WsManFaults faults) {
        this(vertx, hostName, credentials, shellHost, faults, WsManOptions.labDefaults());
    }

    public WsManServer(Vertx vertx, String hostName, WsManCredentials credentials, ShellHost shellHost,
            WsManFaults faults, WsManOptions options) {
        this(vertx, hostName, credentials, shellHost, faults, options, WsManLimits.defaults());
    }

    WsManServer(Vertx vertx, String hostName, WsManCredentials credentials, ShellHost shellHost, WsManFaults faults,
            WsManLimits limits) {
        this(vertx, hostName, credentials, shellHost, faults, WsManOptions.labDefaults(), limits);
    }

    WsManServer(Vertx vertx, String hostName, WsManCredentials credentials, ShellHost shellHost, WsManFaults faults,
            WsManOptions options, WsManLimits limits) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.hostName = Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(options, "options");
        List<AuthScheme> schemes = new ArrayList<>();
        if (options.accepts(WsManOptions.Authentication.NTLM)) {
            schemes.add(new NtlmAuthScheme(credentials, hostName, System::currentTimeMillis));
        }
        if (options.accepts(WsManOptions.Authentication.BASIC)) {
            schemes.add(new BasicAuthScheme(credentials));
        }
        this.endpoint = new WsManEndpoint(hostName, new HttpAuthenticator(schemes),
                Objects.requireNonNull(shellHost, "shellHost"), Objects.requireNonNull(faults, "faults"),
                options, Objects.requireNonNull(limits, "limits"));
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

    /** HTTP requests received so far (NTLM handshakes included), for tests and benchmarks that count a step's cost. */
    public long requests() {
        return endpoint.requests();
    }

    /** Open shells, for tests and a future lab status view. */
    Future<Integer> openShells() {
        return endpoint.openShells();
    }

    /** Connections holding NTLM state, for tests that check it is dropped when they close. */
    Future<Integer> authenticatedConnections() {
        return endpoint.authenticatedConnections();
    }

    public String hostName() {
        return hostName;
    }
}
