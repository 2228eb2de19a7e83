package io.antidote.winrm;

import io.cloudsoft.winrm4j.client.WinRmClientContext;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Scope;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.cxf.configuration.jsse.TLSClientParameters;
import org.apache.cxf.transport.http.HTTPConduitConfigurer;
import org.jboss.logging.Logger;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link RemoteShell} over WinRM4j, built to survive a fleet: every call is bounded by a deadline (connect,
 * WinRM operation and reply timeouts below it), output is capped and secrets masked, sessions are limited
 * globally and per host, a host that keeps failing is cut off by a circuit breaker, and a target's client
 * and shell are reused across its consecutive steps. One {@link WinRmClientContext} per process: it holds
 * the CXF bus. Blocking: callers run it on worker threads.
 */
@ApplicationScoped
public class WinRm4jShell implements RemoteShell, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WinRm4jShell.class);
    private static final AttributeKey<String> TARGET = AttributeKey.stringKey("antidote.target");
    private static final AttributeKey<String> SERVER = AttributeKey.stringKey("server.address");
    private static final AttributeKey<Long> EXIT_CODE = AttributeKey.longKey("antidote.winrm.exit_code");
    private static final AttributeKey<String> FAILURE_KIND = AttributeKey.stringKey("antidote.winrm.failure");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    /** How often an attempt waiting for a session slot looks whether it was given up. */
    static final Duration SLOT_CHECK = Duration.ofMillis(200);

    private final CredentialResolver credentials;
    private final WinRmSettings settings;
    private final WinRmClientContext context = WinRmClientContext.newInstance();
    private final Semaphore sessions;
    private final Map<String, Semaphore> perHost = new ConcurrentHashMap<>();
    private final Map<String, Deque<TargetSession>> idle = new ConcurrentHashMap<>();
    private final CircuitBreaker breaker;
    private final ScheduledExecutorService janitor;
    private final AtomicInteger opened = new AtomicInteger();
    private final WinRmMetrics metrics;
    /** A span per call, with the WS-Management operations it sent as events ({@link WsManCalls}). */
    private final Tracer tracer;
    private volatile WinRmTrust trust;

    @Inject
    WinRm4jShell(CredentialResolver credentials, WinRmConfig config, MeterRegistry registry, Tracer tracer) {
        this(credentials, WinRmSettings.from(config), Clock.systemUTC(), new WinRmMetrics(registry), tracer);
    }

    public WinRm4jShell(CredentialResolver credentials, WinRmSettings settings, Clock clock) {
        this(credentials, settings, clock, WinRmMetrics.unregistered(), TracerProvider.noop().get("antidote"));
    }

    private WinRm4jShell(CredentialResolver credentials, WinRmSettings settings, Clock clock, WinRmMetrics metrics,
                         Tracer tracer) {
        this.tracer = tracer;
        this.credentials = credentials;
        this.settings = settings;
        this.metrics = metrics;
        WsManCalls.install(context);
        // CXF 3.6 gives each HTTPS conduit an SSLContext of its own, trusting only the JVM's CAs, and WinRM4j sets
        // one only for NTLM and only from its builder: every conduit of this bus gets the transport's trust.
        WsManCalls.busOf(context).setExtension((HTTPConduitConfigurer) (name, address, conduit) -> {
            if (address != null && address.regionMatches(true, 0, "https:", 0, 6)) {
                TLSClientParameters tls = new TLSClientParameters();
                tls.setSslContext(trust().context());
                conduit.setTlsClientParameters(tls);
            }
        }, HTTPConduitConfigurer.class);
        this.sessions = new Semaphore(settings.maxSessions(), true);
        this.breaker = new CircuitBreaker(settings.breakerThreshold(), settings.breakerOpenFor(), clock);
        this.janitor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "antidote-winrm-janitor");
            t.setDaemon(true);
            return t;
        });
        long sweep = Math.max(1, settings.sessionIdleClose().toMillis() / 2);
        janitor.scheduleWithFixedDelay(this::closeIdleSessions, sweep, sweep, TimeUnit.MILLISECONDS);
        if (settings.trustStore().isPresent()) {
            trust = WinRmTrust.install(settings);
        }
        Gauge.builder("antidote.winrm.circuits.open", breaker, CircuitBreaker::open)
                .description("Targets whose circuit breaker is open: calls to them fail fast").register(metrics.registry());
        Gauge.builder("antidote.winrm.sessions.waiting", sessions, Semaphore::getQueueLength)
                .description("Calls waiting for a session permit across the fleet").register(metrics.registry());
        Gauge.builder("antidote.winrm.sessions.busy", sessions, s -> settings.maxSessions() - s.availablePermits())
                .description("Session permits in use across the fleet").register(metrics.registry());
    }

    @Override
    public ScriptResult runPowerShell(Target target, String script) {
        return runPowerShell(target, script, settings.defaultStepTimeout());
    }

    @Override
    public ScriptResult runPowerShell(Target target, String script, Duration timeout) {
        return runPowerShell(target, script, "", timeout);
    }

    @Override
    public ScriptResult runPowerShell(Target target, String script, String stdin, Duration timeout) {
        return runPowerShell(target, script, stdin, timeout, AttemptStart.NOW);
    }

    @Override
    public ScriptResult runPowerShell(Target target, String script, String stdin, Duration timeout, AttemptStart begins) {
        long start = System.nanoTime();
        // A child of whatever is current on this thread: the step attempt's span on an engine worker.
        Span span = tracer.spanBuilder("winrm").setSpanKind(SpanKind.CLIENT)
                .setAttribute(TARGET, target.name()).setAttribute(SERVER, target.address()).startSpan();
        try (Scope current = span.makeCurrent()) {
            ScriptResult result = runMetered(target, script, stdin, timeout, begins);
            metrics.call(start, null);
            span.setAttribute(EXIT_CODE, (long) result.exitCode());
            LOG.debugf("WinRM to '%s': exit %d after %d ms", target.name(), result.exitCode(),
                    (System.nanoTime() - start) / 1_000_000);
            return result;
        } catch (RuntimeException | Error failure) {
            metrics.call(start, failure);
            // The kind only, never the message: it can quote what the host echoed.
            String kind = WinRmMetrics.kindOf(failure);
            span.setAttribute(FAILURE_KIND, kind);
            span.setAttribute(ERROR_TYPE, kind);
            span.setStatus(StatusCode.ERROR, kind);
            // The kind only: the engine records the (masked) message with the step's outcome.
            LOG.debugf("WinRM to '%s' failed after %d ms: %s", target.name(), (System.nanoTime() - start) / 1_000_000,
                    failure instanceof TransportException t ? t.failure().getClass().getSimpleName()
                            : failure.getClass().getSimpleName());
            throw failure;
        } finally {
            span.end();
        }
    }

    /** A failure to connect at all: the failing request was never delivered. */
    private static boolean neverDelivered(TransportFailure failure) {
        return failure instanceof TransportFailure.ConnectionRefused || failure instanceof TransportFailure.Unreachable;
    }

    private ScriptResult runMetered(Target target, String script, String stdin, Duration timeout, AttemptStart begins) {
        breaker.check(target.name());
        Credential credential = credentials.resolve(target.credential());
        if (target.scheme() == Target.Scheme.HTTPS && !target.verifyCertificate()) {
            trust().skipValidationFor(target);
        }
        Semaphore host = perHost.computeIfAbsent(target.name(), name -> new Semaphore(settings.maxSessionsPerHost(), true));
        acquire(sessions, target, begins);
        try {
            acquire(host, target, begins);
            try {
                // The step's time starts now that it holds its slots: waiting for them was not its own.
                if (!begins.begin()) {
                    throw new TransportException(target.name(), new TransportFailure.Interrupted());
                }
                long deadline = System.nanoTime() + timeout.toNanos();
                return run(target, credential, script, stdin == null ? new byte[0]
                        : stdin.getBytes(StandardCharsets.UTF_8), deadline, timeout);
            } finally {
                host.release();
            }
        } finally {
            sessions.release();
        }
    }

    /** How many WinRM clients (and first shells) this transport has built: reuse keeps it low. */
    public int clientsOpened() {
        return opened.get();
    }

    private ScriptResult run(Target target, Credential credential, String script, byte[] stdin, long deadline,
                             Duration timeout) {
        ScriptDelivery.Plan plan = ScriptDelivery.plan(script);
        String secret = credential.password();
        for (int attempt = 1; ; attempt++) {
            TargetSession session;
            try {
                session = borrow(target, credential, deadline);
            } catch (RuntimeException e) {
                TransportFailure failure = WinRmFailures.classify(e, target, WsManCalls.current().status(), false, secret);
                breaker.failed(target.name(), failure.describe());
                // A refused logon is never tried again: that only brings the account closer to lock-out. Nor is
                // the host's answer (a WS-Management fault such as the shell quota, an HTTP status): asking again
                // at once changes nothing. WinRM4j itself retries nothing (TargetSession), so one connection
                // failure costs two tries.
                if (attempt == 1 && failure.retryable() && !timedOut(deadline)) {
                    LOG.debugf("WinRM to '%s' could not connect, trying once more: %s", target.name(), failure.describe());
                    continue;
                }
                throw new TransportException(target.name(), timedOut(deadline) && failure.retryable()
                        ? new TransportFailure.TimedOutBeforeCommand(timeout, failure) : failure);
            }
            boolean reused = session.reused();
            boolean runningScript = false;
            try {
                for (String write : plan.writes()) {
                    CappedOutput err = new CappedOutput(4096);
                    int code = session.run(write, new CappedOutput(4096), err, deadline);
                    if (code != 0) {
                        throw new TransportException(target.name(),
                                new TransportFailure.ScriptNotWritten(code, err.text(secret).strip()));
                    }
                }
                CappedOutput out = new CappedOutput(settings.maxOutputChars());
                CappedOutput err = new CappedOutput(settings.maxOutputChars());
                runningScript = true;
                int exitCode = session.run(plan.run(), stdin, out, err, deadline);
                if (plan.chunked()) {
                    session.run(plan.cleanup(), Writer.nullWriter(), Writer.nullWriter(), deadline);
                }
                giveBack(session);
                breaker.succeeded(target.name());
                // PowerShell sends its error stream as CLIXML; masked again once decoded, as escapes could hide a secret.
                return new ScriptResult(exitCode, out.text(secret), Redaction.mask(CliXml.decode(err.text(secret)), secret));
            } catch (TransportException e) {
                discard(session);
                throw e;
            } catch (RuntimeException e) {
                discard(session);
                // Once the host answered the script's Command, the script runs there: only the step's retry
                // policy may run it again, whatever failed afterwards (a Receive, the connection).
                boolean answered = runningScript && session.commandAnswered();
                boolean started = runningScript && session.commandSent();
                TransportFailure failure = WinRmFailures.classify(e, target, WsManCalls.current().status(), started,
                        secret);
                if (started && !answered && neverDelivered(failure)) {
                    // The connection for the Command itself was refused or never made: it never reached the host.
                    started = false;
                    failure = WinRmFailures.classify(e, target, WsManCalls.current().status(), false, secret);
                }
                if (reused && attempt == 1 && !answered && isStaleSession(failure)) {
                    // The host refused the Command outright, or closed the kept connection without answering
                    // it: the command never ran there. Typically the kept connection closed and its NTLM
                    // security context with it; a fresh session authenticates again.
                    LOG.debugf("WinRM to '%s': kept session refused, opening a new one", target.name());
                    continue;
                }
                if (timedOut(deadline)) {
                    throw new TransportException(target.name(), started ? new TransportFailure.TimedOutAfterCommand(timeout)
                            : new TransportFailure.TimedOutBeforeCommand(timeout, failure));
                }
                throw new TransportException(target.name(), failure);
            }
        }
    }

    private TargetSession borrow(Target target, Credential credential, long deadline) {
        Deque<TargetSession> waiting = idle.get(target.name());
        TargetSession session;
        while (waiting != null && (session = waiting.pollFirst()) != null) {
            if (session.serves(target, credential)) {
                return session;
            }
            discard(session);
        }
        session = TargetSession.open(target, credential, settings, context, deadline);
        opened.incrementAndGet();
        return session;
    }

    private void giveBack(TargetSession session) {
        session.idle();
        idle.computeIfAbsent(session.target.name(), name -> new ConcurrentLinkedDeque<>()).addFirst(session);
    }

    /** Closed on the janitor thread: a dead host must not hold the caller's worker on the close. */
    private void discard(TargetSession session) {
        janitor.execute(session::close);
    }

    private void closeIdleSessions() {
        long limit = settings.sessionIdleClose().toNanos();
        // Take a session out of the queue before closing it: a step may poll it at the same moment, and
        // only one of the two can win the removal. Closing one a step holds would delete its shell (and
        // talk over its connection) in the middle of the step's command.
        idle.values().forEach(queue -> {
            for (TargetSession session : queue) {
                if (session.idleNanos() >= limit && queue.remove(session)) {
                    session.close();
                }
            }
        });
    }

    private WinRmTrust trust() {
        if (trust == null) {
            synchronized (this) {
                if (trust == null) {
                    trust = WinRmTrust.install(settings);
                }
            }
        }
        return trust;
    }

    /**
     * Waits for a slot as long as it takes (each holder gives its slot back by its own deadline), looking every
     * {@link #SLOT_CHECK} whether the attempt was given up meanwhile (timed out by a cancel, or the service stops).
     */
    private static void acquire(Semaphore permits, Target target, AttemptStart begins) {
        try {
            while (!permits.tryAcquire(SLOT_CHECK.toNanos(), TimeUnit.NANOSECONDS)) {
                if (begins.givenUp()) {
                    throw new TransportException(target.name(), new TransportFailure.Interrupted());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException(target.name(), new TransportFailure.Interrupted());
        }
    }

    private static boolean timedOut(long deadline) {
        return System.nanoTime() - deadline >= 0;
    }

    /**
     * A shell the host forgot, an HTTP 400 or 401 refusal of a request on a kept connection, or a kept connection
     * the host closed while idle (the next request then fails unanswered).
     */
    private static boolean isStaleSession(TransportFailure failure) {
        return WinRmFailures.isUnknownShell(failure)
                || failure instanceof TransportFailure.HttpStatus status && status.code() == 400
                || failure instanceof TransportFailure.AuthenticationRefused
                || failure instanceof TransportFailure.ConnectionLost lost && !lost.reset();
    }

    /**
     * Closes the kept sessions all at once, each on a thread of its own (up to {@link #CLOSERS}), and waits at most
     * {@link #CLOSE_WAIT}: one by one, a fleet's sessions took 27 to 41 s to close, longer than Kubernetes' grace
     * period. A session not closed by then dies with its idle timeout on the host.
     */
    @PreDestroy
    @Override
    public void close() {
        janitor.shutdown();
        List<TargetSession> sessions = new ArrayList<>();
        idle.values().forEach(queue -> {
            TargetSession session;
            while ((session = queue.pollFirst()) != null) {
                sessions.add(session);
            }
        });
        if (!sessions.isEmpty()) {
            AtomicInteger n = new AtomicInteger();
            ExecutorService closers = Executors.newFixedThreadPool(Math.min(CLOSERS, sessions.size()), r -> {
                Thread t = new Thread(r, "antidote-winrm-close-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            sessions.forEach(session -> closers.execute(session::close));
            closers.shutdown();
            try {
                if (!closers.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warnf("%d WinRM session(s) not closed within %s: the hosts drop them when idle",
                            sessions.size(), CLOSE_WAIT);
                    closers.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closers.shutdownNow();
            }
        }
        context.shutdown();
    }

    /** Sessions closed at once when the service stops, at most. */
    static final int CLOSERS = 64;
    /** How long a stop waits for the sessions to close. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
}
