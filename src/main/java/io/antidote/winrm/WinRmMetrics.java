package io.antidote.winrm;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;

/**
 * WinRM calls by how they ended, with their latency: {@code kind} is the {@link TransportFailure} kind
 * ({@code ConnectionRefused}, {@code AuthenticationRefused}, {@code WsManFault}, ...) or {@code none}. A call is
 * one script on one target, from asking for a session to its exit code, so a long step is a long call. Never
 * tagged with the target: one time series per server would not stay small.
 */
final class WinRmMetrics {

    private final MeterRegistry registry;

    WinRmMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Meters kept to themselves, for a transport built outside CDI (tests, benchmarks). */
    static WinRmMetrics unregistered() {
        return new WinRmMetrics(new SimpleMeterRegistry());
    }

    MeterRegistry registry() {
        return registry;
    }

    void call(long startNanos, Throwable failure) {
        String kind = failure == null ? "none" : kindOf(failure);
        Timer.builder("antidote.winrm.calls")
                .description("WinRM calls (one script on one target), by outcome and failure kind")
                .tags("outcome", failure == null ? "ok" : "failed", "kind", kind)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofHours(2))
                .register(registry)
                .record(Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /** A failure's kind: the {@link TransportFailure}'s name, or the exception's class for anything else. */
    static String kindOf(Throwable failure) {
        return failure instanceof TransportException transport ? transport.failure().getClass().getSimpleName()
                : failure.getClass().getSimpleName();
    }
}
