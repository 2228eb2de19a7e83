package io.antidote.bench;

import io.antidote.engine.RunRequests;
import io.antidote.store.RunSummaries;
import io.antidote.winrm.Inventory;
import io.antidote.winrm.Target;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Orchestration overhead per step, measured two ways that end at the same moment, the next step's script
 * handed to the transport: from the moment a step's script returned (its outcome known; includes deciding
 * and committing the outcome), and from the moment the append recording that outcome committed (the
 * issue's "outcome recorded → next step started"; the next step's StepStarted is in that same append, so
 * this is the carrying-out: worker pool hand-off, secrets, script rendering). Through the real engine. WinRM is replaced by a
 * shell that answers instantly, so only Antidote's own time is measured; 1, 100 and 1,000 target runs
 * go at once. Not run by Surefire by default: see bench/run.sh. It measures and prints; it asserts
 * nothing about speed.
 */
@QuarkusTest
@TestProfile(OrchestrationBenchmark.InstantShellProfile.class)
class OrchestrationBenchmark {

    /** Steps of bench/playbooks/bench-six-steps.yaml: five step-to-step hand-offs per target. */
    static final int STEPS = 6;
    static final String PLAYBOOK = "bench-six-steps";

    @Inject
    RunRequests requests;

    @Inject
    Inventory inventory;

    @Inject
    InstantShell shell;

    @Inject
    RunSummaries runList;

    /** The engine talks to {@link InstantShell} instead of WinRM; only this class's Quarkus app does. */
    public static class InstantShellProfile implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            // Also the engine's AppendListener: it notes when each outcome's append committed.
            return Set.of(InstantShell.class);
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("antidote.playbooks.dir", "bench/playbooks");
        }
    }

    @Test
    void overhead_per_step_at_1_100_and_1000_concurrent_target_runs() throws Throwable {
        measure(shell, "warm-up", 20);
        for (int round = 0; round < 10; round++) {
            measure(shell, "warm-up", 1);
        }
        // One target run at a time, 50 times over, so that its percentiles rest on 250 hand-offs.
        shell.reset();
        for (int round = 0; round < 50; round++) {
            measure(shell, "c1-" + round, 1);
        }
        BenchReport.line("orchestration concurrent=1 " + new Percentiles(shell.gaps()).summary());
        BenchReport.line("recorded-to-started concurrent=1 " + new Percentiles(shell.sinceRecorded()).summary()
                + " unordered=" + shell.unordered());
        for (int concurrent : new int[] {100, 1000}) {
            shell.reset();
            long started = System.nanoTime();
            measure(shell, "c" + concurrent, concurrent);
            double seconds = (System.nanoTime() - started) / 1e9;
            BenchReport.line(String.format(java.util.Locale.ROOT, "orchestration concurrent=%d %s steps/s=%.0f",
                    concurrent, new Percentiles(shell.gaps()).summary(), concurrent * STEPS / seconds));
            BenchReport.line("recorded-to-started concurrent=" + concurrent + " "
                    + new Percentiles(shell.sinceRecorded()).summary() + " unordered=" + shell.unordered());
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
    private void measure(InstantShell shell, String prefix, int concurrent) throws Throwable {
        CountDownLatch done = new CountDownLatch(concurrent * STEPS);
        CountDownLatch allRequested = new CountDownLatch(1);
        shell.expect(done, allRequested);
        String batch = prefix + "-" + Long.toHexString(System.nanoTime());
        for (int i = 0; i < concurrent; i++) {
            String name = "bench-" + Integer.toHexString(batch.hashCode() & 0xffffff) + "-" + i;
            inventory.register(new Target(name, "127.0.0.1", 5985, Target.Scheme.HTTP, Target.AuthScheme.BASIC, "lab",
                    Map.of()));
            VertxContextSupport.subscribeAndAwait(() -> requests.submit(new RunRequests.Request(PLAYBOOK,
                    List.of(name), Map.of(), null, null, "bench")));
        }
        allRequested.countDown();
        if (!done.await(3, TimeUnit.MINUTES)) {
            throw new IllegalStateException(done.getCount() + " steps of " + prefix + " never ran");
        }
        // The last scripts have run; wait until their outcomes are recorded too, so that no round
        // overlaps the next one (or the shutdown of the app).
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50)).until(() -> runningRuns() == 0);
    }
}
