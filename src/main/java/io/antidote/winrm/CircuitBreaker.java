package io.antidote.winrm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One circuit per target: after {@code threshold} consecutive failures to start a command there, calls
 * fail fast for {@code openFor}, so that a dead host costs neither workers nor sessions. After the
 * cool-down one call goes through; a success closes the circuit, a failure opens it again.
 */
final class CircuitBreaker {

    private final int threshold;
    private final Duration openFor;
    private final Clock clock;
    private final Map<String, Circuit> circuits = new ConcurrentHashMap<>();

    CircuitBreaker(int threshold, Duration openFor, Clock clock) {
        this.threshold = threshold;
        this.openFor = openFor;
        this.clock = clock;
    }

    /** @throws CircuitOpenException while the target's circuit is open */
    void check(String target) {
        Circuit circuit = circuits.get(target);
        if (circuit != null) {
            Instant until = circuit.openUntil;
            if (until != null && clock.instant().isBefore(until)) {
                throw new CircuitOpenException(target, until, circuit.failures, circuit.last);
            }
        }
    }

    /** Targets whose circuit is open now. */
    int open() {
        Instant now = clock.instant();
        return (int) circuits.values().stream().filter(c -> c.openUntil != null && now.isBefore(c.openUntil)).count();
    }

    void succeeded(String target) {
        circuits.remove(target);
    }

    /** @param what the failure in words, so that a call refused while the circuit is open still says what happened */
    void failed(String target, String what) {
        circuits.compute(target, (name, circuit) -> {
            Circuit c = circuit == null ? new Circuit() : circuit;
            c.failures++;
            c.last = what;
            if (c.failures >= threshold) {
                c.openUntil = clock.instant().plus(openFor);
            }
            return c;
        });
    }

    private static final class Circuit {
        int failures;
        String last;
        // Read by the metrics gauge outside compute().
        volatile Instant openUntil;
    }

    /** Fails fast: the target failed too often lately to be worth a connection attempt. */
    public static final class CircuitOpenException extends TransportException {
        CircuitOpenException(String target, Instant until, int failures, String last) {
            super(target, new TransportFailure.CircuitOpen(target, until, failures, last));
        }
    }
}
