package io.antidote.workflow;

import io.antidote.workflow.RunCommand.Advance;
import io.antidote.workflow.RunCommand.RecordOutcome;
import io.antidote.workflow.RunCommand.RequestRun;
import io.antidote.workflow.RunEvent.RunFailed;
import io.antidote.workflow.RunEvent.RunRequested;
import io.antidote.workflow.RunEvent.RunStarted;
import io.antidote.workflow.RunEvent.RunSucceeded;
import io.antidote.workflow.RunEvent.StepFailed;
import io.antidote.workflow.RunEvent.StepStarted;
import io.antidote.workflow.RunEvent.StepSucceeded;
import io.antidote.workflow.RunEvent.TargetFailed;
import io.antidote.workflow.RunEvent.TargetSkipped;
import io.antidote.workflow.RunEvent.TargetStarted;
import io.antidote.workflow.RunEvent.TargetSucceeded;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.antidote.workflow.RunEvent.SYSTEM;

/**
 * The rules of a run, as two pure functions: {@link #decide} turns a command and the current state into
 * new events (or rejects the command), {@link #evolve} folds one event into the state. No I/O, no clock,
 * no randomness: time and ids come in on the commands, so every rule is a given-events / when-command /
 * then-events test.
 *
 * <p>Rollout: targets go one at a time, in the order of the plan; the first failed target stops the
 * rollout and the targets not yet started are skipped (a remediation that fails on one Exchange server
 * should be looked at before it touches the next). A failed step stops its target: later steps, such as
 * the one that brings a server back online, never run after it.
 */
public final class RunDecider {

    private RunDecider() {
    }

    public static RunState initialState() {
        return RunState.NONE;
    }

    public static boolean isTerminal(RunState state) {
        return state.exists() && state.status().terminal();
    }

    public static RunState fold(List<? extends RunEvent> events) {
        RunState state = initialState();
        for (RunEvent e : events) {
            state = evolve(state, e);
        }
        return state;
    }

    public static List<RunEvent> decide(RunCommand command, RunState state) {
        if (command instanceof RequestRun request) {
            if (state.exists()) {
                throw new CommandRejected("run " + request.runId() + " already exists");
            }
            return List.of(new RunRequested(request.runId(), request.plan(), request.params(), request.ticket(),
                    request.idempotencyKey(), request.actor(), request.at()));
        }
        if (!state.exists()) {
            throw new CommandRejected("no such run");
        }
        Decision decision = new Decision(state);
        if (command instanceof RecordOutcome outcome) {
            recordOutcome(decision, outcome);
        } else if (!(command instanceof Advance)) {
            throw new CommandRejected("unknown command " + command.getClass().getSimpleName());
        }
        if (!decision.state.status().terminal()) {
            progress(decision, command.at());
        }
        return decision.events;
    }

    private static void recordOutcome(Decision d, RecordOutcome cmd) {
        TargetState target = d.state.target(cmd.target())
                .orElseThrow(() -> new CommandRejected("target '" + cmd.target() + "' is not part of this run"));
        StepState step = target.step(cmd.step())
                .orElseThrow(() -> new CommandRejected("step '" + cmd.step() + "' is not part of this run"));
        if (step.status() != WorkStatus.RUNNING || step.attempts() != cmd.attempt()) {
            // An outcome is recorded once: a late or repeated report (a retry after a crash, a second
            // engine) must not add a second one.
            throw new CommandRejected("step '" + cmd.step() + "' attempt " + cmd.attempt() + " on '" + cmd.target()
                    + "' is not running (it is " + step.status() + ", attempt " + step.attempts() + ")");
        }
        Instant at = cmd.at();
        if (cmd.outcome() instanceof StepOutcome.Completed done && done.unmet().isEmpty()) {
            d.emit(new StepSucceeded(cmd.target(), cmd.step(), cmd.attempt(), done.exitCode(), done.stdout(),
                    done.stderr(), SYSTEM, at));
            return;
        }
        List<String> reasons;
        StepFailed failed;
        if (cmd.outcome() instanceof StepOutcome.Completed done) {
            reasons = done.unmet();
            failed = new StepFailed(cmd.target(), cmd.step(), cmd.attempt(), done.exitCode(), reasons, done.stdout(),
                    done.stderr(), SYSTEM, at);
        } else {
            StepOutcome.Errored errored = (StepOutcome.Errored) cmd.outcome();
            reasons = List.of(errored.reason());
            failed = new StepFailed(cmd.target(), cmd.step(), cmd.attempt(), null, reasons, "", "", SYSTEM, at);
        }
        d.emit(failed);
        d.emit(new TargetFailed(cmd.target(), cmd.step(),
                "step '" + cmd.step() + "' failed: " + String.join("; ", reasons), SYSTEM, at));
    }

    /** Start what can start, finish what is finished; stop when the run must wait for a step. */
    private static void progress(Decision d, Instant at) {
        if (d.state.status() == RunStatus.PENDING) {
            d.emit(new RunStarted(SYSTEM, at));
        }
        while (!d.state.status().terminal()) {
            Optional<TargetState> running = d.state.targets().stream()
                    .filter(t -> t.status() == WorkStatus.RUNNING).findFirst();
            if (running.isPresent()) {
                TargetState target = running.get();
                if (target.runningStep().isPresent()) {
                    return;
                }
                Optional<StepState> next = target.nextPendingStep();
                if (next.isPresent()) {
                    d.emit(new StepStarted(target.name(), next.get().id(), next.get().attempts() + 1, SYSTEM, at));
                    return;
                }
                d.emit(new TargetSucceeded(target.name(), SYSTEM, at));
                continue;
            }
            Optional<TargetState> failed = d.state.targets().stream()
                    .filter(t -> t.status() == WorkStatus.FAILED).findFirst();
            if (failed.isPresent()) {
                for (TargetState t : d.state.targets()) {
                    if (t.status() == WorkStatus.PENDING) {
                        d.emit(new TargetSkipped(t.name(), "rollout stopped after '" + failed.get().name() + "' failed",
                                SYSTEM, at));
                    }
                }
                long failures = d.state.targets().stream().filter(t -> t.status() == WorkStatus.FAILED).count();
                d.emit(new RunFailed(failures + " of " + d.state.targets().size() + " targets failed", SYSTEM, at));
                return;
            }
            Optional<TargetState> pending = d.state.targets().stream()
                    .filter(t -> t.status() == WorkStatus.PENDING).findFirst();
            if (pending.isPresent()) {
                d.emit(new TargetStarted(pending.get().name(), SYSTEM, at));
                continue;
            }
            d.emit(new RunSucceeded(SYSTEM, at));
        }
    }

    public static RunState evolve(RunState state, RunEvent event) {
        RunState next;
        if (event instanceof RunRequested e) {
            next = new RunState(e.runId(), RunStatus.PENDING, e.plan(), e.params(), e.ticket(), e.actor(), e.at(),
                    null, e.plan().targets().stream().map(t -> TargetState.pending(t, e.plan())).toList(), 0);
        } else if (event instanceof RunStarted) {
            next = state.withStatus(RunStatus.RUNNING, null);
        } else if (event instanceof TargetStarted e) {
            next = state.withTarget(e.target(), t -> t.withStatus(WorkStatus.RUNNING));
        } else if (event instanceof StepStarted e) {
            next = state.withTarget(e.target(), t -> t.withStep(e.step(), s -> s.started(e.attempt(), e.at())));
        } else if (event instanceof StepSucceeded e) {
            next = state.withTarget(e.target(),
                    t -> t.withStep(e.step(), s -> s.finished(WorkStatus.SUCCEEDED, e.exitCode(), e.at())));
        } else if (event instanceof StepFailed e) {
            next = state.withTarget(e.target(),
                    t -> t.withStep(e.step(), s -> s.finished(WorkStatus.FAILED, e.exitCode(), e.at())));
        } else if (event instanceof TargetSucceeded e) {
            next = state.withTarget(e.target(), t -> t.withStatus(WorkStatus.SUCCEEDED));
        } else if (event instanceof TargetFailed e) {
            next = state.withTarget(e.target(), t -> t.withStatus(WorkStatus.FAILED));
        } else if (event instanceof TargetSkipped e) {
            next = state.withTarget(e.target(), t -> skipAll(t));
        } else if (event instanceof RunSucceeded e) {
            next = state.withStatus(RunStatus.SUCCEEDED, e.at());
        } else if (event instanceof RunFailed e) {
            next = state.withStatus(RunStatus.FAILED, e.at());
        } else {
            throw new IllegalArgumentException("unknown event " + event.getClass().getSimpleName());
        }
        return next.nextVersion();
    }

    private static TargetState skipAll(TargetState target) {
        TargetState skipped = target.withStatus(WorkStatus.SKIPPED);
        for (StepState s : target.steps()) {
            skipped = skipped.withStep(s.id(), x -> x.finished(WorkStatus.SKIPPED, null, null));
        }
        return skipped;
    }

    /** Events decided so far, and the state they lead to, so later rules see earlier decisions. */
    private static final class Decision {
        private RunState state;
        private final List<RunEvent> events = new ArrayList<>();

        Decision(RunState state) {
            this.state = state;
        }

        void emit(RunEvent event) {
            events.add(event);
            state = evolve(state, event);
        }
    }
}
