package io.antidote.engine;

import io.antidote.workflow.RunDecider;
import io.antidote.workflow.RunEvent;
import io.antidote.workflow.RunState;
import io.antidote.workflow.StepState;
import io.antidote.workflow.TargetState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's meters, read from what it commits: runs, targets and steps by playbook and outcome, how long
 * steps took, approvals waiting, and what waits for the store or for a worker.
 *
 * <p>Tags are only ever names a playbook defines (playbook, step) and fixed outcome words: never a run id, a
 * target or a person, which would make a new time series per run or per server.
 */
@ApplicationScoped
public class RunMetrics {

    private static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;
    /** Per run in flight: how many of its targets wait for an approval, as of its last append here. */
    private final Map<UUID, Integer> approvalsWaiting = new ConcurrentHashMap<>();

    RunMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("antidote.approvals.waiting", approvalsWaiting,
                        waiting -> waiting.values().stream().mapToInt(Integer::intValue).sum())
                .description("Steps waiting for a person's approval, in the runs this instance moved last")
                .register(registry);
    }

    /** Meters kept to themselves, for a writer built outside CDI (tests). */
    static RunMetrics unregistered() {
        return new RunMetrics(new SimpleMeterRegistry());
    }

    void gauges(@Observes StartupEvent start, RunWriters writers, StepWorkers workers) {
        Gauge.builder("antidote.outcomes.waiting", writers, RunWriters::waitingOutcomes)
                .description("Step outcomes returned by the transport that the store has not taken yet")
                .register(registry);
        Gauge.builder("antidote.decisions.waiting", writers, RunWriters::waitingOther)
                .description("Engine decisions (advances, recoveries) waiting for the store")
                .register(registry);
        Gauge.builder("antidote.steps.waiting.worker", workers, StepWorkers::queued)
                .description("Steps started by their run and waiting for a free step worker")
                .register(registry);
        Gauge.builder("antidote.steps.running", workers, StepWorkers::busy)
                .description("Step workers running a script on a target")
                .register(registry);
    }

    /** What an append committed, decided on {@code before}. */
    void committed(RunState before, List<RunEvent> events) {
        RunState state = before;
        for (RunEvent event : events) {
            record(state, event);
            state = RunDecider.evolve(state, event);
        }
        seen(state);
    }

    /** The run as this instance last saw it, whether or not it appended anything. */
    void seen(RunState state) {
        if (!state.exists()) {
            return;
        }
        if (RunDecider.isTerminal(state)) {
            approvalsWaiting.remove(state.runId());
            return;
        }
        int waiting = (int) state.targets().stream().filter(TargetState::waitingApproval).count();
        if (waiting == 0) {
            approvalsWaiting.remove(state.runId());
        } else {
            approvalsWaiting.put(state.runId(), waiting);
        }
    }

    /** An append the store answered (or refused: {@code outcome} says how), and how long it took. */
    void appended(long startNanos, String outcome) {
        Timer.builder("antidote.store.append")
                .description("Appends of run events with their read-model rows, one transaction each")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)
                .record(Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /** Another writer appended first: the command is decided again ({@code retried}) or given up. */
    void conflict(boolean retried) {
        registry.counter("antidote.store.append.conflicts", "resolution", retried ? "retried" : "gave_up").increment();
    }

    /** Work the store could not take and that is tried again after a pause. */
    void writeRetried(RunWriters.Kind kind) {
        registry.counter("antidote.store.write.retries", "work", kind == RunWriters.Kind.OUTCOME ? "outcome" : "decision")
                .increment();
    }

    private void record(RunState state, RunEvent event) {
        if (event instanceof RunEvent.RunRequested requested) {
            registry.counter("antidote.runs.requested", "playbook", requested.plan().playbook()).increment();
            return;
        }
        String playbook = state.plan() == null ? UNKNOWN : state.plan().playbook();
        if (event instanceof RunEvent.RunSucceeded) {
            finishedRun(playbook, "succeeded");
        } else if (event instanceof RunEvent.RunFailed) {
            finishedRun(playbook, "failed");
        } else if (event instanceof RunEvent.RunCancelled) {
            finishedRun(playbook, "cancelled");
        } else if (event instanceof RunEvent.TargetSucceeded) {
            finishedTarget(playbook, "succeeded");
        } else if (event instanceof RunEvent.TargetFailed) {
            finishedTarget(playbook, "failed");
        } else if (event instanceof RunEvent.TargetSkipped) {
            finishedTarget(playbook, "skipped");
        } else if (event instanceof RunEvent.TargetCancelled) {
            finishedTarget(playbook, "cancelled");
        } else if (event instanceof RunEvent.StepSucceeded e) {
            finishedStep(state, playbook, e.target(), e.step(), e.at(), "succeeded");
        } else if (event instanceof RunEvent.StepFailed e) {
            finishedStep(state, playbook, e.target(), e.step(), e.at(), "failed");
        } else if (event instanceof RunEvent.StepTimedOut e) {
            finishedStep(state, playbook, e.target(), e.step(), e.at(), "timed_out");
        } else if (event instanceof RunEvent.StepInterrupted e) {
            finishedStep(state, playbook, e.target(), e.step(), e.at(), "interrupted");
        } else if (event instanceof RunEvent.StepSkipped e) {
            registry.counter("antidote.steps.skipped", "playbook", playbook, "step", e.step()).increment();
        } else if (event instanceof RunEvent.StepRetryScheduled e) {
            registry.counter("antidote.step.retries", "playbook", playbook, "step", e.step()).increment();
        }
    }

    private void finishedRun(String playbook, String status) {
        registry.counter("antidote.runs.finished", "playbook", playbook, "status", status).increment();
    }

    private void finishedTarget(String playbook, String outcome) {
        registry.counter("antidote.targets.finished", "playbook", playbook, "outcome", outcome).increment();
    }

    private void finishedStep(RunState state, String playbook, String target, String step, Instant at, String outcome) {
        Instant started = state.target(target).flatMap(t -> t.step(step)).map(StepState::startedAt).orElse(null);
        Timer timer = Timer.builder("antidote.step.duration")
                .description("Step attempts from start to outcome, by how they ended")
                .tags("playbook", playbook, "step", step, "outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofHours(2))
                .register(registry);
        timer.record(started == null || at == null ? Duration.ZERO : Duration.between(started, at));
    }
}
