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
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP side of one lab host: a verticle, so that everything it holds lives on one event loop
 * whichever thread started it. Checks the path, the forced faults and the credentials before
 * reading a body (a request that gets a 401 is never parsed), opens an NTLM-encrypted body, hands
 * the SOAP request to {@link RemoteShells} and writes the reply, sealed when the request was, after
 * the configured latency.
 */
final class WsManEndpoint extends AbstractVerticle {

    private static final String SOAP_CONTENT_TYPE = "application/soap+xml;charset=UTF-8";
    /** How long a refused request's declared body may take to arrive; honest clients send it at once. */
    private static final long UNSENT_BODY_GRACE_MILLIS = 1_000;
    private static final System.Logger LOG = System.getLogger(WsManEndpoint.class.getName());

    private final String hostName;
    private final HttpAuthenticator authenticator;
    private final ShellHost shellHost;
    private final WsManFaults faults;
    private final WsManOptions options;
    private final WsManLimits limits;
    private final Runnable refusalListener = this::refusalChanged;
    private final AtomicLong requests = new AtomicLong();

    private String bindHost;
    private int requestedPort;
    private volatile int boundPort = -1;
    private RemoteShells shells;
    private HttpServer httpServer;
    private long sweepTimer = -1;
    private boolean stopping;
    private Future<Void> listenerChanges = Future.succeededFuture();

    WsManEndpoint(String hostName, HttpAuthenticator authenticator, ShellHost shellHost, WsManFaults faults,
            WsManOptions options, WsManLimits limits) {
        this.hostName = hostName;
        this.authenticator = authenticator;
        this.shellHost = shellHost;
        this.faults = faults;
        this.options = options;
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
    /** HTTP requests this host has received, handshakes and refused ones included: what a client's work cost it. */
    long requests() {
        return requests.get();
    }

    Future<Integer> openShells() {
        if (context == null) {
            return Future.succeededFuture(0);
        }
        Promise<Integer> count = Promise.promise();
        context.runOnContext(v -> count.complete(shells.shellCount()));
        return count.future();
    }

    /** Connections holding authentication state (an NTLM handshake or session), read on the event loop. */
    Future<Integer> authenticatedConnections() {
        if (context == null) {
            return Future.succeededFuture(0);
        }
        Promise<Integer> count = Promise.promise();
        context.runOnContext(v -> count.complete(authenticator.trackedConnections()));
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
        HttpServerOptions serverOptions = new HttpServerOptions()
                .setHost(bindHost)
                .setPort(port)
                // Windows' HTTP.sys speaks HTTP/1.1 only to WinRM clients.
                .setHttp2ClearTextEnabled(false)
                // Drops sockets left idle (slow or abandoned clients); longer than any Receive hold.
                .setIdleTimeout((int) limits.maxReceiveHold().toSeconds() + 90);
        if (options.https()) {
            serverOptions.setSsl(true).setKeyCertOptions(options.tls().keyCertOptions());
        }
        return vertx.createHttpServer(serverOptions).requestHandler(this::handle).listen();
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
        requests.incrementAndGet();
        if (faults.frozen()) {
            // Held, body and all, until the host thaws; then served as if it had just come.
            request.pause();
            faults.whenThawed(() -> context.runOnContext(thawed -> {
                request.resume();
                handle(request);
            }));
            return;
        }
        request.response().putHeader(HttpHeaders.SERVER, "Microsoft-HTTPAPI/2.0");
        if (faults.resetsConnections() || faults.takeResetOfNextRequest()) {
            faults.faulted();
            request.connection().close();
            return;
        }
        if (faults.hangs()) {
            faults.faulted();
            // Read and drop the body, answer nothing: only the client's own timeout ends this.
            request.handler(ignored -> {
            });
            return;
        }
        OptionalInt forced = faults.forcedHttpStatus();
        if (forced.isPresent()) {
            faults.faulted();
            answerUnread(request, forced.getAsInt(),
                    forced.getAsInt() == 401 ? authenticator.challenges() : List.of(), false);
            return;
        }
        if (!"/wsman".equalsIgnoreCase(request.path())) {
            answerUnread(request, 404, List.of(), false);
            return;
        }
        if (request.method() != HttpMethod.POST) {
            request.response().putHeader(HttpHeaders.ALLOW, "POST");
            answerUnread(request, 405, List.of(), false);
            return;
        }
        AuthOutcome outcome = authenticator.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION),
                request.connection());
        if (outcome instanceof AuthOutcome.Continue handshake) {
            // The body of a handshake request is a placeholder: never parse it.
            answerUnread(request, 401, List.of(handshake.wwwAuthenticate()), false);
            return;
        }
        if (outcome instanceof AuthOutcome.Refused refused) {
            answerUnread(request, 401, authenticator.challenges(), refused.closeConnection());
            return;
        }
        AuthOutcome.Accepted accepted = (AuthOutcome.Accepted) outcome;
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            request.response().writeContinue();
        }
        String clientIp = request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
        RemoteShells.Caller caller = new RemoteShells.Caller(accepted.user(), clientIp,
                (options.https() ? "https://" : "http://") + hostName + ":" + boundPort + "/wsman");
        NtlmSessionSecurity sealing = EncryptedEnvelope.isEncrypted(request.getHeader(HttpHeaders.CONTENT_TYPE))
                ? accepted.sessionSecurity()
                : null;
        readBody(request, caller, accepted, sealing);
    }

    /**
     * @param sealing the connection's NTLM session when the request is encrypted and can be opened;
     *     the reply is then sealed with it, faults included
     */
    private void readBody(HttpServerRequest request, RemoteShells.Caller caller, AuthOutcome.Accepted accepted,
            NtlmSessionSecurity sealing) {
        Buffer body = Buffer.buffer();
        boolean[] tooLarge = {false};
        request.handler(chunk -> {
            if (tooLarge[0]) {
                return;
            }
            if (body.length() + chunk.length() > limits.maxRequestBytes()) {
                tooLarge[0] = true;
                sendReply(request, WsManReply.fault(WsManFault.envelopeTooLarge(limits.maxRequestBytes()), hostName),
                        null, sealing, true);
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(end -> {
            if (!tooLarge[0]) {
                open(request, caller, accepted, sealing, body.getBytes());
            }
        });
        request.exceptionHandler(cause -> LOG.log(System.Logger.Level.DEBUG,
                "lab host {0} lost a request: {1}", hostName, cause.toString()));
    }

    /**
     * Decrypts an encrypted body, or applies Windows' rules to a plain one: over plain HTTP an
     * NTLM-authenticated body must be encrypted unless {@code AllowUnencrypted} is on, and an empty
     * body (pywinrm's way to finish the handshake before it encrypts) is answered with an empty 200.
     */
    private void open(HttpServerRequest request, RemoteShells.Caller caller, AuthOutcome.Accepted accepted,
            NtlmSessionSecurity sealing, byte[] body) {
        if (EncryptedEnvelope.isEncrypted(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
            if (sealing == null) {
                sendReply(request, WsManReply.badRequest(WsManFault.encryptedWithoutSession(), hostName), null, null,
                        false);
                return;
            }
            byte[] soap;
            try {
                EncryptedEnvelope.Parts parts = EncryptedEnvelope.parse(body);
                soap = sealing.unseal(parts.signature(), parts.sealed());
            } catch (NtlmSessionSecurity.IntegrityException refused) {
                // The client's RC4 stream is out of step now: answer in clear and drop the connection,
                // which drops its NTLM session with it.
                LOG.log(System.Logger.Level.DEBUG, "lab host {0} refused an encrypted message: {1}", hostName,
                        refused.getMessage());
                sendReply(request, WsManReply.badRequest(WsManFault.integrityFailure(refused.getMessage()), hostName),
                        null, null, true);
                return;
            }
            process(request, caller, soap, sealing);
            return;
        }
        if (accepted.encryptionExpected() && body.length == 0) {
            send(request, 200, null, List.of(), false);
            return;
        }
        if (accepted.encryptionExpected() && !options.https() && !options.allowUnencryptedNtlm()) {
            sendReply(request, WsManReply.badRequest(WsManFault.unencryptedRefused(), hostName), null, null, false);
            return;
        }
        process(request, caller, body, null);
    }

    private void process(HttpServerRequest request, RemoteShells.Caller caller, byte[] body,
            NtlmSessionSecurity sealing) {
        String relatesTo = null;
        try {
            WsManRequest parsed = WsManRequestParser.parse(body);
            relatesTo = parsed.messageId();
            if (goesDownAt(request, parsed.action())) {
                return;
            }
            if (relatesTo == null) {
                throw WsManFault.missingMessageId();
            }
            String replyTo = relatesTo;
            dispatch(parsed, caller, abandonment(request))
                    .onComplete(result -> sendReply(request,
                            result.succeeded() ? result.result() : faultReply(result.cause()), replyTo, sealing,
                            false));
        } catch (WsManFault fault) {
            if (relatesTo == null && goesDownAt(request, null)) {
                return;
            }
            sendReply(request, WsManReply.fault(fault, hostName), relatesTo, sealing, false);
        } catch (RuntimeException unexpected) {
            sendReply(request, faultReply(unexpected), relatesTo, sealing, false);
        }
    }

    /**
     * A host that is restarting still serves the exchange of commands under way (their Send, Receive and Signal, and
     * the Delete of a shell) and goes down at the first request that would start something new: that request's
     * connection is closed unanswered, and the listener with it.
     */
    private boolean goesDownAt(HttpServerRequest request, String action) {
        boolean exchangeUnderWay = WsMan.ACTION_RECEIVE.equals(action) || WsMan.ACTION_SIGNAL.equals(action)
                || WsMan.ACTION_SEND.equals(action) || WsMan.ACTION_DELETE.equals(action);
        if (!exchangeUnderWay && faults.goDownIfPending()) {
            request.connection().close();
            return true;
        }
        return false;
    }

    private Future<WsManReply> dispatch(WsManRequest request, RemoteShells.Caller caller, Future<Void> abandoned)
            throws WsManFault {
        String action = request.action();
        if (action == null) {
            throw WsManFault.actionNotSupported();
        }
        switch (action) {
            case WsMan.ACTION_CREATE:
                if (faults.faultsShellCreation()) {
                    faults.faulted();
                    throw WsManFault.shellQuota(limits.maxShells());
                }
                return Future.succeededFuture(shells.create(request, caller));
            case WsMan.ACTION_COMMAND:
                return Future.succeededFuture(shells.command(request));
            case WsMan.ACTION_RECEIVE:
                return shells.receive(request, abandoned);
            case WsMan.ACTION_SIGNAL:
                return Future.succeededFuture(shells.signal(request));
            case WsMan.ACTION_SEND:
                return Future.succeededFuture(shells.send(request));
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

    /**
     * Answers with an empty body once the request's body has been read and dropped unparsed. If the
     * client declared a body it does not send (WinRM4j does, when it gives up on NTLM), the reply
     * goes after a grace period and the connection is closed: kept alive, it would read the
     * client's next request as that body.
     */
    private void answerUnread(HttpServerRequest request, int status, List<String> challenges, boolean closeAfter) {
        if (request.isEnded()) {
            send(request, status, null, challenges, closeAfter);
            return;
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            // Let the body come, so that the connection stays usable for the rest of a handshake.
            request.response().writeContinue();
        }
        boolean[] answered = {false};
        long grace = vertx.setTimer(UNSENT_BODY_GRACE_MILLIS, id -> {
            if (!answered[0]) {
                answered[0] = true;
                send(request, status, null, challenges, true);
            }
        });
        request.handler(ignored -> {
        });
        request.endHandler(end -> {
            if (!answered[0]) {
                answered[0] = true;
                vertx.cancelTimer(grace);
                send(request, status, null, challenges, closeAfter);
            }
        });
    }

    private void sendReply(HttpServerRequest request, WsManReply reply, String relatesTo, NtlmSessionSecurity sealing,
            boolean closeAfter) {
        if (reply.httpStatus() != 200) {
            LOG.log(System.Logger.Level.DEBUG, "lab host {0} answers a fault: {1}", hostName, reply.action());
        }
        String envelope = reply.render(relatesTo);
        HostileXml hostile = faults.hostileXml();
        if (hostile != null && reply.httpStatus() == 200) {
            envelope = hostile.applyTo(envelope);
        }
        send(request, reply.httpStatus(), new SoapBody(envelope, sealing), List.of(), closeAfter);
    }

    /** A SOAP envelope to send, sealed for the client when {@code sealing} is not null. */
    private record SoapBody(String envelope, NtlmSessionSecurity sealing) {
    }

    /**
     * Writes a reply after the host's configured latency; nothing if the client has gone. Sealing
     * happens here, at the moment of writing, so that the RC4 stream advances only for replies the
     * client receives, in the order it receives them.
     */
    private void send(HttpServerRequest request, int status, SoapBody body, List<String> challenges,
            boolean closeAfter) {
        Runnable write = () -> {
            HttpServerResponse response = request.response();
            if (response.ended() || response.closed()) {
                return;
            }
            response.setStatusCode(status);
            challenges.forEach(offer -> response.headers().add("WWW-Authenticate", offer));
            if (closeAfter) {
                // Said in the reply, as HTTP.sys does: a client that was not told would send its next
                // request on this connection and, depending on timing, see it closed under that request.
                response.putHeader(HttpHeaders.CONNECTION, "close");
            }
            Future<Void> written;
            if (body == null) {
                written = response.end();
            } else if (body.sealing() == null) {
                response.putHeader(HttpHeaders.CONTENT_TYPE, SOAP_CONTENT_TYPE);
                written = response.end(body.envelope());
            } else {
                byte[] plaintext = body.envelope().getBytes(StandardCharsets.UTF_8);
                response.putHeader(HttpHeaders.CONTENT_TYPE, EncryptedEnvelope.CONTENT_TYPE);
                written = response.end(Buffer.buffer(
                        EncryptedEnvelope.frame(plaintext.length, body.sealing().seal(plaintext))));
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
