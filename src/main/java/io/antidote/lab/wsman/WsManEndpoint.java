package io.antidote.lab.wsman;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The HTTP side of one lab host: a verticle, so that everything it holds lives on one event loop
 * whichever thread started it. Checks the path, the forced faults and the credentials before
 * reading a body (a request that gets a 401 is never parsed), then hands the SOAP request to
 * {@link RemoteShells} and writes the reply after the configured latency.
 */
final class WsManEndpoint extends AbstractVerticle {

    private static final String SOAP_CONTENT_TYPE = "application/soap+xml;charset=UTF-8";
    private static final System.Logger LOG = System.getLogger(WsManEndpoint.class.getName());

    private final String hostName;
    private final HttpAuthenticator authenticator;
    private final ShellHost shellHost;
    private final WsManFaults faults;
    private final WsManLimits limits;
    private final Runnable refusalListener = this::refusalChanged;

    private String bindHost;
    private int requestedPort;
    private volatile int boundPort = -1;
    private RemoteShells shells;
    private HttpServer httpServer;
    private long sweepTimer = -1;
    private boolean stopping;
    private Future<Void> listenerChanges = Future.succeededFuture();

    WsManEndpoint(String hostName, HttpAuthenticator authenticator, ShellHost shellHost, WsManFaults faults,
            WsManLimits limits) {
        this.hostName = hostName;
        this.authenticator = authenticator;
        this.shellHost = shellHost;
        this.faults = faults;
        this.limits = limits;
    }

    void bindTo(String bindHost, int port) {
        this.bindHost = bindHost;
        this.requestedPort = port;
    }

    int port() {
        return boundPort;
    }

    /** How many shells are open, read on the event loop that owns them. */
    Future<Integer> openShells() {
        if (context == null) {
            return Future.succeededFuture(0);
        }
        Promise<Integer> count = Promise.promise();
        context.runOnContext(v -> count.complete(shells.shellCount()));
        return count.future();
    }

    @Override
    public void start(Promise<Void> started) {
        shells = new RemoteShells(vertx, context, hostName, shellHost, limits, System::nanoTime);
        listen(requestedPort)
                .compose(server -> {
                    httpServer = server;
                    boundPort = server.actualPort();
                    sweepTimer = vertx.setPeriodic(limits.idleSweepInterval().toMillis(), id -> shells.sweepIdle());
                    faults.onRefusalChanged(refusalListener);
                    return reconcileListener();
                })
                .onComplete(started);
    }

    @Override
    public void stop(Promise<Void> stopped) {
        stopping = true;
        faults.removeRefusalListener(refusalListener);
        vertx.cancelTimer(sweepTimer);
        shells.closeAll();
        HttpServer server = httpServer;
        httpServer = null;
        (server == null ? Future.<Void>succeededFuture() : server.close()).onComplete(stopped);
    }

    private Future<HttpServer> listen(int port) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(bindHost)
                .setPort(port)
                // Windows' HTTP.sys speaks HTTP/1.1 only to WinRM clients.
                .setHttp2ClearTextEnabled(false)
                // Drops sockets left idle (slow or abandoned clients); longer than any Receive hold.
                .setIdleTimeout((int) limits.maxReceiveHold().toSeconds() + 90);
        return vertx.createHttpServer(options).requestHandler(this::handle).listen();
    }

    /** Called from whichever thread flipped the switch; the change is applied on the event loop, in order. */
    private void refusalChanged() {
        context.runOnContext(v -> listenerChanges = listenerChanges.transform(previous -> reconcileListener()));
    }

    /** Closes the listener while connections are refused, and listens again on the same port afterwards. */
    private Future<Void> reconcileListener() {
        boolean refuse = faults.refusesConnections();
        if (stopping) {
            return Future.succeededFuture();
        }
        if (refuse && httpServer != null) {
            HttpServer server = httpServer;
            httpServer = null;
            return server.close();
        }
        if (!refuse && httpServer == null) {
            return listen(boundPort).map(server -> {
                if (stopping) {
                    server.close();
                } else {
                    httpServer = server;
                }
                return (Void) null;
            }).onFailure(cause -> LOG.log(System.Logger.Level.WARNING,
                    "lab host {0} could not listen again on port {1}: {2}", hostName, boundPort, cause.toString()));
        }
        return Future.succeededFuture();
    }

    private void handle(HttpServerRequest request) {
        request.response().putHeader(HttpHeaders.SERVER, "Microsoft-HTTPAPI/2.0");
        OptionalInt forced = faults.forcedHttpStatus();
        if (forced.isPresent()) {
            discardBody(request);
            send(request, forced.getAsInt(), null, forced.getAsInt() == 401, false);
            return;
        }
        if (!"/wsman".equalsIgnoreCase(request.path())) {
            discardBody(request);
            send(request, 404, null, false, false);
            return;
        }
        if (request.method() != HttpMethod.POST) {
            discardBody(request);
            request.response().putHeader(HttpHeaders.ALLOW, "POST");
            send(request, 405, null, false, false);
            return;
        }
        Optional<String> user = authenticator.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (user.isEmpty()) {
            discardBody(request);
            send(request, 401, null, true, false);
            return;
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            request.response().writeContinue();
        }
        String clientIp = request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
        RemoteShells.Caller caller = new RemoteShells.Caller(
                user.get(), clientIp, "http://" + hostName + ":" + boundPort + "/wsman");
        readBody(request, caller);
    }

    private void readBody(HttpServerRequest request, RemoteShells.Caller caller) {
        Buffer body = Buffer.buffer();
        boolean[] tooLarge = {false};
        request.handler(chunk -> {
            if (tooLarge[0]) {
                return;
            }
            if (body.length() + chunk.length() > limits.maxRequestBytes()) {
                tooLarge[0] = true;
                sendReply(request, WsManReply.fault(WsManFault.envelopeTooLarge(limits.maxRequestBytes()), hostName),
                        null, true);
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(end -> {
            if (!tooLarge[0]) {
                process(request, caller, body.getBytes());
            }
        });
        request.exceptionHandler(cause -> LOG.log(System.Logger.Level.DEBUG,
                "lab host {0} lost a request: {1}", hostName, cause.toString()));
    }

    private void process(HttpServerRequest request, RemoteShells.Caller caller, byte[] body) {
        String relatesTo = null;
        try {
            WsManRequest parsed = WsManRequestParser.parse(body);
            relatesTo = parsed.messageId();
            if (relatesTo == null) {
                throw WsManFault.missingMessageId();
            }
            String replyTo = relatesTo;
            dispatch(parsed, caller, abandonment(request))
                    .onComplete(result -> sendReply(request,
                            result.succeeded() ? result.result() : faultReply(result.cause()), replyTo, false));
        } catch (WsManFault fault) {
            sendReply(request, WsManReply.fault(fault, hostName), relatesTo, false);
        } catch (RuntimeException unexpected) {
            sendReply(request, faultReply(unexpected), relatesTo, false);
        }
    }

    private Future<WsManReply> dispatch(WsManRequest request, RemoteShells.Caller caller, Future<Void> abandoned)
            throws WsManFault {
        String action = request.action();
        if (action == null) {
            throw WsManFault.actionNotSupported();
        }
        switch (action) {
            case WsMan.ACTION_CREATE:
                return Future.succeededFuture(shells.create(request, caller));
            case WsMan.ACTION_COMMAND:
                return Future.succeededFuture(shells.command(request));
            case WsMan.ACTION_RECEIVE:
                return shells.receive(request, abandoned);
            case WsMan.ACTION_SIGNAL:
                return Future.succeededFuture(shells.signal(request));
            case WsMan.ACTION_DELETE:
                return Future.succeededFuture(shells.delete(request));
            default:
                throw WsManFault.actionNotSupported();
        }
    }

    private WsManReply faultReply(Throwable cause) {
        if (cause instanceof WsManFault fault) {
            return WsManReply.fault(fault, hostName);
        }
        LOG.log(System.Logger.Level.ERROR, "lab host " + hostName + " failed to handle a request", cause);
        return WsManReply.fault(WsManFault.internalError(), hostName);
    }

    /** Completes when the client drops the connection before its reply, e.g. during a held Receive. */
    private static Future<Void> abandonment(HttpServerRequest request) {
        Promise<Void> abandoned = Promise.promise();
        request.response().closeHandler(closed -> abandoned.tryComplete());
        return abandoned.future();
    }

    private static void discardBody(HttpServerRequest request) {
        request.handler(ignored -> {
        });
    }

    private void sendReply(HttpServerRequest request, WsManReply reply, String relatesTo, boolean closeAfter) {
        if (reply.httpStatus() != 200) {
            LOG.log(System.Logger.Level.DEBUG, "lab host {0} answers a fault: {1}", hostName, reply.action());
        }
        send(request, reply.httpStatus(), reply.render(relatesTo), false, closeAfter);
    }

    /** Writes a reply after the host's configured latency; nothing if the client has gone. */
    private void send(HttpServerRequest request, int status, String soapBody, boolean challenge, boolean closeAfter) {
        Runnable write = () -> {
            HttpServerResponse response = request.response();
            if (response.ended() || response.closed()) {
                return;
            }
            response.setStatusCode(status);
            if (challenge) {
                authenticator.challenges().forEach(offer -> response.headers().add("WWW-Authenticate", offer));
            }
            Future<Void> written;
            if (soapBody == null) {
                written = response.end();
            } else {
                response.putHeader(HttpHeaders.CONTENT_TYPE, SOAP_CONTENT_TYPE);
                written = response.end(soapBody);
            }
            if (closeAfter) {
                written.onComplete(done -> request.connection().close());
            }
        };
        long delay = faults.latency().toMillis();
        if (delay <= 0) {
            write.run();
        } else {
            vertx.setTimer(delay, id -> write.run());
        }
    }
}
