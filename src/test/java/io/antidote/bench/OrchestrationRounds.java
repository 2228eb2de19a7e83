package io.antidote.bench;

import io.antidote.engine.RunRequests;
import io.antidote.store.RunSummaries;
import io.antidote.winrm.RemoteShell;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The rounds both orchestration benchmarks run: warm-up, then 50 rounds of one target run (250 hand-offs),
 * one round of 100 and one of 1,000 runs in flight together, each run on a target of its own, through the
 * real engine ({@code RunRequests} to the store). Each prints p50/p95/p99/max of both intervals that the
 * {@link Stopwatch} keeps. It measures and prints; it asserts nothing about speed.
 */
abstract class OrchestrationRounds {

    /** Steps of bench/playbooks/bench-six-steps.yaml: five step-to-step hand-offs per target. */
    static final int STEPS = 6;
    static final String PLAYBOOK = "bench-six-steps";

    @Inject
    RunRequests requests;

    @Inject
    RunSummaries runList;

    /** The benchmark's shell: the transport its profile (a subclass of {@link Profile}) puts in place. */
    @Inject
    RemoteShell transport;

    private Stopwatch stopwatch() {
        return ((TimedShell) transport).stopwatch();
    }

    /** Runs the benchmark playbook with {@code shell} in place of the transport. */
    abstract static class Profile implements QuarkusTestProfile {
        private final Class<? extends TimedShell> shell;

        Profile(Class<? extends TimedShell> shell) {
            this.shell = shell;
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            // Also the engine's AppendListener: it notes when each outcome's append committed.
            return Set.of(shell);
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("antidote.playbooks.dir", "bench/playbooks");
        }
    }

    /** The target the {@code i}-th run of a round runs on, named and registered as the benchmark needs. */
    abstract String target(String round, int i) throws Exception;

    /** Put before each result line, to tell the benchmarks apart. */
    abstract String label();

    void allRounds() throws Throwable {
        measure("warm-up", 20);
        for (int round = 0; round < 10; round++) {
            measure("warm-up", 1);
        }
        stopwatch().reset();
        for (int round = 0; round < 50; round++) {
            measure("c1-" + round, 1);
        }
        BenchReport.line(label() + "orchestration concurrent=1 " + new Percentiles(stopwatch().gaps()).summary());
        BenchReport.line(label() + "recorded-to-started concurrent=1 "
                + new Percentiles(stopwatch().sinceRecorded()).summary() + " unordered=" + stopwatch().unordered());
        for (int concurrent : new int[] {100, 1000}) {
            stopwatch().reset();
            long started = System.nanoTime();
            measure("c" + concurrent, concurrent);
            double seconds = (System.nanoTime() - started) / 1e9;
            BenchReport.line(String.format(Locale.ROOT, "%sorchestration concurrent=%d %s steps/s=%.0f", label(),
                    concurrent, new Percentiles(stopwatch().gaps()).summary(), concurrent * STEPS / seconds));
            BenchReport.line(label() + "recorded-to-started concurrent=" + concurrent + " "
                    + new Percentiles(stopwatch().sinceRecorded()).summary() + " unordered=" + stopwatch().unordered());
        }
    }

    private long runningRuns() throws Exception {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> runList.find(
                    new RunSummaries.Filter("RUNNING", PLAYBOOK, null, null), 0, 1)).total();
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Requests {@code concurrent} one-target runs at once and waits until every step of each has run. */
    private void measure(String prefix, int concurrent) throws Throwable {
        CountDownLatch done = new CountDownLatch(concurrent * STEPS);
        CountDownLatch allRequested = new CountDownLatch(1);
        stopwatch().expect(done, allRequested);
        String round = prefix + "-" + Long.toHexString(System.nanoTime());
        for (int i = 0; i < concurrent; i++) {
            String name = target(round, i);
            VertxContextSupport.subscribeAndAwait(() -> requests.submit(new RunRequests.Request(PLAYBOOK,
                    List.of(name), Map.of(), null, null, "bench")));
        }
        allRequested.countDown();
        if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException(done.getCount() + " steps of " + prefix + " never ran");
        }
        // The last scripts have run; wait until their outcomes are recorded too, so that no round
        // overlaps the next one (or the shutdown of the app).
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50)).until(() -> runningRuns() == 0);
    }
}
