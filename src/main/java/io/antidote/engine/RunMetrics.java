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
        Gauge.builder("antidote.writes.waiting.slot", writers, RunWriters::waitingForSlot)
                .description("Runs whose next write waits for a write slot (antidote.engine.max-concurrent-writes)")
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
        event.accept(new Recording(state, state.plan() == null ? UNKNOWN : state.plan().playbook()));
    }

    /**
     * What each kind of event counts for. Every kind is named, those that count for nothing too, so that a new
     * event is a compile error here until someone decides whether it ends a run, a target or a step.
     */
    private final class Recording implements RunEvent.Visitor<Void> {
        private final RunState state;
        private final String playbook;

        Recording(RunState state, String playbook) {
            this.state = state;
            this.playbook = playbook;
        }

        private Void nothing() {
            return null;
        }

        private Void run(String status) {
            finishedRun(playbook, status);
            return null;
        }

        private Void target(String outcome) {
            finishedTarget(playbook, outcome);
            return null;
        }

        private Void step(RunEvent.OfStep event, String outcome) {
            finishedStep(state, playbook, event.target(), event.step(), event.at(), outcome);
            return null;
        }

        @Override
        public Void runRequested(RunEvent.RunRequested e) {
            registry.counter("antidote.runs.requested", "playbook", e.plan().playbook()).increment();
            return null;
        }

        @Override
        public Void runStarted(RunEvent.RunStarted e) {
            return nothing();
        }

        @Override
        public Void targetStarted(RunEvent.TargetStarted e) {
            return nothing();
        }

        @Override
        public Void stepStarted(RunEvent.StepStarted e) {
            return nothing();
        }

        @Override
        public Void stepBegan(RunEvent.StepBegan e) {
            return nothing();
        }

        @Override
        public Void stepSucceeded(RunEvent.StepSucceeded e) {
            return step(e, "succeeded");
        }

        @Override
        public Void stepSkipped(RunEvent.StepSkipped e) {
            registry.counter("antidote.steps.skipped", "playbook", playbook, "step", e.step()).increment();
            return null;
        }

        @Override
        public Void stepFailed(RunEvent.StepFailed e) {
            return step(e, "failed");
        }

        @Override
        public Void stepTimedOut(RunEvent.StepTimedOut e) {
            return step(e, "timed_out");
        }

        @Override
        public Void stepInterrupted(RunEvent.StepInterrupted e) {
            return step(e, "interrupted");
        }

        @Override
        public Void stepOutcomeUnknown(RunEvent.StepOutcomeUnknown e) {
            // Not an outcome yet: the probe that resolves it records one (or the step runs again).
            return nothing();
        }

        @Override
        public Void stepOutcomeFound(RunEvent.StepOutcomeFound e) {
            return nothing();
        }

        @Override
        public Void stepRetryScheduled(RunEvent.StepRetryScheduled e) {
            registry.counter("antidote.step.retries", "playbook", playbook, "step", e.step()).increment();
            return null;
        }

        @Override
        public Void approvalRequested(RunEvent.ApprovalRequested e) {
            // Counted by the approvals-waiting gauge, from the state after the append.
            return nothing();
        }

        @Override
        public Void approvalGranted(RunEvent.ApprovalGranted e) {
            return nothing();
        }

        @Override
        public Void approvalRejected(RunEvent.ApprovalRejected e) {
            return nothing();
        }

        @Override
        public Void approvalTimedOut(RunEvent.ApprovalTimedOut e) {
            return nothing();
        }

        @Override
        public Void compensationStarted(RunEvent.CompensationStarted e) {
            return nothing();
        }

        @Override
        public Void stepCompensated(RunEvent.StepCompensated e) {
            return nothing();
        }

        @Override
        public Void compensationFailed(RunEvent.CompensationFailed e) {
            return nothing();
        }

        @Override
        public Void targetWaiting(RunEvent.TargetWaiting e) {
            return nothing();
        }

        @Override
        public Void targetVerdictRecorded(RunEvent.TargetVerdictRecorded e) {
            return nothing();
        }

        @Override
        public Void targetReleased(RunEvent.TargetReleased e) {
            return nothing();
        }

        @Override
        public Void targetCancelled(RunEvent.TargetCancelled e) {
            return target("cancelled");
        }

        @Override
        public Void cancelRequested(RunEvent.CancelRequested e) {
            return nothing();
        }

        @Override
        public Void runCancelled(RunEvent.RunCancelled e) {
            return run("cancelled");
        }

        @Override
        public Void targetSucceeded(RunEvent.TargetSucceeded e) {
            return target("succeeded");
        }

        @Override
        public Void targetFailed(RunEvent.TargetFailed e) {
            return target("failed");
        }

        @Override
        public Void targetSkipped(RunEvent.TargetSkipped e) {
            return target("skipped");
        }

        @Override
        public Void runSucceeded(RunEvent.RunSucceeded e) {
            return run("succeeded");
        }

        @Override
        public Void runFailed(RunEvent.RunFailed e) {
            return run("failed");
        }

        @Override
        public Void retryRequested(RunEvent.RetryRequested e) {
            registry.counter("antidote.runs.retried", "playbook", playbook).increment();
            return null;
        }

        @Override
        public Void stepCarriedOver(RunEvent.StepCarriedOver e) {
            return nothing();
        }

        @Override
        public Void stepSkippedByPerson(RunEvent.StepSkippedByPerson e) {
            registry.counter("antidote.steps.skipped", "playbook", playbook, "step", e.step()).increment();
            return null;
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
