package io.antidote.winrm;

import io.cloudsoft.winrm4j.client.WinRmClientContext;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import javax.xml.ws.soap.SOAPFaultException;
import java.io.Writer;
import java.time.Clock;
import java.time.Duration;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
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
    /** WSManFault code for a shell the host no longer knows (it timed out or was deleted there). */
    private static final String UNKNOWN_SHELL = "2150858843";

    private final CredentialResolver credentials;
    private final WinRmSettings settings;
    private final WinRmClientContext context = WinRmClientContext.newInstance();
    private final Semaphore sessions;
    private final Map<String, Semaphore> perHost = new ConcurrentHashMap<>();
    private final Map<String, Deque<TargetSession>> idle = new ConcurrentHashMap<>();
    private final CircuitBreaker breaker;
    private final ScheduledExecutorService janitor;
    private final AtomicInteger opened = new AtomicInteger();
    private volatile WinRmTrust trust;

    @Inject
    WinRm4jShell(CredentialResolver credentials, WinRmConfig config) {
        this(credentials, WinRmSettings.from(config), Clock.systemUTC());
    }

    public WinRm4jShell(CredentialResolver credentials, WinRmSettings settings, Clock clock) {
        this.credentials = credentials;
        this.settings = settings;
        WsManCalls.install(context);
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
    }

    @Override
    public ScriptResult runPowerShell(Target target, String script) {
        return runPowerShell(target, script, settings.defaultStepTimeout());
    }

    @Override
    public ScriptResult runPowerShell(Target target, String script, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        breaker.check(target.name());
        Credential credential = credentials.resolve(target.credential());
        if (target.scheme() == Target.Scheme.HTTPS && !target.verifyCertificate()) {
            trust().skipValidationFor(target);
        }
        Semaphore host = perHost.computeIfAbsent(target.name(), name -> new Semaphore(settings.maxSessionsPerHost(), true));
        acquire(sessions, target, deadline, timeout, "across the fleet");
        try {
            acquire(host, target, deadline, timeout, "to this host");
            try {
                return run(target, credential, script, deadline, timeout);
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

    private ScriptResult run(Target target, Credential credential, String script, long deadline, Duration timeout) {
        ScriptDelivery.Plan plan = ScriptDelivery.plan(script);
        String secret = credential.password();
        for (int attempt = 1; ; attempt++) {
            TargetSession session;
            try {
                session = borrow(target, credential, deadline);
            } catch (RuntimeException e) {
                breaker.failed(target.name());
                String failure = Redaction.describe(e, secret);
                if (isAuthenticationFailure(failure)) {
                    // Retrying a wrong password only brings the account closer to lock-out.
                    throw new TransportException("WinRM to '" + target.name() + "': authentication failed for credential '"
                            + target.credential() + "' (" + target.auth() + ")", null, false);
                }
                // A WS-Management fault is the host's answer (a shell quota, say): asking again at once changes
                // nothing. WinRM4j itself retries nothing (TargetSession), so one connection failure costs two tries.
                if (attempt == 1 && !isWsManFault(e) && System.nanoTime() - deadline < 0) {
                    LOG.debugf("WinRM to '%s' could not connect, trying once more: %s", target.name(), failure);
                    continue;
                }
                throw new TransportException(timedOut(deadline)
                        ? "WinRM to '" + target.name() + "': no connection within " + timeout + ": " + failure
                        : "WinRM to '" + target.name() + "' failed before the script started: " + failure, null, false);
            }
            boolean reused = session.reused();
            boolean runningScript = false;
            try {
                for (String write : plan.writes()) {
                    CappedOutput err = new CappedOutput(4096);
                    int code = session.run(write, new CappedOutput(4096), err, deadline);
                    if (code != 0) {
                        throw new TransportException("WinRM to '" + target.name() + "': the script could not be written"
                                + " to a temporary file (exit code " + code + "): " + err.text(secret).strip(), null, false);
                    }
                }
                CappedOutput out = new CappedOutput(settings.maxOutputChars());
                CappedOutput err = new CappedOutput(settings.maxOutputChars());
                runningScript = true;
                int exitCode = session.run(plan.run(), out, err, deadline);
                if (plan.chunked()) {
                    session.run(plan.cleanup(), Writer.nullWriter(), Writer.nullWriter(), deadline);
                }
                giveBack(session);
                breaker.succeeded(target.name());
                return new ScriptResult(exitCode, out.text(secret), err.text(secret));
            } catch (TransportException e) {
                discard(session);
                throw e;
            } catch (RuntimeException e) {
                discard(session);
                // Once the host answered the script's Command, the script runs there: only the step's retry
                // policy may run it again, whatever failed afterwards (a Receive, the connection).
                boolean answered = runningScript && session.commandAnswered();
                boolean started = runningScript && session.commandSent();
                if (reused && attempt == 1 && !answered && isStaleSession(e)) {
                    // The host refused the Command outright, or closed the kept connection without answering
                    // it: the command never ran there. Typically the kept connection closed and its NTLM
                    // security context with it; a fresh session authenticates again.
                    LOG.debugf("WinRM to '%s': kept session refused, opening a new one", target.name());
                    continue;
                }
                if (timedOut(deadline)) {
                    throw new TransportException("WinRM to '" + target.name() + "': the script did not finish within "
                            + timeout, null, started);
                }
                throw new TransportException("WinRM to '" + target.name() + "' failed: " + Redaction.describe(e, secret),
                        null, started);
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

    private static void acquire(Semaphore permits, Target target, long deadline, Duration timeout, String scope) {
        try {
            if (!permits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new TransportException("WinRM to '" + target.name() + "': no session free " + scope + " within "
                        + timeout, null, false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("WinRM to '" + target.name() + "': interrupted waiting for a session", null, false);
        }
    }

    private static boolean timedOut(long deadline) {
        return System.nanoTime() - deadline >= 0;
    }

    /**
     * Basic answers a bare 401 (WinRM4j: "401: Unauthorized"); NTLM ends in "Invalid credentials ..." or, when
     * CXF gives up first, "Authorization loop detected".
     */
    static boolean isAuthenticationFailure(String failure) {
        String text = failure.toLowerCase(Locale.ROOT);
        return text.contains("401") || text.contains("invalid credentials") || text.contains("unauthorized")
                || text.contains("authorization loop");
    }

    /** A shell the host forgot, or an HTTP 400/401 refusal of a request on a kept connection. */
    private static boolean isStaleSession(Throwable e) {
        String failure = Redaction.describe(e, null);
        // A kept connection the host closed while idle fails the next request as ConnectionClosedException,
        // just as one the host refused fails it with 400 or 401.
        return isUnknownShell(e) || failure.contains("HTTP response '400") || failure.contains("HTTP response '401")
                || failure.contains("ConnectionClosedException");
    }

    private static boolean isWsManFault(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SOAPFaultException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUnknownShell(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SOAPFaultException fault && fault.getFault() != null && fault.getFault().getDetail() != null
                    && fault.getFault().getDetail().getTextContent() != null) {
                var children = fault.getFault().getDetail().getChildNodes();
                for (int i = 0; i < children.getLength(); i++) {
                    var code = children.item(i).getAttributes() == null ? null
                            : children.item(i).getAttributes().getNamedItem("Code");
                    if (code != null && UNKNOWN_SHELL.equals(code.getNodeValue())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @PreDestroy
    @Override
    public void close() {
        janitor.shutdown();
        idle.values().forEach(queue -> {
            TargetSession session;
            while ((session = queue.pollFirst()) != null) {
                session.close();
            }
        });
        context.shutdown();
    }
}
