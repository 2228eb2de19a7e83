package io.antidote.lab.wsman;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fault switches of one lab host, flipped at run time by tests and the lab control API.
 *
 * <p>Thread-safe: every switch is read by the server at the moment it matters (before a reply,
 * at a request's arrival), so a change applies to the next request. Refusing connections is
 * pushed to the server, which closes or reopens its listener on the same port.
 */
public final class WsManFaults {

    private volatile Duration latency = Duration.ZERO;
    private volatile int forcedHttpStatus;
    private volatile boolean refuseConnections;
    private volatile boolean hang;
    private volatile boolean reset;
    private volatile boolean faultShellCreation;
    private volatile boolean frozen;
    private final List<Runnable> thawListeners = new CopyOnWriteArrayList<>();
    private volatile HostileXml hostileXml;
    private final AtomicBoolean resetNext = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicLong faulted = new java.util.concurrent.atomic.AtomicLong();
    private final AtomicReference<Runnable> pendingOutage = new AtomicReference<>();
    private final List<Runnable> refusalListeners = new CopyOnWriteArrayList<>();

    /** A host that behaves. */
    public WsManFaults() {
    }

    /** Extra delay before every reply (including 401s and faults); zero for none. */
    public Duration latency() {
        return latency;
    }

    public WsManFaults setLatency(Duration latency) {
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        this.latency = latency;
        return this;
    }

    /** The status every request is answered with (empty body, 401 with its challenges), if forced. */
    public OptionalInt forcedHttpStatus() {
        int status = forcedHttpStatus;
        return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }

    /** Answers every request with this status (400-599), e.g. 401 for revoked credentials, 500 or 503. */
    public WsManFaults forceHttpStatus(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a forced HTTP status must be an error (400-599), not " + status);
        }
        this.forcedHttpStatus = status;
        return this;
    }

    public WsManFaults clearHttpStatus() {
        this.forcedHttpStatus = 0;
        return this;
    }

    /** Whether the host is down at the TCP level: its listener is closed, so connects are refused. */
    public boolean refusesConnections() {
        return refuseConnections;
    }

    public WsManFaults setRefuseConnections(boolean refuse) {
        boolean changed = this.refuseConnections != refuse;
        this.refuseConnections = refuse;
        if (changed) {
            refusalListeners.forEach(Runnable::run);
        }
        return this;
    }

    /** Whether requests are read and never answered (the connection stays open until the client gives up). */
    public boolean hangs() {
        return hang;
    }

    public WsManFaults setHang(boolean hang) {
        this.hang = hang;
        return this;
    }

    /**
     * Whether the host is frozen: requests are read and held, unanswered, and served when it thaws (if their
     * client still waits), as a host that stopped for a while and came back does.
     */
    public boolean frozen() {
        return frozen;
    }

    /** Freezes the host, or thaws it: the requests held meanwhile are then served, in the order they came. */
    public WsManFaults setFrozen(boolean frozen) {
        this.frozen = frozen;
        if (!frozen) {
            for (Runnable held : List.copyOf(thawListeners)) {
                if (thawListeners.remove(held)) { // once, whoever takes it first
                    held.run();
                }
            }
        }
        return this;
    }

    /** Runs {@code held} when the host thaws; at once if it is not frozen (any more). */
    void whenThawed(Runnable held) {
        thawListeners.add(held);
        if (!frozen && thawListeners.remove(held)) {
            held.run();
        }
    }

    /** Whether every connection is closed, unanswered, as soon as a request arrives (a reset to the client). */
    public boolean resetsConnections() {
        return reset;
    }

    public WsManFaults setReset(boolean reset) {
        this.reset = reset;
        return this;
    }

    /** Drops the connection of the next request only, unanswered: a network blip in the middle of an exchange. */
    public WsManFaults resetNextRequest() {
        resetNext.set(true);
        return this;
    }

    /** Whether this request is the one a {@link #resetNextRequest()} drops; true once. */
    boolean takeResetOfNextRequest() {
        return resetNext.compareAndSet(true, false);
    }

    /**
     * The host is about to go down (a restart): {@code outage} runs at the first request that starts something
     * new (a shell, a command, anything but the Receive, Signal and Delete of exchanges under way), or when
     * {@link #goDownIfPending()} is called first, whichever comes first; once.
     */
    public WsManFaults goDownAtNextRequest(Runnable outage) {
        pendingOutage.set(Objects.requireNonNull(outage, "outage"));
        return this;
    }

    /** Drops the pending outage, if any: the host will not go down after all. */
    public WsManFaults cancelGoingDown() {
        pendingOutage.set(null);
        return this;
    }

    /** Runs the pending outage, if any; whether there was one. */
    public boolean goDownIfPending() {
        Runnable outage = pendingOutage.getAndSet(null);
        if (outage == null) {
            return false;
        }
        outage.run();
        return true;
    }

    /** Whether every shell Create is answered with the WS-Management shell-quota fault. */
    public boolean faultsShellCreation() {
        return faultShellCreation;
    }

    public WsManFaults setFaultShellCreation(boolean fault) {
        this.faultShellCreation = fault;
        return this;
    }

    /** The hostile XML every successful reply is written with, or null for well-behaved replies. */
    public HostileXml hostileXml() {
        return hostileXml;
    }

    /** Answers every request that would succeed with XML meant to attack the client's parser; null to stop. */
    public WsManFaults setHostileXml(HostileXml hostile) {
        this.hostileXml = hostile;
        return this;
    }

    /** Back to a healthy host. */
    public WsManFaults clear() {
        setLatency(Duration.ZERO);
        clearHttpStatus();
        hang = false;
        reset = false;
        setFrozen(false);
        faultShellCreation = false;
        hostileXml = null;
        resetNext.set(false);
        pendingOutage.set(null);
        return setRefuseConnections(false);
    }

    /**
     * Requests a switch answered instead of the host (reset, left hanging, a forced status, a refused shell
     * creation): how a test counts what a client sent to a faulty host without timing it.
     */
    public long faultedRequests() {
        return faulted.get();
    }

    void faulted() {
        faulted.incrementAndGet();
    }

    /** The server listens here to open or close its socket when refusal is switched. */
    void onRefusalChanged(Runnable listener) {
        refusalListeners.add(listener);
    }

    void removeRefusalListener(Runnable listener) {
        refusalListeners.remove(listener);
    }

    @Override
    public String toString() {
        return "WsManFaults[latency=" + latency + ", forcedHttpStatus=" + forcedHttpStatus
                + ", refuseConnections=" + refuseConnections + ", hang=" + hang + ", frozen=" + frozen + ", reset=" + reset
                + ", faultShellCreation=" + faultShellCreation + ", hostileXml=" + hostileXml + "]";
    }
}
