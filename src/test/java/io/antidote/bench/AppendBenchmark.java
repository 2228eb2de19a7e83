package io.antidote.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.antidote.store.EventStore;
import io.antidote.store.NewEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Events appended per second through {@link EventStore#append} (Hibernate Reactive, one transaction per
 * append, expected-version check, hash chain, chain trigger), single events and batches, by 1 and 8
 * clients. Not run by Surefire by default (the name does not end in Test): bench/run.sh runs it next to
 * pgbench inserting rows of the same shape. It measures and prints; it asserts nothing about speed.
 */
@QuarkusTest
class AppendBenchmark {

    static final long WARM_UP_MILLIS = Long.getLong("bench.warmup.ms", 3_000);
    static final long MEASURE_MILLIS = Long.getLong("bench.measure.ms", 10_000);

    @Inject
    EventStore store;

    @Inject
    ObjectMapper mapper;

    @Test
    void appends_per_second() throws Exception {
        for (int clients : new int[] {1, 8}) {
            for (int batch : new int[] {1, 10}) {
                run(clients, batch, WARM_UP_MILLIS);
                double perSecond = run(clients, batch, MEASURE_MILLIS);
                BenchReport.line(String.format(Locale.ROOT, "append clients=%d batch=%d events/s=%.0f transactions/s=%.0f",
                        clients, batch, perSecond, perSecond / batch));
            }
        }
    }

    /** Events appended per second by {@code clients} threads, each to its own run, for {@code millis}. */
    private double run(int clients, int batch, long millis) throws Exception {
        LongAdder appended = new LongAdder();
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        long end = start + millis * 1_000_000;
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(threads.submit(() -> {
                UUID run = UUID.randomUUID();
                long version = 0;
                while (System.nanoTime() < end) {
                    List<NewEvent> events = events(batch);
                    long expected = version;
                    try {
                        VertxContextSupport.subscribeAndAwait(() -> store.append(run, expected, events));
                    } catch (Throwable t) {
                        throw new IllegalStateException("append failed", t);
                    }
                    version += batch;
                    appended.add(batch);
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        threads.shutdown();
        return appended.sum() / seconds;
    }

    /** Events shaped like a step outcome, the most common event of a run. */
    private List<NewEvent> events(int n) {
        List<NewEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ObjectNode data = mapper.createObjectNode();
            data.put("exitCode", 0);
            data.put("stdout", "{\"build\":\"15.1.2176.9\",\"proxylogonPatched\":true}");
            data.put("stderr", "");
            events.add(new NewEvent(UUID.randomUUID(), "StepSucceeded", Instant.now(), "antidote", "ex01", "patch", 1,
                    data));
        }
        return events;
    }
}
