package io.antidote.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.antidote.engine.RunRequests;
import io.antidote.store.RunSummaries;
import io.antidote.winrm.Inventory;
import io.antidote.winrm.RemoteShell;
import io.antidote.winrm.Target;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The heap with 10,000 target runs in flight (issue 11, point 8: at or under 512 MiB), through the real engine
 * and store: 10,000 one-target runs of bench/playbooks/bench-six-steps.yaml requested by 16 callers, every
 * script held by {@link HeldShell} until all of them are requested and unfinished; then the heap after a full GC;
 * then the scripts are let go and the runs go through their six steps (for at most
 * {@code bench.inflight.drain-minutes}, 10), while every collection's heap after GC is watched for the peak.
 * Run with the heap limit under test, {@code -DargLine=-Xmx512m}, as {@code FLEET_HEAP=1 bench/fleet.sh} does.
 * Measures and prints; asserts nothing about memory.
 */
@QuarkusTest
@TestProfile(InFlightHeapBenchmark.HeldShellProfile.class)
class InFlightHeapBenchmark {

    private static final int RUNS = Integer.getInteger("bench.inflight.runs", 10_000);
    private static final int CALLERS = 16;
    private static final int DRAIN_MINUTES = Integer.getInteger("bench.inflight.drain-minutes", 10);
    private static final String PLAYBOOK = OrchestrationRounds.PLAYBOOK;
    private static final double MIB = 1024 * 1024;

    @Inject
    RunRequests requests;

    @Inject
    RunSummaries runList;

    @Inject
    Inventory inventory;

    @Inject
    RemoteShell transport;

    public static class HeldShellProfile implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(HeldShell.class);
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("antidote.playbooks.dir", "bench/playbooks");
        }
    }

    @Test
    void heap_with_10000_target_runs_in_flight() throws Throwable {
        AtomicLong peakAfterGc = watchHeapAfterEachGc();
        long started = System.nanoTime();
        // Requested by CALLERS at once, as many callers would: one after the other, each request's round trips to
        // the database make 10,000 requests take longer than the benchmark is worth. Each request on a context
        // of its own (subscribeAndAwait), since a reactive session may not be shared by requests in flight.
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        List<Future<?>> requested = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            String name = "inflight-" + i;
            inventory.register(new Target(name, "127.0.0.1", 5985, Target.Scheme.HTTP, Target.AuthScheme.BASIC,
                    "lab", Map.of()));
            requested.add(callers.submit(() -> {
                try {
                    return VertxContextSupport.subscribeAndAwait(() -> requests.submit(new RunRequests.Request(
                            PLAYBOOK, List.of(name), Map.of(), null, null, "bench")));
                } catch (Exception | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            }));
        }
        for (Future<?> request : requested) {
            request.get();
        }
        callers.shutdown();
        double requesting = (System.nanoTime() - started) / 1e9;
        HeldShell shell = (HeldShell) io.quarkus.arc.ClientProxy.unwrap(transport);
        long unfinished = unfinishedRuns();
        long running = count("RUNNING");
        System.gc();
        MemoryUsage inFlight = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        BenchReport.line(String.format(Locale.ROOT,
                "in-flight heap: runs requested=%d in %.0f s, unfinished=%d (RUNNING=%d), scripts held=%d,"
                        + " heap used after full GC=%.0f MiB, committed=%.0f MiB, max=%.0f MiB",
                RUNS, requesting, unfinished, running, shell.scripts(), inFlight.getUsed() / MIB,
                inFlight.getCommitted() / MIB, inFlight.getMax() / MIB));
        shell.release();
        long releasedAt = System.nanoTime();
        // The look may time out waiting for a connection while 10,000 runs take the pool: look again. A drain that
        // does not end in time is reported as it stands, since its heap is what this benchmark is about.
        boolean drained = true;
        try {
            Awaitility.await().atMost(Duration.ofMinutes(DRAIN_MINUTES)).pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions().until(() -> unfinishedRuns() == 0);
        } catch (ConditionTimeoutException notDrained) {
            drained = false;
        }
        double draining = (System.nanoTime() - releasedAt) / 1e9;
        BenchReport.line(String.format(Locale.ROOT,
                "in-flight heap: %s %.0f s after release (SUCCEEDED=%d of %d), %d scripts;"
                        + " peak heap after any GC since the first request=%.0f MiB",
                drained ? "all runs finished" : "runs still unfinished", draining, count("SUCCEEDED"), RUNS,
                shell.scripts(), peakAfterGc.get() / MIB));
    }

    private long unfinishedRuns() throws Exception {
        return count("PENDING") + count("RUNNING") + count("WAITING_APPROVAL");
    }

    private long count(String status) throws Exception {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> runList.find(
                    new RunSummaries.Filter(status, PLAYBOOK, null, null), 0, 1)).total();
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The largest heap in use just after a collection, over every collection from now on. */
    private static AtomicLong watchHeapAfterEachGc() {
        AtomicLong peak = new AtomicLong();
        // A collection reports every pool, Metaspace and the code cache too: only the heap's pools count here.
        java.util.Set<String> heapPools = new java.util.HashSet<>();
        for (java.lang.management.MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    return;
                }
                GarbageCollectionNotificationInfo info =
                        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                        .filter(pool -> heapPools.contains(pool.getKey()))
                        .mapToLong(pool -> pool.getValue().getUsed()).sum();
                peak.accumulateAndGet(used, Math::max);
            }, null, null);
        }
        return peak;
    }
}
