package io.antidote.workflow;

import io.antidote.workflow.RunCommand.Advance;
import io.antidote.workflow.RunCommand.Cancel;
import io.antidote.workflow.RunCommand.DecideApproval;
import io.antidote.workflow.RunCommand.RecordOutcome;
import io.antidote.workflow.RunCommand.ReleaseTarget;
import io.antidote.workflow.RunCommand.NoteBegun;
import io.antidote.workflow.RunCommand.Recover;
import io.antidote.workflow.RunCommand.ResolveOutcome;
import io.antidote.workflow.RunCommand.RequestRun;
import io.antidote.workflow.RunEvent.ApprovalGranted;
import io.antidote.workflow.RunEvent.ApprovalRejected;
import io.antidote.workflow.RunEvent.ApprovalRequested;
import io.antidote.workflow.RunEvent.ApprovalTimedOut;
import io.antidote.workflow.RunEvent.CancelRequested;
import io.antidote.workflow.RunEvent.CompensationFailed;
import io.antidote.workflow.RunEvent.CompensationStarted;
import io.antidote.workflow.RunEvent.RunCancelled;
import io.antidote.workflow.RunEvent.RunFailed;
import io.antidote.workflow.RunEvent.RunRequested;
import io.antidote.workflow.RunEvent.RunStarted;
import io.antidote.workflow.RunEvent.RunSucceeded;
import io.antidote.workflow.RunEvent.StepCompensated;
import io.antidote.workflow.RunEvent.StepFailed;
import io.antidote.workflow.RunEvent.StepInterrupted;
import io.antidote.workflow.RunEvent.StepOutcomeFound;
import io.antidote.workflow.RunEvent.StepOutcomeUnknown;
import io.antidote.workflow.RunEvent.StepRetryScheduled;
import io.antidote.workflow.RunEvent.StepSkipped;
import io.antidote.workflow.RunEvent.StepBegan;
import io.antidote.workflow.RunEvent.StepStarted;
import io.antidote.workflow.RunEvent.StepSucceeded;
import io.antidote.workflow.RunEvent.StepTimedOut;
import io.antidote.workflow.RunEvent.TargetCancelled;
import io.antidote.workflow.RunEvent.TargetFailed;
import io.antidote.workflow.RunEvent.TargetSkipped;
import io.antidote.workflow.RunEvent.TargetReleased;
import io.antidote.workflow.RunEvent.TargetStarted;
import io.antidote.workflow.RunEvent.TargetVerdictRecorded;
import io.antidote.workflow.RunEvent.TargetSucceeded;
import io.antidote.workflow.RunEvent.TargetWaiting;
import io.antidote.workflow.RunPlan.PlannedStep;
import io.antidote.workflow.TargetState.Compensation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.antidote.workflow.RunEvent.SYSTEM;

/**
 * The rules of a run, as two pure functions: {@link #decide} turns a command and the current state into
 * new events (or rejects the command), {@link #evolve} folds one event into the state. No I/O, no clock,
 * no randomness: time and ids come in on the commands, so every rule is a given-events / when-command /
 * then-events test.
 *
 * <p>Rollout: targets go in the order of the plan, in batches (one target a batch unless the plan says
 * otherwise); a batch starts when the one before has finished; targets of one group never run together;
 * a target held by another run, or one of whose group (its DAG) another run holds a member, waits. Once the plan's failure threshold is reached (the first failure,
 * unless it says otherwise), targets not yet started are skipped.
 *
 * <p>On a target: steps run in order. A failed attempt is tried again if the step's retry policy covers
 * it; otherwise the target fails, and the steps it completed are undone first (see docs/playbooks.md,
 * "Compensation"). A failed step stops its target: later steps, such as the one that brings a server back
 * online, never run after it. A step whose {@code when} condition is false on the target, evaluated on the
 * run's recorded parameters and the outputs its earlier steps recorded there, is skipped
 * ({@link StepSkipped}) and the target goes on; a skipped step has nothing to undo.
 *
 * <p>Safety: the step that returns a server to service ({@link PlannedStep#restores()}) runs, in its order or
 * as an undo after a failure or a cancel, only once this run has verified the server fixed and clean
 * ({@link Verdict#fixedAndClean()}); otherwise the server stays isolated and its verdict says why. A step that
 * takes a mitigation away ({@link PlannedStep#liftsMitigation()}) runs, in its order or as an undo, only once
 * this run has verified the server fixed; otherwise the mitigation stays. Every
 * target's end is preceded by its verdict ({@link TargetVerdictRecorded}). A person may release a server
 * left isolated ({@link ReleaseTarget}), which is recorded with their name and reason.
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
        return decide(command, state, Set.of());
    }

    /**
     * As {@link #decide(RunCommand, RunState)}, with {@code alsoBusy} held by other runs besides the
     * targets the command names as busy: whatever the command, a target in either set is not started
     * (it waits). The engine passes a target here when the store refused to let this run take it.
     */
    public static List<RunEvent> decide(RunCommand command, RunState state, Set<String> alsoBusy) {
        return decide(command, state, alsoBusy, Map.of(), true);
    }

    /** As {@link #decide(RunCommand, RunState, Set)}, with who holds the groups in {@code alsoBusy} (for reasons). */
    public static List<RunEvent> decide(RunCommand command, RunState state, Set<String> alsoBusy,
                                        Map<String, GroupHold> alsoHolds) {
        return decide(command, state, alsoBusy, alsoHolds, true);
    }

    /**
     * The command's own events only, with nothing new started: an outcome is recorded (and a retry scheduled,
     * or the target failed), an approval or a cancel noted, but no step, target or run moves on, no deadline is
     * judged. For a replica that is stopping: what would start next is left to the replica that adopts the
     * run, whose first command moves it on as usual. A release, which starts its restore step at once, is
     * refused.
     */
    public static List<RunEvent> decideHeld(RunCommand command, RunState state) {
        if (command instanceof ReleaseTarget) {
            throw new CommandRejected("the service is stopping and starts no step now; send the release again");
        }
        return decide(command, state, Set.of(), Map.of(), false);
    }

    private static List<RunEvent> decide(RunCommand command, RunState state, Set<String> alsoBusy,
                                         Map<String, GroupHold> alsoHolds, boolean moveOn) {
        if (command instanceof RequestRun request) {
            if (state.exists()) {
                throw new CommandRejected("run " + request.runId() + " already exists");
            }
            return List.of(new RunRequested(request.runId(), request.plan(), request.params(), request.ticket(),
                    request.idempotencyKey(), request.actor(), request.at()));
        }
        if (command instanceof RunCommand.RetryRun retry) {
            if (state.exists()) {
                throw new CommandRejected("run " + retry.runId() + " already exists");
            }
            return Retries.decide(retry);
        }
        if (!state.exists()) {
            throw new CommandRejected("no such run");
        }
        Decision decision = new Decision(state);
        if (command instanceof NoteBegun begun) {
            noteBegun(decision, begun); // a fact about an attempt under way: nothing moves on for it
            return decision.events;
        }
        Set<String> busy = Set.of();
        Map<String, GroupHold> holds = new HashMap<>(alsoHolds);
        if (command instanceof RecordOutcome outcome) {
            recordOutcome(decision, outcome);
        } else if (command instanceof Recover recover) {
            recover(decision, recover);
            busy = recover.busyTargets();
            holds.putAll(recover.holds());
        } else if (command instanceof ResolveOutcome resolve) {
            resolveOutcome(decision, resolve);
        } else if (command instanceof DecideApproval approval) {
            decideApproval(decision, approval);
        } else if (command instanceof ReleaseTarget release) {
            release(decision, release);
        } else if (command instanceof Cancel cancel) {
            if (state.status().terminal()) {
                throw new CommandRejected("the run has already ended " + state.status());
            }
            if (state.cancelRequested()) {
                throw new CommandRejected("the run is already being cancelled");
            }
            decision.emit(new CancelRequested(cancel.mode() == null ? RunCommand.CancelMode.FINISH_STEP : cancel.mode(),
                    cancel.actor(), cancel.at()));
        } else if (command instanceof Advance advance) {
            busy = advance.busyTargets();
            holds.putAll(advance.holds());
        } else {
            throw new CommandRejected("unknown command " + command.getClass().getSimpleName());
        }
        if (!alsoBusy.isEmpty()) {
            Set<String> both = new HashSet<>(busy);
            both.addAll(alsoBusy);
            busy = both;
        }
        if (moveOn && !decision.state.status().terminal()) {
            progress(decision, command.at(), busy, holds);
        }
        return decision.events;
    }

    // ---- outcomes ----

    /**
     * Attempts began on a worker: the deadline of each counts from its beginning. Once per attempt, and only while
     * it runs; an attempt that ended first (its outcome went before) is passed over, and if none is left the
     * command is rejected, so that nothing is appended for it.
     */
    private static void noteBegun(Decision d, NoteBegun cmd) {
        for (NoteBegun.Began began : cmd.attempts()) {
            Optional<StepState> step = d.state.target(began.target()).flatMap(t -> t.step(began.step()));
            if (step.isPresent() && step.get().status() == WorkStatus.RUNNING
                    && step.get().attempts() == began.attempt() && step.get().beganAt() == null) {
                d.emit(new StepBegan(began.target(), began.step(), began.attempt(), SYSTEM, began.at()));
            }
        }
        if (d.events.isEmpty()) {
            throw new CommandRejected("none of " + cmd.attempts().size() + " attempt(s) is waiting to begin");
        }
    }

    private static void recordOutcome(Decision d, RecordOutcome cmd) {
        TargetState target = d.state.target(cmd.target())
                .orElseThrow(() -> new CommandRejected("target '" + cmd.target() + "' is not part of this run"));
        StepState step = target.step(cmd.step())
                .orElseThrow(() -> new CommandRejected("step '" + cmd.step() + "' is not part of this run"));
        if (step.status() != WorkStatus.RUNNING || step.attempts() != cmd.attempt() || step.outcomeUnknown()) {
            // An outcome is recorded once: a late or repeated report (a retry after a crash, a second
            // engine, an attempt already timed out, one whose marker is being probed) must not add a second one.
            throw new CommandRejected("step '" + cmd.step() + "' attempt " + cmd.attempt() + " on '" + cmd.target()
                    + "' is not running (it is " + step.status() + (step.outcomeUnknown() ? ", outcome unknown" : "")
                    + ", attempt " + step.attempts() + ")");
        }
        if (cmd.outcome() instanceof StepOutcome.Unknown unknown) {
            d.emit(new StepOutcomeUnknown(cmd.target(), cmd.step(), cmd.attempt(), unknown.reason()
                    + "; the step's marker on the host is probed", SYSTEM, cmd.at()));
            return;
        }
        applyOutcome(d, target, cmd);
    }

    /** What an attempt's outcome (reported, or found in its marker) does to the step and its target. */
    private static void applyOutcome(Decision d, TargetState target, RecordOutcome cmd) {
        Instant at = cmd.at();
        if (target.status().finished()) {
            releaseOutcome(d, target, cmd);
            return;
        }
        Optional<String> undoing = undoing(target);
        if (cmd.outcome() instanceof StepOutcome.Completed done && done.unmet().isEmpty()) {
            d.emit(new StepSucceeded(cmd.target(), cmd.step(), cmd.attempt(), done.exitCode(), done.stdout(),
                    done.stderr(), done.outputs(), SYSTEM, at));
            undoing.ifPresent(undone -> d.emit(new StepCompensated(cmd.target(), undone, cmd.step(), SYSTEM, at)));
            return;
        }
        String reason = recordFailure(d, cmd);
        if (undoing.isPresent()) {
            d.emit(new CompensationFailed(cmd.target(), undoing.get(), cmd.step(), reason, SYSTEM, at));
            return;
        }
        afterFailedAttempt(d, cmd.target(), cmd.step(), cmd.attempt(), d.state.plan().step(cmd.step()).retry()
                .covers(cmd.outcome()), reason, at);
    }

    /** Records the failed attempt; returns its reason, in the step's own words where it has some. */
    private static String recordFailure(Decision d, RecordOutcome cmd) {
        Instant at = cmd.at();
        if (cmd.outcome() instanceof StepOutcome.Completed done) {
            d.emit(new StepFailed(cmd.target(), cmd.step(), cmd.attempt(), done.exitCode(), done.unmet(), done.stdout(),
                    done.stderr(), SYSTEM, at));
            // The step's own words say what the exit code cannot.
            return String.join("; ", done.unmet()) + StepMessage.of(done.stderr()).map(said -> ": " + said).orElse("");
        }
        StepOutcome.Errored errored = (StepOutcome.Errored) cmd.outcome();
        if (errored.kind() == FailureKind.TIMEOUT) {
            d.emit(new StepTimedOut(cmd.target(), cmd.step(), cmd.attempt(), errored.reason(), SYSTEM, at));
        } else {
            d.emit(new StepFailed(cmd.target(), cmd.step(), cmd.attempt(), null, List.of(errored.reason()), "", "",
                    SYSTEM, at));
        }
        return errored.reason();
    }

    /** A failed attempt is retried when its policy covers it and attempts remain; else the target ends. */
    private static void afterFailedAttempt(Decision d, String target, String step, int attempt, boolean covered,
                                           String reason, Instant at) {
        RunPlan.Retry retry = d.state.plan().step(step).retry();
        // Attempts started again after a lost outcome are capped apart (max-crash-reruns): not retries.
        int tries = d.state.target(target).flatMap(t -> t.step(step)).map(StepState::retryAttempts).orElse(attempt);
        if (d.state.cancelRequested()) {
            endTarget(d, target, step, "cancelled by request", true, at);
        } else if (covered && tries < retry.maxAttempts()) {
            d.emit(new StepRetryScheduled(target, step, attempt + 1, at.plusMillis(retry.delayBefore(tries + 1)),
                    reason, SYSTEM, at));
        } else {
            endTarget(d, target, step, "step '" + step + "' failed: " + reason, false, at);
        }
    }

    /** The step being undone on this target, when the target is compensating and its undo step runs. */
    private static Optional<String> undoing(TargetState target) {
        if (target.compensation() == null) {
            return Optional.empty();
        }
        return target.compensation().current();
    }

    // ---- lost outcomes: crash recovery and marker probes ----

    /**
     * Attempts shown as running lost their outcome with the process (or the replica) that ran them. A read-only
     * step runs again. A step that changes the server is recorded as of unknown outcome, for the engine to
     * probe the marker its script left on the host ({@link ResolveOutcome} follows).
     */
    private static void recover(Decision d, Recover cmd) {
        Instant at = cmd.at();
        for (TargetState target : d.state.targets()) {
            Optional<StepState> running = target.runningStep();
            if (running.isEmpty()) {
                continue;
            }
            StepState step = running.get();
            PlannedStep planned = d.state.plan().step(step.id());
            String stopped = "the service stopped during attempt " + step.attempts();
            if (target.status().finished()) {
                // A release's restore step: whether the server is back in service is unknown, so it stays
                // recorded as isolated and may be released again.
                String reason = stopped + "; its outcome is unknown";
                d.emit(new StepInterrupted(target.name(), step.id(), step.attempts(), reason
                        + "; release the server again", false, SYSTEM, at));
                recordVerdict(d, target.name(), "release interrupted: " + reason, SYSTEM, at);
                continue;
            }
            if (planned.readOnly()) {
                closeLostAttempt(d, target.name(), step, stopped + "; the step only reads the server", true,
                        cmd.maxCrashReruns(), at);
            } else if (step.outcomeUnknown()) {
                d.emit(new StepOutcomeUnknown(target.name(), step.id(), step.attempts(), "the service stopped while"
                        + " the marker of attempt " + step.attempts() + " was probed; it is probed again", SYSTEM, at));
            } else {
                d.emit(new StepOutcomeUnknown(target.name(), step.id(), step.attempts(), stopped
                        + " and the step changes the server; its marker on the host is probed", SYSTEM, at));
            }
        }
    }

    /**
     * The marker of an attempt whose outcome was unknown was probed. Finished with a known outcome: that outcome
     * is the attempt's. No marker: the script never began, and the step runs again. Otherwise nobody knows how far
     * the script got: the step runs again if that does no harm (idempotent, or read-only), and its target fails
     * with the reason if not.
     */
    private static void resolveOutcome(Decision d, ResolveOutcome cmd) {
        TargetState target = d.state.target(cmd.target())
                .orElseThrow(() -> new CommandRejected("target '" + cmd.target() + "' is not part of this run"));
        StepState step = target.step(cmd.step())
                .orElseThrow(() -> new CommandRejected("step '" + cmd.step() + "' is not part of this run"));
        if (step.status() != WorkStatus.RUNNING || step.attempts() != cmd.attempt() || !step.outcomeUnknown()) {
            throw new CommandRejected("step '" + cmd.step() + "' attempt " + cmd.attempt() + " on '" + cmd.target()
                    + "' has no outcome to resolve (it is " + step.status() + ", attempt " + step.attempts() + ")");
        }
        if (cmd.marker() == null) {
            throw new CommandRejected("a resolved outcome names what the marker said");
        }
        Instant at = cmd.at();
        d.emit(new StepOutcomeFound(cmd.target(), cmd.step(), cmd.attempt(), cmd.marker(), cmd.detail(), SYSTEM, at));
        if (cmd.marker() == HostMarker.COMPLETED && cmd.found() != null
                && !(cmd.found() instanceof StepOutcome.Unknown)) {
            applyOutcome(d, d.state.target(cmd.target()).orElseThrow(),
                    new RecordOutcome(cmd.target(), cmd.step(), cmd.attempt(), cmd.found(), at));
            return;
        }
        PlannedStep planned = d.state.plan().step(cmd.step());
        String lost = "the outcome of attempt " + cmd.attempt() + " was lost (" + cmd.detail() + ")";
        if (target.status().finished()) {
            d.emit(new StepInterrupted(cmd.target(), cmd.step(), cmd.attempt(), lost + "; release the server again",
                    false, SYSTEM, at));
            recordVerdict(d, cmd.target(), "release interrupted: " + lost, SYSTEM, at);
            return;
        }
        // No marker: the wrapper writes it before the script's first line and runs nothing if it cannot, so the
        // script never began on the host (a command refused or lost on its way) and running it is its first run.
        boolean neverBegan = cmd.marker() == HostMarker.ABSENT;
        closeLostAttempt(d, cmd.target(), step, planned.readOnly() ? lost + "; the step only reads the server"
                : planned.idempotent() ? lost + "; the step is idempotent"
                : neverBegan ? lost + "; the script never began on the host"
                : lost + "; the step changes the server and is not idempotent", planned.readOnly()
                || planned.idempotent() || neverBegan, cmd.maxCrashReruns(), at);
    }

    /**
     * Closes an attempt whose outcome is lost for good. It runs again when {@code mayRunAgain} and the step has
     * not run again after lost outcomes {@code cap} times already; otherwise the target fails (or the undo it
     * belongs to is recorded as failed) with the reason.
     */
    private static void closeLostAttempt(Decision d, String target, StepState step, String why, boolean mayRunAgain,
                                         int cap, Instant at) {
        if (mayRunAgain && step.crashReruns() < cap) {
            d.emit(new StepInterrupted(target, step.id(), step.attempts(), why + ", so it runs again (re-run "
                    + (step.crashReruns() + 1) + " of at most " + cap + " after lost outcomes)", true, SYSTEM, at));
            return; // the step is pending again: progress starts the next attempt
        }
        String reason = mayRunAgain
                ? why + "; it already ran again " + step.crashReruns() + " time(s) after lost outcomes, the most"
                + " antidote.engine.max-crash-reruns allows (" + cap + "), so it does not run again"
                : why + ", so it does not run again";
        d.emit(new StepInterrupted(target, step.id(), step.attempts(), reason, false, SYSTEM, at));
        Optional<String> undoing = undoing(d.state.target(target).orElseThrow());
        if (undoing.isPresent()) {
            d.emit(new CompensationFailed(target, undoing.get(), step.id(), reason, SYSTEM, at));
        } else {
            afterFailedAttempt(d, target, step.id(), step.attempts(), false, reason, at);
        }
    }

    // ---- approvals ----

    private static void decideApproval(Decision d, DecideApproval cmd) {
        List<TargetState> waiting = d.state.targets().stream()
                .filter(t -> cmd.target() == null || t.name().equals(cmd.target()))
                .filter(t -> t.step(cmd.step()).map(s -> s.status() == WorkStatus.WAITING_APPROVAL).orElse(false))
                .toList();
        if (waiting.isEmpty()) {
            throw new CommandRejected("step '" + cmd.step() + "'" + (cmd.target() == null ? "" : " on '" + cmd.target()
                    + "'") + " is not waiting for approval");
        }
        RunPlan.Approval approval = d.state.plan().step(cmd.step()).approval();
        if (!approval.requesterMayApprove() && cmd.actor() != null && cmd.actor().equals(d.state.requestedBy())) {
            throw new CommandRejected.NotAllowed("'" + cmd.actor() + "' requested this run and the playbook does not"
                    + " let the requester approve step '" + cmd.step() + "'");
        }
        for (TargetState t : waiting) {
            if (cmd.approve()) {
                d.emit(new ApprovalGranted(t.name(), cmd.step(), cmd.comment(), cmd.actor(), cmd.at()));
            } else {
                d.emit(new ApprovalRejected(t.name(), cmd.step(), cmd.comment(), cmd.actor(), cmd.at()));
                endTarget(d, t.name(), cmd.step(), "step '" + cmd.step() + "' rejected by '" + cmd.actor() + "'"
                        + (cmd.comment() == null || cmd.comment().isBlank() ? "" : ": " + cmd.comment()), false, cmd.at());
            }
        }
    }

    // ---- ending a target ----

    /**
     * Ends a target that failed at {@code step} (or was cancelled): first undoes, newest first, the steps it
     * completed that name an undo step, except those kept on failure and those whose undo step already ran
     * in its normal place.
     */
    private static void endTarget(Decision d, String name, String step, String reason, boolean cancelled,
                                  Instant at) {
        TargetState target = d.state.target(name).orElseThrow();
        RunPlan plan = d.state.plan();
        List<String> undo = new ArrayList<>();
        Verdict verdict = Verdicts.of(plan, target, null);
        for (int i = target.steps().size() - 1; i >= 0; i--) {
            StepState s = target.steps().get(i);
            PlannedStep p = plan.step(s.id());
            boolean undoneAlready = p.compensate() != null
                    && target.step(p.compensate()).map(u -> u.status() == WorkStatus.SUCCEEDED).orElse(false)
                    && plan.indexOf(p.compensate()) > i;
            // An isolation is undone only on a server this run verified fixed and clean, a mitigation only on one
            // it verified fixed, cancel or not.
            boolean unsafe = p.compensate() != null && (plan.step(p.compensate()).restores() && !verdict.fixedAndClean()
                    || plan.step(p.compensate()).liftsMitigation() && verdict.patch() != Verdict.Patch.PATCHED);
            if (s.status() == WorkStatus.SUCCEEDED && p.compensate() != null && !undoneAlready && !unsafe
                    && (cancelled || !p.keepOnFailure())) {
                undo.add(s.id());
            }
        }
        if (undo.isEmpty()) {
            finishEnding(d, name, step, reason, cancelled, at);
        } else {
            d.emit(new CompensationStarted(name, step, reason, cancelled, undo, SYSTEM, at));
        }
    }

    private static void finishEnding(Decision d, String name, String step, String reason, boolean cancelled,
                                     Instant at) {
        recordVerdict(d, name, reason, SYSTEM, at);
        if (cancelled) {
            d.emit(new TargetCancelled(name, reason, SYSTEM, at));
        } else {
            d.emit(new TargetFailed(name, step, reason, SYSTEM, at));
        }
    }

    /** The target's verdict now, recorded; {@code ended} is how it ended (or was released), or null. */
    private static void recordVerdict(Decision d, String name, String ended, String actor, Instant at) {
        TargetState target = d.state.target(name).orElseThrow();
        d.emit(new TargetVerdictRecorded(name, Verdicts.of(d.state.plan(), target, ended), actor, at));
    }

    // ---- release ----

    /**
     * A person returns a server the run left isolated to service: recorded with their name and reason, then
     * the plan's restore step runs on it (outside the run's order: the target has ended).
     */
    private static void release(Decision d, ReleaseTarget cmd) {
        TargetState target = d.state.target(cmd.target())
                .orElseThrow(() -> new CommandRejected("target '" + cmd.target() + "' is not part of this run"));
        if (cmd.reason() == null || cmd.reason().isBlank()) {
            throw new CommandRejected("a release needs a reason: why the server may return to service unverified");
        }
        String restore = d.state.plan().steps().stream().filter(PlannedStep::restores).map(PlannedStep::id)
                .findFirst().orElseThrow(() -> new CommandRejected("playbook " + d.state.plan().playbook()
                        + " has no restore step: it never isolates, so there is nothing to release"));
        if (!target.status().finished()) {
            throw new CommandRejected("the run is still at work on '" + cmd.target() + "' (" + target.status()
                    + "): release it once the run is done with it");
        }
        if (target.verdict() == null || target.verdict().service() != Verdict.Service.ISOLATED) {
            throw new CommandRejected("'" + cmd.target() + "' is not isolated by this run");
        }
        if (target.runningStep().isPresent()) {
            throw new CommandRejected("'" + cmd.target() + "' is already being released");
        }
        d.emit(new TargetReleased(cmd.target(), restore, cmd.reason(), cmd.actor(), cmd.at()));
        // A server the run left in maintenance ends it first (the kept step's undo), as the playbook's own order
        // does before restore: the release returns it to service whole, and lets its group (its DAG) go.
        String first = d.state.keptHold(cmd.target()).map(kept -> d.state.plan().step(kept).compensate())
                .orElse(restore);
        d.emit(new StepStarted(cmd.target(), first, target.step(first).orElseThrow().attempts() + 1, null,
                cmd.actor(), cmd.at()));
    }

    /**
     * How a step a release started went: after the end of the maintenance, the restore step starts; after the
     * restore, the new verdict says whether the server is back. A failure stops the release there.
     */
    private static void releaseOutcome(Decision d, TargetState target, RecordOutcome cmd) {
        String released = target.release();
        if (cmd.outcome() instanceof StepOutcome.Completed done && done.unmet().isEmpty()) {
            d.emit(new StepSucceeded(cmd.target(), cmd.step(), cmd.attempt(), done.exitCode(), done.stdout(),
                    done.stderr(), done.outputs(), SYSTEM, cmd.at()));
            String restore = d.state.plan().steps().stream().filter(PlannedStep::restores).map(PlannedStep::id)
                    .findFirst().orElseThrow();
            if (!cmd.step().equals(restore)) {
                d.emit(new StepStarted(cmd.target(), restore, target.step(restore).orElseThrow().attempts() + 1,
                        null, SYSTEM, cmd.at()));
                return;
            }
            recordVerdict(d, cmd.target(), released, SYSTEM, cmd.at());
        } else {
            String reason = recordFailure(d, cmd);
            recordVerdict(d, cmd.target(), released + "; the release's step '" + cmd.step() + "' failed: " + reason,
                    SYSTEM, cmd.at());
        }
    }

    // ---- progress ----

    /** Start what can start, finish what is finished; stop when the run must wait. */
    private static void progress(Decision d, Instant at, Set<String> busy, Map<String, GroupHold> holds) {
        if (d.state.status() == RunStatus.PENDING) {
            d.emit(new RunStarted(SYSTEM, at));
        }
        boolean moved = true;
        while (moved && !d.state.status().terminal()) {
            moved = false;
            for (TargetState t : d.state.targets()) {
                if (t.status() == WorkStatus.RUNNING) {
                    moved |= advanceTarget(d, t.name(), at);
                }
            }
            moved |= startTargets(d, at, busy, holds);
            if (!moved) {
                finishRun(d, at);
            }
        }
    }

    /** One move on a running target; false when it must wait for an outcome, a timer or a person. */
    private static boolean advanceTarget(Decision d, String name, Instant at) {
        TargetState target = d.state.target(name).orElseThrow();
        RunPlan plan = d.state.plan();
        Optional<StepState> running = target.runningStep();
        if (running.isPresent()) {
            StepState s = running.get();
            long timeout = plan.step(s.id()).timeoutMillis();
            // An attempt whose marker is being probed is past judging by its deadline: the probe resolves it
            // (deadline() is empty for it); one still waiting for a worker has none yet.
            if (s.deadline(timeout).filter(deadline -> !deadline.isAfter(at)).isPresent()) {
                // The engine lost track of the attempt (or its own timer was late): the deadline is ours. A step
                // that changes the server may have run by then, wholly or in part: its marker decides, as the
                // engine's own deadline does (RunEngine), never a retry on a guess.
                String late = "timed out after " + java.time.Duration.ofMillis(timeout);
                recordOutcome(d, new RecordOutcome(name, s.id(), s.attempts(), plan.step(s.id()).readOnly()
                        ? new StepOutcome.Errored(FailureKind.TIMEOUT, late)
                        : new StepOutcome.Unknown(late + " with no reply: the script may have run"), at));
                return true;
            }
            return false;
        }
        Compensation compensation = target.compensation();
        if (compensation != null) {
            Optional<String> undone = compensation.current();
            if (undone.isEmpty()) {
                finishEnding(d, name, compensation.failedStep(), compensation.reason(), compensation.cancelled(), at);
                return true;
            }
            String by = plan.step(undone.get()).compensate();
            StepState undo = target.step(by).orElseThrow();
            d.emit(new StepStarted(name, by, undo.attempts() + 1, undone.get(), crashRerun(undo), SYSTEM, at));
            return true;
        }
        if (d.state.cancelRequested()) {
            endTarget(d, name, null, "cancelled by request", true, at);
            return true;
        }
        Optional<StepState> next = target.steps().stream()
                .filter(s -> !s.status().finished() && !plan.step(s.id()).compensationOnly())
                .findFirst();
        if (next.isEmpty()) {
            recordVerdict(d, name, null, SYSTEM, at);
            d.emit(new TargetSucceeded(name, SYSTEM, at));
            return true;
        }
        StepState step = next.get();
        PlannedStep planned = plan.step(step.id());
        if (planned.when() != null && step.status() == WorkStatus.PENDING && step.attempts() == 0 && !step.approved()
                && !planned.when().holds(d.state.params(), target.outputs())) {
            // Decided before any approval is asked for: a step that will not run needs nobody's consent.
            d.emit(new StepSkipped(name, step.id(), planned.when().text(),
                    planned.when().valuesIn(d.state.params(), target.outputs()), SYSTEM, at));
            return true;
        }
        if (planned.restores() && step.status() == WorkStatus.PENDING && step.attempts() == 0) {
            Verdict verdict = Verdicts.of(plan, target, null);
            if (!verdict.fixedAndClean()) {
                endTarget(d, name, step.id(), "step '" + step.id() + "' not run, the server stays isolated: "
                        + String.join("; ", verdict.reasons()), false, at);
                return true;
            }
        }
        if (planned.liftsMitigation() && step.status() == WorkStatus.PENDING && step.attempts() == 0) {
            Verdict verdict = Verdicts.of(plan, target, null);
            if (verdict.patch() != Verdict.Patch.PATCHED) {
                // The first reason of a verdict that is not PATCHED says why not.
                endTarget(d, name, step.id(), "step '" + step.id() + "' not run, the mitigation stays: this run did"
                        + " not verify the server fixed (" + verdict.reasons().get(0) + ")", false, at);
                return true;
            }
        }
        if (step.status() == WorkStatus.WAITING_APPROVAL) {
            if (step.dueAt() != null && !step.dueAt().isAfter(at)) {
                d.emit(new ApprovalTimedOut(name, step.id(), SYSTEM, at));
                endTarget(d, name, step.id(), "nobody approved step '" + step.id() + "' by " + step.dueAt(), false, at);
                return true;
            }
            return false;
        }
        if (planned.approval() != null && !step.approved()) {
            long timeout = planned.approval().timeoutMillis();
            d.emit(new ApprovalRequested(name, step.id(), planned.approval().role(),
                    timeout > 0 ? at.plusMillis(timeout) : null, SYSTEM, at));
            return true;
        }
        if (step.dueAt() != null && step.dueAt().isAfter(at)) {
            return false; // a retry not yet due
        }
        d.emit(new StepStarted(name, step.id(), step.attempts() + 1, null, crashRerun(step), SYSTEM, at));
        return true;
    }

    /** Which re-run after lost outcomes the step's next attempt is, or null when it is not one. */
    private static Integer crashRerun(StepState step) {
        return step.rerunPending() ? step.crashReruns() + 1 : null;
    }

    /** Starts pending targets of the current batch, or skips or cancels those that will never start. */
    private static boolean startTargets(Decision d, Instant at, Set<String> busy, Map<String, GroupHold> holds) {
        List<TargetState> targets = d.state.targets();
        List<TargetState> pending = targets.stream().filter(t -> t.status() == WorkStatus.PENDING).toList();
        if (pending.isEmpty()) {
            return false;
        }
        if (d.state.cancelRequested()) {
            pending.forEach(t -> finishEnding(d, t.name(), null, "cancelled by request before it started", true, at));
            return true;
        }
        long failed = targets.stream().filter(t -> t.status() == WorkStatus.FAILED).count();
        RunPlan plan = d.state.plan();
        if (failed >= plan.strategy().failureThreshold()) {
            String reason = failed == 1
                    ? "rollout stopped after '" + targets.stream().filter(t -> t.status() == WorkStatus.FAILED)
                    .findFirst().orElseThrow().name() + "' failed"
                    : "rollout stopped after " + failed + " targets failed";
            pending.forEach(t -> {
                recordVerdict(d, t.name(), "not started: " + reason, SYSTEM, at);
                d.emit(new TargetSkipped(t.name(), reason, SYSTEM, at));
            });
            return true;
        }
        int batch = plan.strategy().batchOf(targets.size());
        int firstOpen = 0;
        while (firstOpen < targets.size() && targets.get(firstOpen).status().finished()) {
            firstOpen++;
        }
        int batchStart = firstOpen / batch * batch;
        int batchEnd = Math.min(targets.size(), batchStart + batch);
        Set<String> groupsRunning = new HashSet<>();
        targets.stream().filter(t -> t.status() == WorkStatus.RUNNING)
                .forEach(t -> groupsRunning.add(plan.groupOf(t.name())));
        boolean moved = false;
        for (int i = batchStart; i < batchEnd; i++) {
            TargetState t = targets.get(i);
            if (t.status() != WorkStatus.PENDING || groupsRunning.contains(plan.groupOf(t.name()))) {
                continue;
            }
            // A group name in the busy set: another run holds a member of the target's group (its DAG), or a member
            // is still in maintenance after its target ended (then the store names the members of this run that
            // may not start, with who holds the group).
            String group = plan.groupOf(t.name());
            String held = busy.contains(t.name()) ? (holds.containsKey(t.name()) ? holds.get(t.name()).reason()
                    : "another run holds '" + t.name() + "'")
                    : busy.contains(group) ? (holds.containsKey(group) ? holds.get(group).reason()
                    : "another run holds a member of its group '" + group + "'")
                    : null;
            if (held != null) {
                if (plan.onBusy() == RunPlan.OnBusy.REFUSE) {
                    // It may have looked free when requested; another run took it since.
                    finishEnding(d, t.name(), null, held
                            + " and the request asked to be refused rather than wait (onBusy: REFUSE)", false, at);
                    moved = true;
                } else if (!t.waiting()) {
                    d.emit(new TargetWaiting(t.name(), held, SYSTEM, at));
                    moved = true;
                }
                continue;
            }
            d.emit(new TargetStarted(t.name(), SYSTEM, at));
            groupsRunning.add(plan.groupOf(t.name()));
            moved = true;
        }
        return moved;
    }

    private static void finishRun(Decision d, Instant at) {
        List<TargetState> targets = d.state.targets();
        if (!targets.stream().allMatch(t -> t.status().finished())) {
            return;
        }
        long failed = targets.stream().filter(t -> t.status() == WorkStatus.FAILED).count();
        if (d.state.cancelRequested()) {
            d.emit(new RunCancelled("cancelled by request" + (failed > 0 ? "; " + failed + " of " + targets.size()
                    + " targets had failed" : ""), SYSTEM, at));
        } else if (failed > 0) {
            d.emit(new RunFailed(failed + " of " + targets.size() + " targets failed", SYSTEM, at));
        } else {
            d.emit(new RunSucceeded(SYSTEM, at));
        }
    }

    // ---- evolve ----

    public static RunState evolve(RunState state, RunEvent event) {
        RunState next = event.accept(new Evolution(state));
        if (next.status() == RunStatus.RUNNING || next.status() == RunStatus.WAITING_APPROVAL) {
            boolean waiting = false;
            for (TargetState target : next.targets()) {
                if (target.waitingApproval()) {
                    waiting = true;
                    break;
                }
            }
            RunStatus status = waiting ? RunStatus.WAITING_APPROVAL : RunStatus.RUNNING;
            if (status != next.status() || next.finishedAt() != null) {
                next = next.withStatus(status, null);
            }
        }
        return next.nextVersion();
    }

    /** What each kind of event does to the state before it. */
    private static final class Evolution implements RunEvent.Visitor<RunState> {
        private final RunState state;

        Evolution(RunState state) {
            this.state = state;
        }

        @Override
        public RunState runRequested(RunRequested e) {
            return new RunState(e.runId(), RunStatus.PENDING, e.plan(), e.params(), e.ticket(), e.actor(), e.at(),
                    null, e.plan().targets().stream().map(t -> TargetState.pending(t, e.plan())).toList(), null, 0,
                    null);
        }

        @Override
        public RunState retryRequested(RunEvent.RetryRequested e) {
            return state.goingOnFrom(e.retryOf());
        }

        @Override
        public RunState stepCarriedOver(RunEvent.StepCarriedOver e) {
            return state.withTarget(e.target(), t -> t.withStep(e.step(),
                    s -> s.finished(e.status(), e.exitCode(), e.at()).withOutputs(e.outputs())));
        }

        @Override
        public RunState stepSkippedByPerson(RunEvent.StepSkippedByPerson e) {
            return state.withTarget(e.target(),
                    t -> t.withStep(e.step(), s -> s.finished(WorkStatus.SKIPPED, null, e.at())));
        }

        @Override
        public RunState runStarted(RunStarted event) {
            return state.withStatus(RunStatus.RUNNING, null);
        }

        @Override
        public RunState targetStarted(TargetStarted e) {
            return state.withTarget(e.target(), t -> t.withStatus(WorkStatus.RUNNING));
        }

        @Override
        public RunState targetWaiting(TargetWaiting e) {
            return state.withTarget(e.target(), TargetState::markedWaiting);
        }

        @Override
        public RunState stepStarted(StepStarted e) {
            return state.withTarget(e.target(), t -> t.withStep(e.step(), s -> s.started(e.attempt(), e.at())));
        }

        @Override
        public RunState stepOutcomeUnknown(StepOutcomeUnknown e) {
            return state.withTarget(e.target(), t -> t.withStep(e.step(), StepState::markedOutcomeUnknown));
        }

        @Override
        public RunState stepOutcomeFound(StepOutcomeFound e) {
            return state; // what the probe found is told by the events that follow it
        }

        @Override
        public RunState stepBegan(StepBegan e) {
            return state.withTarget(e.target(), t -> t.withStep(e.step(), s -> s.began(e.at())));
        }

        @Override
        public RunState stepSucceeded(StepSucceeded e) {
            return state.withTarget(e.target(), t -> t.withStep(e.step(),
                    s -> s.finished(WorkStatus.SUCCEEDED, e.exitCode(), e.at()).withOutputs(e.outputs())));
        }

        @Override
        public RunState stepSkipped(StepSkipped e) {
            return state.withTarget(e.target(),
                    t -> t.withStep(e.step(), s -> s.finished(WorkStatus.SKIPPED, null, e.at())));
        }

        @Override
        public RunState stepFailed(StepFailed e) {
            return state.withTarget(e.target(),
                    t -> t.withStep(e.step(), s -> s.finished(WorkStatus.FAILED, e.exitCode(), e.at())));
        }

        @Override
        public RunState stepTimedOut(StepTimedOut e) {
            return state.withTarget(e.target(),
                    t -> t.withStep(e.step(), s -> s.finished(WorkStatus.FAILED, null, e.at())));
        }

        @Override
        public RunState stepInterrupted(StepInterrupted e) {
            // Events from before runsAgain was recorded: the step's idempotence decided then.
            boolean again = e.runsAgain() != null ? e.runsAgain() : state.plan().step(e.step()).idempotent();
            return state.withTarget(e.target(), t -> t.withStep(e.step(),
                    s -> again ? s.rerunAfterLoss(e.at()) : s.finished(WorkStatus.FAILED, null, e.at())));
        }

        @Override
        public RunState stepRetryScheduled(StepRetryScheduled e) {
            return state.withTarget(e.target(), t -> t.withStep(e.step(), s -> s.pendingUntil(e.dueAt())));
        }

        @Override
        public RunState approvalRequested(ApprovalRequested e) {
            return state.withTarget(e.target(), t -> t.withStep(e.step(), s -> s.waitingApproval(e.dueAt())));
        }

        @Override
        public RunState approvalGranted(ApprovalGranted e) {
            return state.withTarget(e.target(), t -> t.withStep(e.step(), StepState::approve));
        }

        @Override
        public RunState approvalRejected(ApprovalRejected e) {
            return state.withTarget(e.target(),
                    t -> t.withStep(e.step(), s -> s.finished(WorkStatus.FAILED, null, e.at())));
        }

        @Override
        public RunState approvalTimedOut(ApprovalTimedOut e) {
            return state.withTarget(e.target(),
                    t -> t.withStep(e.step(), s -> s.finished(WorkStatus.FAILED, null, e.at())));
        }

        @Override
        public RunState compensationStarted(CompensationStarted e) {
            return state.withTarget(e.target(), t -> t.withCompensation(
                    new Compensation(e.failedStep(), e.reason(), e.cancelled(), e.steps(), 0)));
        }

        @Override
        public RunState stepCompensated(StepCompensated e) {
            return state.withTarget(e.target(), t -> t.withCompensation(t.compensation().next())
                    .withStep(e.step(), s -> s.finished(WorkStatus.COMPENSATED, s.exitCode(), s.finishedAt())));
        }

        @Override
        public RunState compensationFailed(CompensationFailed e) {
            return state.withTarget(e.target(), t -> t.withCompensation(t.compensation().next()));
        }

        @Override
        public RunState cancelRequested(CancelRequested e) {
            // A step waiting for approval will not start now: it is cancelled with the run.
            RunState next = state.cancelled(e.mode());
            for (TargetState target : state.targets()) {
                next = next.withTarget(target.name(), t -> t.withSteps(s -> s.status() == WorkStatus.WAITING_APPROVAL
                        ? s.finished(WorkStatus.CANCELLED, null, e.at()) : s));
            }
            return next;
        }

        @Override
        public RunState targetVerdictRecorded(TargetVerdictRecorded e) {
            return state.withTarget(e.target(), t -> t.withVerdict(e.verdict()));
        }

        @Override
        public RunState targetReleased(TargetReleased e) {
            return state.withTarget(e.target(), t -> t.released("released by '" + e.actor() + "': " + e.reason()));
        }

        @Override
        public RunState targetSucceeded(TargetSucceeded e) {
            // Steps that only undo others never ran: say so rather than leave them pending.
            return state.withTarget(e.target(), t -> t.withStatus(WorkStatus.SUCCEEDED).withSteps(
                    s -> s.status() == WorkStatus.PENDING ? s.finished(WorkStatus.SKIPPED, null, null) : s));
        }

        @Override
        public RunState targetFailed(TargetFailed e) {
            return state.withTarget(e.target(), t -> t.withStatus(WorkStatus.FAILED));
        }

        @Override
        public RunState targetCancelled(TargetCancelled e) {
            return state.withTarget(e.target(), t -> t.withStatus(WorkStatus.CANCELLED));
        }

        @Override
        public RunState targetSkipped(TargetSkipped e) {
            return state.withTarget(e.target(), t -> skipAll(t));
        }

        @Override
        public RunState runSucceeded(RunSucceeded e) {
            return state.withStatus(RunStatus.SUCCEEDED, e.at());
        }

        @Override
        public RunState runFailed(RunFailed e) {
            return state.withStatus(RunStatus.FAILED, e.at());
        }

        @Override
        public RunState runCancelled(RunCancelled e) {
            return state.withStatus(RunStatus.CANCELLED, e.at());
        }
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
