package io.antidote.engine;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that wait on WinRM. A pool of its own, bounded, so that long steps (an update install
 * takes many minutes) neither starve Quarkus's worker pool nor open unbounded sessions to the fleet.
 */
@ApplicationScoped
public class StepWorkers {

    private final ThreadPoolExecutor pool;

    StepWorkers(EngineConfig config) {
        int size = config.maxConcurrentSteps();
        if (size < 1) {
            throw new IllegalArgumentException("antidote.engine.max-concurrent-steps must be at least 1, not " + size);
        }
        AtomicInteger n = new AtomicInteger();
        ThreadFactory named = r -> {
            Thread t = new Thread(r, "antidote-step-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = new ThreadPoolExecutor(size, size, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), named);
    }

    /** Steps waiting for a free worker. */
    int queued() {
        return pool.getQueue().size();
    }

    /** Workers running a step now. */
    int busy() {
        return pool.getActiveCount();
    }

    public ExecutorService pool() {
        return pool;
    }

    @PreDestroy
    void shutdown() {
        pool.shutdownNow();
    }
}
