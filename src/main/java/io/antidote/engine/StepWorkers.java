package io.antidote.engine;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that wait on WinRM. A pool of its own, bounded, so that long steps (an update install
 * takes many minutes) neither starve Quarkus's worker pool nor open unbounded sessions to the fleet.
 */
@ApplicationScoped
public class StepWorkers {

    private final ExecutorService pool;

    StepWorkers(@ConfigProperty(name = "antidote.engine.max-concurrent-steps", defaultValue = "32") int size) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory named = r -> {
            Thread t = new Thread(r, "antidote-step-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newFixedThreadPool(size, named);
    }

    public ExecutorService pool() {
        return pool;
    }

    @PreDestroy
    void shutdown() {
        pool.shutdownNow();
    }
}
