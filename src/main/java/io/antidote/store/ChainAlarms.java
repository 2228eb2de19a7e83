package io.antidote.store;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Runs whose history failed verification, wherever it was found (a load before an append, the
 * background verifier, an auditor's request). Each new failure is logged at ERROR once and counted;
 * the API marks those runs, and the health check {@code run history verified} is DOWN while any is
 * known. A run stays here until it verifies again: tampering does not heal by being looked at twice.
 */
@ApplicationScoped
public class ChainAlarms {

    private static final Logger LOG = Logger.getLogger(ChainAlarms.class);

    private final Map<UUID, ChainCheck> failing = new ConcurrentHashMap<>();
    private final AtomicLong failures = new AtomicLong();

    void meters(@Observes StartupEvent start, MeterRegistry registry) {
        FunctionCounter.builder("antidote.chain.verification.failures", failures, AtomicLong::get)
                .description("Run histories found failing verification (a new or changed failure each)")
                .register(registry);
        Gauge.builder("antidote.chain.failing.runs", failing, Map::size)
                .description("Runs whose history fails verification now")
                .register(registry);
    }

    /** Records the outcome of a verification: raises the alarm for a failure, clears it for a pass. */
    public void observe(ChainCheck check) {
        if (check.verified()) {
            failing.remove(check.runId());
            return;
        }
        ChainCheck before = failing.put(check.runId(), check);
        if (before == null || !before.equals(check)) {
            failures.incrementAndGet();
            LOG.errorf("Run %s fails verification at seq %d: %s", check.runId(), check.firstBadSeq(), check.problem());
        }
    }

    /** The last failure recorded for the run, or null if it is not known to fail. */
    public ChainCheck failing(UUID runId) {
        return failing.get(runId);
    }

    public Map<UUID, ChainCheck> failing() {
        return Map.copyOf(failing);
    }

    /** Failures detected since start, for a metrics registry to read (monotonic counter). */
    public long failuresDetected() {
        return failures.get();
    }
}
