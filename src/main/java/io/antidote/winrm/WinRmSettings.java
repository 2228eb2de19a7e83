package io.antidote.winrm;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the transport talks to targets: its three timeouts below the step's own, output caps, bulkheads
 * and circuit breaker, client reuse and the trust store. {@link #defaults()} suits a real fleet; tests
 * shorten it with the withers.
 *
 * @param connectTimeout         TCP connect (and TLS handshake) to a listener
 * @param operationTimeout       WS-Management OperationTimeout: how long a host may hold one Receive
 * @param replyTimeout           the longest one HTTP exchange may wait for its reply (above the operation timeout)
 * @param defaultStepTimeout     the whole script, when the caller gives no timeout of its own
 * @param maxOutputChars         per stream; more is dropped and a marker says how much
 * @param maxSessions            WinRM sessions in flight across all targets
 * @param maxSessionsPerHost     WinRM sessions in flight to one target
 * @param breakerThreshold       consecutive connection failures that open a target's circuit
 * @param breakerOpenFor         how long an open circuit fails fast
 * @param sessionIdleClose       an unused shell and client are closed after this
 * @param trustStore             extra CAs trusted beside the JVM's own (PKCS#12 or JKS), if any
 * @param trustStorePassword     its password, if it has one
 */
public record WinRmSettings(Duration connectTimeout, Duration operationTimeout, Duration replyTimeout,
                            Duration defaultStepTimeout, int maxOutputChars, int maxSessions, int maxSessionsPerHost,
                            int breakerThreshold, Duration breakerOpenFor, Duration sessionIdleClose,
                            Optional<String> trustStore, Optional<String> trustStorePassword) {

    public WinRmSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(operationTimeout, "operationTimeout");
        Objects.requireNonNull(replyTimeout, "replyTimeout");
        Objects.requireNonNull(defaultStepTimeout, "defaultStepTimeout");
        if (maxOutputChars < 1 || maxSessions < 1 || maxSessionsPerHost < 1 || breakerThreshold < 1) {
            throw new IllegalArgumentException("output cap, session caps and breaker threshold must be positive");
        }
        if (replyTimeout.compareTo(operationTimeout) <= 0) {
            throw new IllegalArgumentException("the reply timeout must be longer than the operation timeout");
        }
    }

    public static WinRmSettings defaults() {
        return new WinRmSettings(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40),
                Duration.ofMinutes(30), 1 << 20, 32, 2, 3, Duration.ofSeconds(60), Duration.ofSeconds(60),
                Optional.empty(), Optional.empty());
    }

    static WinRmSettings from(WinRmConfig c) {
        return new WinRmSettings(c.connectTimeout(), c.operationTimeout(), c.replyTimeout(), c.defaultStepTimeout(),
                c.maxOutputChars(), c.maxSessions(), c.maxSessionsPerHost(), c.breaker().failureThreshold(),
                c.breaker().openFor(), c.sessionIdleClose(), c.trustStore(), c.trustStorePassword());
    }

    public WinRmSettings withTimeouts(Duration connect, Duration operation, Duration reply) {
        return new WinRmSettings(connect, operation, reply, defaultStepTimeout, maxOutputChars, maxSessions,
                maxSessionsPerHost, breakerThreshold, breakerOpenFor, sessionIdleClose, trustStore, trustStorePassword);
    }

    public WinRmSettings withSessionIdleClose(Duration idle) {
        return new WinRmSettings(connectTimeout, operationTimeout, replyTimeout, defaultStepTimeout, maxOutputChars,
                maxSessions, maxSessionsPerHost, breakerThreshold, breakerOpenFor, idle, trustStore, trustStorePassword);
    }

    public WinRmSettings withMaxOutputChars(int chars) {
        return new WinRmSettings(connectTimeout, operationTimeout, replyTimeout, defaultStepTimeout, chars, maxSessions,
                maxSessionsPerHost, breakerThreshold, breakerOpenFor, sessionIdleClose, trustStore, trustStorePassword);
    }

    public WinRmSettings withSessions(int global, int perHost) {
        return new WinRmSettings(connectTimeout, operationTimeout, replyTimeout, defaultStepTimeout, maxOutputChars,
                global, perHost, breakerThreshold, breakerOpenFor, sessionIdleClose, trustStore, trustStorePassword);
    }

    public WinRmSettings withBreaker(int threshold, Duration openFor) {
        return new WinRmSettings(connectTimeout, operationTimeout, replyTimeout, defaultStepTimeout, maxOutputChars,
                maxSessions, maxSessionsPerHost, threshold, openFor, sessionIdleClose, trustStore, trustStorePassword);
    }

    public WinRmSettings withTrustStore(String path, String password) {
        return new WinRmSettings(connectTimeout, operationTimeout, replyTimeout, defaultStepTimeout, maxOutputChars,
                maxSessions, maxSessionsPerHost, breakerThreshold, breakerOpenFor, sessionIdleClose,
                Optional.of(path), Optional.ofNullable(password));
    }

    /** Never prints the trust store password. */
    @Override
    public String toString() {
        return "WinRmSettings[connect=" + connectTimeout + ", operation=" + operationTimeout + ", reply=" + replyTimeout
                + ", step=" + defaultStepTimeout + ", maxOutputChars=" + maxOutputChars + ", sessions=" + maxSessions
                + "/" + maxSessionsPerHost + " per host, breaker=" + breakerThreshold + " for " + breakerOpenFor
                + ", idleClose=" + sessionIdleClose + ", trustStore=" + trustStore.orElse("-") + "]";
    }
}
