package io.antidote.engine;

import io.antidote.playbook.Playbook;
import io.antidote.playbook.ScriptRenderer;
import io.antidote.playbook.Step;
import io.antidote.playbook.StepOutputs;
import io.antidote.engine.RunCommands.Decided;
import io.antidote.store.EventStore;
import io.antidote.store.Projector;
import io.antidote.store.RunOwners;
import io.antidote.store.RunQueries;
import io.antidote.store.StaleOwnerException;
import io.antidote.store.TargetLeases;
import io.antidote.winrm.AttemptStart;
import io.antidote.winrm.Inventory;
import io.antidote.winrm.RemoteShell;
import io.antidote.winrm.ScriptResult;
import io.antidote.winrm.Target;
import io.antidote.winrm.TransportException;
import io.antidote.winrm.TransportFailure;
import io.antidote.workflow.CommandRejected;
import io.antidote.workflow.RunCommand;
import io.antidote.workflow.RunCommand.Advance;
import io.antidote.workflow.RunCommand.RecordOutcome;
import io.antidote.workflow.RunDecider;
import io.antidote.workflow.RunEvent;
import io.antidote.workflow.RunEventTypes;
import io.antidote.workflow.RunEvent.StepStarted;
import io.antidote.workflow.RunState;
import io.antidote.workflow.FailureKind;
import io.antidote.workflow.RunCommand.CancelMode;
import io.antidote.workflow.RunCommand.Recover;
import io.antidote.workflow.RunCommand.ResolveOutcome;
import io.antidote.workflow.HostMarker;
import io.antidote.workflow.StepOutcome;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The imperative shell around {@link RunDecider}: loads a run's events, asks the decider what follows a
 * command, appends the answer with the expected version, and carries out what the new events ask for
 * (a {@link StepStarted} means: run that script on that target).
 *
 * <p>Ownership: this process (a replica) carries only the runs it owns ({@link RunOwners}): those it was
 * asked to start, and those it adopted from a replica that died ({@link RunOwnership}), its own previous
 * process included. An adopted run is recovered as after a restart. A run owned by a live replica is never
 * advanced, recovered or woken here; if another replica adopted one of ours, the store refuses our appends
 * ({@link StaleOwnerException}) and the run is let go here.
 *
 * <p>Timers: after every append the engine sets one Vert.x timer per run at {@link RunState#nextDueAt()}
 * (a retry falling due, an approval or attempt deadline), on the replica that owns the run; a replica that
 * adopts a run recomputes them from the events, so a retry scheduled before a restart or a replica's death
 * happens after it, on time.
 *
 * <p>Threads: store calls run on Vert.x contexts; WinRM runs on the managed worker pool and its outcome
 * comes back through a new Vert.x context. Nothing here blocks an event loop.
 */
@ApplicationScoped
public class RunEngine {

    private static final Logger LOG = Logger.getLogger(RunEngine.class);

    /** A marker probe is one small read: it gets this long per try (less when the probing time left is shorter). */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);
    /** A host that cannot be probed yet (down, frozen), or whose script still runs, is asked again after these. */
    static final Duration PROBE_FIRST_PAUSE = Duration.ofSeconds(1);
    static final Duration PROBE_MAX_PAUSE = Duration.ofSeconds(15);

    private final EventStore store;
    private final RunQueries queries;
    private final TargetLeases leases;
    private final RunCommands commands;
    private final EventCodec codec;
    private final PlaybookVersions playbooks;
    private final Inventory targets;
    private final RemoteShell shell;
    private final StepWorkers workers;
    /** Field-injected so that the constructor, already long, stays as it is. */
    @Inject
    RunTraces traces;
    private final Vertx vertx;
    private final RunSecrets secrets;
    private final Clock clock;
    private final RunWriters writers;
    private final RunOwners owners;
    private final RunOwnership ownership;
    private final boolean enabled;
    private final Duration drainTime;
    /** How many times one step may run again because its outcome was lost (antidote.engine.max-crash-reruns). */
    private final int maxCrashReruns;
    /** How long a marker that cannot be read, or says its script still runs, is probed again (antidote.engine.probe-for). */
    private final Duration probeFor;
    /** Set once the stop's drain begins: from then on this replica takes no new step, and says so (DrainCheck). */
    private volatile boolean draining;
    /** Attempts recorded as started here whose outcome is not stored yet: what a stop waits for. */
    private final AtomicInteger stepsInFlight = new AtomicInteger();
    /** Per run: the Vert.x timer that advances it at its next due time. */
    private final Map<UUID, Long> timers = new ConcurrentHashMap<>();
    /** Per run: attempts that began and wait to be recorded as begun by the run's writer. */
    private final Map<UUID, List<RunCommand.NoteBegun.Began>> beginnings = new ConcurrentHashMap<>();
    /** Per run: completing one of these interrupts an attempt in flight (cancel with INTERRUPT). */
    private final Map<UUID, Set<CompletableFuture<StepOutcome>>> interrupts = new ConcurrentHashMap<>();

    RunEngine(EventStore store, RunQueries queries, TargetLeases leases, EventCodec codec, PlaybookVersions playbooks,
              Inventory targets,
              RemoteShell shell, StepWorkers workers, Vertx vertx, RunSecrets secrets, Clock clock,
              RunCommands commands, RunWriters writers, RunOwners owners, RunOwnership ownership, EngineConfig config) {
        this.probeFor = config.probeFor();
        this.maxCrashReruns = config.maxCrashReruns();
        this.drainTime = config.drainTime();
        this.owners = owners;
        this.ownership = ownership;
        this.enabled = config.enabled();
        this.queries = queries;
        this.leases = leases;
        this.writers = writers;
        this.commands = commands;
        this.secrets = secrets;
        this.store = store;
        this.codec = codec;
        this.playbooks = playbooks;
        this.targets = targets;
        this.shell = shell;
        this.workers = workers;
        this.vertx = vertx;
        this.clock = clock;
    }

    /** Records a new run. It goes on by itself once this completes: see {@link #advanceLater(UUID)}. */
    public Uni<RunState> request(RunCommand.RequestRun command) {
        return request(command, Projector.NONE);
    }

    /**
     * Records a new run with {@code alongside} written in the same transaction as its first events (its
     * idempotency key): both are stored or neither. This replica claims the run in that transaction too.
     */
    public Uni<RunState> request(RunCommand.RequestRun command, Projector alongside) {
        return open(command.runId(), command, alongside);
    }

    /** Records a retry of an ended run as a new run, claimed by this replica as a request is. */
    public Uni<RunState> retry(RunCommand.RetryRun command) {
        return open(command.runId(), command, Projector.NONE);
    }

    private Uni<RunState> open(UUID runId, RunCommand command, Projector alongside) {
        owners.willOwn(runId);
        return writers.write(runId, RunWriters.Kind.PERSON,
                        () -> commands.decideAndAppend(runId, state -> command, alongside))
                .onFailure().invoke(failure -> owners.abandon(runId))
                .map(Decided::state);
    }

    /** The run as its events tell it now. */
    public Uni<RunState> load(UUID runId) {
        return store.load(runId).map(stored -> RunDecider.fold(codec.decodeAll(stored)));
    }

    /** Moves the run on in the background, on its own Vert.x context. */
    public void advanceLater(UUID runId) {
        VertxContexts.onNewContext(vertx, () -> advance(runId))
                .subscribe().with(ignored -> { }, e -> {
                    try (RunMdc mdc = RunMdc.of(runId, null, null, null)) {
                        LOG.errorf("Run %s could not advance: %s", runId, e.getMessage());
                    }
                });
    }

    Uni<Void> advance(UUID runId) {
        if (!owners.holds(runId)) {
            return Uni.createFrom().voidItem(); // its owner, alive, moves it on
        }
        return writers.write(runId, RunWriters.Kind.ADVANCE, () -> leases.busyFor(runId)
                .chain(busy -> decideAndAppend(runId, state -> new Advance(clock.now(), busy.names(), busy.holds())))
                .chain(this::carryOut));
    }

    /**
     * Applies a person's command (approval, cancel) and carries out what follows. Fails with
     * {@link CommandRejected} when the run's state does not allow it.
     */
    public Uni<RunState> command(UUID runId, RunCommand command) {
        return command(runId, command, Projector.NONE);
    }

    /**
     * As {@link #command(UUID, RunCommand)}, with {@code alongside} written in the append's transaction: a
     * command another replica received is marked applied with the events it decided ({@link PersonCommands}).
     */
    Uni<RunState> command(UUID runId, RunCommand command, Projector alongside) {
        return writers.write(runId, RunWriters.Kind.PERSON, () -> decideAndAppend(runId, state -> command, alongside)
                        .call(this::carryOut))
                .map(Decided::state);
    }

    /** Whether this replica is stopping: it takes no new step and lets its runs go once the drain ends. */
    public boolean draining() {
        return draining;
    }

    /** Steps started here whose outcome is not stored yet. */
    public int stepsInFlight() {
        return stepsInFlight.get();
    }

    /** Which of these targets a run holds now. */
    public Uni<Set<String>> busyTargets(Collection<String> targets) {
        return leases.held(targets);
    }

    /**
     * Starts this replica's heartbeat: from now on it adopts the runs of dead replicas (at start, those of
     * the process before it, once that one's expiry has passed) and resumes them.
     */
    void startOnStart(@Observes StartupEvent start) {
        if (!enabled) {
            LOG.info("The engine is off (antidote.engine.enabled=false): this process carries no runs");
            return;
        }
        ownership.start(this::resume, this::wakeWaitingOwned);
    }

    /**
     * SIGTERM (or any stop): no step starts from now on; the steps in flight get up to the drain time to
     * finish and have their outcomes stored; then this replica lets its runs go, for a live replica to adopt
     * at once. A step still running at the deadline is left to the adopter, which recovers it as after a
     * crash; nothing this process still learns about it is recorded (it holds no token any more). Observed
     * before anything else stops (the lab's hosts, the WinRM sessions, the workers).
     */
    void drainOnStop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent stop) {
        if (!enabled) {
            return;
        }
        draining = true;
        commands.hold();
        ownership.stopAdopting();
        long deadline = System.nanoTime() + drainTime.toNanos();
        LOG.infof("Stopping: no new step starts; waiting up to %s for %d step(s) in flight", drainTime,
                stepsInFlight.get());
        while ((stepsInFlight.get() > 0 || writers.waitingOutcomes() > 0) && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(50); // the stopping thread, never an event loop: it has nothing else to do
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = stepsInFlight.get();
        if (left == 0) {
            LOG.info("Stopping: every step in flight finished and its outcome is stored");
        } else {
            LOG.warnf("Stopping: %d step(s) still in flight after %s, left for the replica that adopts their runs",
                    left, drainTime);
        }
        ownership.stop();
        try {
            VertxContexts.onNewContext(vertx, ownership::resign).await().atMost(Duration.ofSeconds(5));
            LOG.infof("Stopping: %s let its runs go", owners.replicaId());
        } catch (RuntimeException e) {
            LOG.warnf("Stopping: the runs could not be let go (adopted after the expiry instead): %s", e.getMessage());
        }
    }

    private void resume(UUID runId) {
        try (RunMdc mdc = RunMdc.of(runId, null, null, null)) {
            LOG.infof("Resuming run %s", runId);
        }
        // Attempts shown as running lost their outcome with the process: the decider runs read-only ones again
        // and has the markers of the others probed (Recover), then the run goes on and its timers are set again.
        writers.write(runId, RunWriters.Kind.RECOVERY, () -> leases.busyFor(runId)
                        .chain(busy -> decideAndAppend(runId, state -> new Recover(clock.now(), busy.names(),
                                maxCrashReruns, busy.holds())))
                        .chain(this::carryOut))
                .subscribe().with(ignored -> { }, e -> {
                    try (RunMdc mdc = RunMdc.of(runId, null, null, null)) {
                        LOG.errorf("Run %s could not be resumed: %s", runId, e.getMessage());
                    }
                });
    }

    /**
     * Runs of this replica recorded waiting for a target that is free now. A run of another replica that let
     * the target go cannot wake ours directly (it wakes only its own replica's runs): this look, at every
     * heartbeat, does it.
     */
    private void wakeWaitingOwned() {
        if (owners.runs().isEmpty()) {
            return;
        }
        VertxContexts.onNewContext(vertx, () -> queries.runsWaitingForFreeTargets(owners.runs()))
                .subscribe().with(runs -> runs.forEach(this::advanceLater),
                        e -> LOG.warnf("Waiting runs could not be looked up: %s", e.getMessage()));
    }

    /** Another replica owns the run now: its timer, interrupts and memory here go. */
    private void letGo(UUID runId) {
        LOG.warnf("Run %s is carried by another replica now; this one lets it go", runId);
        owners.lost(runId);
        commands.forget(runId);
        Long timer = timers.remove(runId);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }

    private Uni<Decided> decideAndAppend(UUID runId, Function<RunState, RunCommand> commandFor) {
        return decideAndAppend(runId, commandFor, Projector.NONE);
    }

    private Uni<Decided> decideAndAppend(UUID runId, Function<RunState, RunCommand> commandFor, Projector alongside) {
        return commands.decideAndAppend(runId, commandFor, alongside)
                .onFailure(StaleOwnerException.class).invoke(stale -> {
                    if (owners.holds(runId)) {
                        letGo(runId);
                    }
                });
    }

    /** Starts the executions that the new events ask for, sets the run's timer, wakes runs that wait. */
    private Uni<Void> carryOut(Decided decided) {
        RunState state = decided.state();
        if (!state.exists()) {
            return Uni.createFrom().voidItem();
        }
        UUID runId = state.runId();
        if (RunDecider.isTerminal(state)) {
            secrets.forget(runId);
            interrupts.remove(runId);
            endOwnership(runId);
        }
        setTimer(state);
        Effects effects = new Effects(runId, state);
        decided.events().forEach(e -> e.accept(effects));
        Set<String> released = effects.released;
        if (!released.isEmpty()) {
            Set<String> groups = new HashSet<>();
            released.forEach(target -> state.plan().sharedGroupOf(target).ifPresent(groups::add));
            wakeWaiting(runId, released, groups);
        }
        return Uni.createFrom().voidItem();
    }

    /**
     * What each kind of event, once committed, asks this engine to do. Every kind is named, those that ask
     * nothing too, so that a new event is a compile error here until someone decides whether it starts work.
     */
    private final class Effects implements RunEvent.Visitor<Void> {
        private final UUID runId;
        private final RunState state;
        /** Targets the run let go of: runs waiting for them, or for their groups, are woken. */
        private final Set<String> released = new HashSet<>();

        Effects(UUID runId, RunState state) {
            this.runId = runId;
            this.state = state;
        }

        private Void nothing() {
            return null;
        }

        private Void released(RunEvent.EndsTarget ended) {
            released.add(ended.target());
            return null;
        }

        @Override
        public Void stepStarted(StepStarted started) {
            stepsInFlight.incrementAndGet();
            execute(runId, state, started)
                    .onTermination().invoke(stepsInFlight::decrementAndGet)
                    .subscribe().with(ignored -> { }, failure -> {
                        try (RunMdc ignored = RunMdc.of(runId, started.target(), started.step(), started.actor())) {
                            LOG.errorf("Run %s: step %s on %s could not be recorded: %s", runId, started.step(),
                                    started.target(), failure.getMessage());
                        }
                    });
            return null;
        }

        @Override
        public Void stepOutcomeUnknown(RunEvent.StepOutcomeUnknown unknown) {
            stepsInFlight.incrementAndGet();
            probe(runId, state, unknown)
                    .onTermination().invoke(stepsInFlight::decrementAndGet)
                    .subscribe().with(ignored -> { }, failure -> {
                        try (RunMdc ignored = RunMdc.of(runId, unknown.target(), unknown.step(), unknown.actor())) {
                            LOG.errorf("Run %s: the marker of %s on %s could not be resolved: %s", runId,
                                    unknown.step(), unknown.target(), failure.getMessage());
                        }
                    });
            return null;
        }

        @Override
        public Void cancelRequested(RunEvent.CancelRequested cancel) {
            if (cancel.mode() == CancelMode.INTERRUPT) {
                interrupt(runId);
            }
            return null;
        }

        @Override
        public Void targetWaiting(RunEvent.TargetWaiting waiting) {
            advanceIfLetGo(runId, waiting.target(), state.plan().sharedGroupOf(waiting.target()).orElse(null));
            return null;
        }

        @Override
        public Void targetCancelled(RunEvent.TargetCancelled e) {
            return released(e);
        }

        @Override
        public Void targetSucceeded(RunEvent.TargetSucceeded e) {
            return released(e);
        }

        @Override
        public Void targetFailed(RunEvent.TargetFailed e) {
            return released(e);
        }

        @Override
        public Void targetSkipped(RunEvent.TargetSkipped e) {
            return released(e);
        }

        @Override
        public Void runRequested(RunEvent.RunRequested e) {
            return nothing();
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
        public Void stepBegan(RunEvent.StepBegan e) {
            return nothing();
        }

        /** A step of a target that ended: a release, whose end of the maintenance may have let the group go. */
        @Override
        public Void stepSucceeded(RunEvent.StepSucceeded e) {
            if (state.target(e.target()).map(t -> t.status().finished()).orElse(false)) {
                released.add(e.target());
            }
            return nothing();
        }

        @Override
        public Void stepSkipped(RunEvent.StepSkipped e) {
            return nothing();
        }

        @Override
        public Void stepFailed(RunEvent.StepFailed e) {
            return nothing();
        }

        @Override
        public Void stepTimedOut(RunEvent.StepTimedOut e) {
            return nothing();
        }

        @Override
        public Void stepInterrupted(RunEvent.StepInterrupted e) {
            return nothing();
        }

        @Override
        public Void stepOutcomeFound(RunEvent.StepOutcomeFound e) {
            return nothing();
        }

        @Override
        public Void stepRetryScheduled(RunEvent.StepRetryScheduled e) {
            // Its due time is the run's timer, set from the state after every append.
            return nothing();
        }

        @Override
        public Void approvalRequested(RunEvent.ApprovalRequested e) {
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
        public Void targetVerdictRecorded(RunEvent.TargetVerdictRecorded e) {
            return nothing();
        }

        @Override
        public Void targetReleased(RunEvent.TargetReleased e) {
            return nothing();
        }

        @Override
        public Void runCancelled(RunEvent.RunCancelled e) {
            return nothing();
        }

        @Override
        public Void runSucceeded(RunEvent.RunSucceeded e) {
            return nothing();
        }

        @Override
        public Void runFailed(RunEvent.RunFailed e) {
            return nothing();
        }

        @Override
        public Void retryRequested(RunEvent.RetryRequested e) {
            return nothing();
        }

        @Override
        public Void stepCarriedOver(RunEvent.StepCarriedOver e) {
            return nothing();
        }

        @Override
        public Void stepSkippedByPerson(RunEvent.StepSkippedByPerson e) {
            return nothing();
        }
    }

    /** The run ended: nobody needs to own it any more. Left behind, its row would only be adopted in vain. */
    private void endOwnership(UUID runId) {
        Uni<Void> delete = owners.ended(runId); // once: it lets go of the token here and now
        VertxContexts.onNewContext(vertx, () -> delete)
                .onFailure().retry().withBackOff(RunWriters.FIRST_PAUSE, RunWriters.MAX_PAUSE).atMost(10)
                .subscribe().with(ignored -> { }, e -> LOG.warnf("Run %s: its owner row could not be deleted: %s",
                        runId, e.getMessage()));
    }

    private void setTimer(RunState state) {
        UUID runId = state.runId();
        Long previous = timers.remove(runId);
        if (previous != null) {
            vertx.cancelTimer(previous);
        }
        state.nextDueAt().ifPresent(due -> {
            long delay = Math.max(1, Duration.between(clock.now(), due).toMillis() + 1);
            timers.put(runId, vertx.setTimer(delay, id -> {
                timers.remove(runId, id);
                advanceLater(runId);
            }));
        });
    }

    /**
     * Targets, and the groups held through them, were let go: the runs recorded waiting for them, or for another
     * member of those groups, get a chance to start them. Only those: waking every unfinished run on every release
     * made each release cost a command per run in flight.
     */
    private void wakeWaiting(UUID released, Set<String> targets, Set<String> groups) {
        VertxContexts.onNewContext(vertx, () -> queries.runsWaitingFor(targets, groups))
                // Lost, the wake-up would leave those runs waiting for good: tried until the database answers.
                .onFailure().retry().withBackOff(RunWriters.FIRST_PAUSE, RunWriters.MAX_PAUSE).indefinitely()
                // Only this replica's: the others' owners find them waiting at their next heartbeat.
                .subscribe().with(runs -> runs.stream().filter(r -> !r.equals(released)).filter(owners::holds)
                                .forEach(this::advanceLater),
                        e -> LOG.errorf("Waiting runs could not be woken: %s", e.getMessage()));
    }

    /**
     * The run has just recorded waiting for the target (or its group). If the holder let it go before that was
     * committed, the holder's wake-up did not see this run waiting: look again now, after the commit, and go on
     * at once.
     */
    private void advanceIfLetGo(UUID runId, String target, String group) {
        VertxContexts.onNewContext(vertx, () -> leases.free(runId, target, group))
                .onFailure().retry().withBackOff(RunWriters.FIRST_PAUSE, RunWriters.MAX_PAUSE).indefinitely()
                .subscribe().with(free -> {
                    if (free) {
                        advanceLater(runId);
                    }
                }, e -> LOG.errorf("Run %s: holder of %s could not be read: %s", runId, target, e.getMessage()));
    }

    private void interrupt(UUID runId) {
        Set<CompletableFuture<StepOutcome>> inFlight = interrupts.getOrDefault(runId, Set.of());
        // The WinRM call's worker thread may go on until the call returns; its outcome is then refused.
        inFlight.forEach(f -> f.complete(new StepOutcome.Errored(FailureKind.CANCELLED,
                "interrupted by the cancel of the run")));
    }

    /**
     * Reads the marker of an attempt whose outcome is unknown, on a step worker (a read-only WinRM command), and
     * hands what it says to the decider ({@link ResolveOutcome}). A host that cannot be read yet (down, frozen,
     * answering errors) is asked again with growing pauses, and so is a marker that says its script began and has
     * not finished: it may still be running (a reply lost, not the script). Both for at most
     * {@code antidote.engine.probe-for}; what the last try found then stands, naming the host and what kept it
     * from being read, and the decider fails the target unless running the step again does no harm.
     */
    private Uni<Void> probe(UUID runId, RunState state, RunEvent.StepOutcomeUnknown unknown) {
        return playbooks.of(state.plan()).chain(playbook -> {
            Step step = playbook.step(unknown.step()).orElseThrow(() -> new IllegalStateException(
                    "playbook " + playbook.name() + "@" + playbook.digest() + " has no step " + unknown.step()));
            StepMarker marker = StepMarker.of(runId, unknown.step(), unknown.attempt());
            return probeUntilSettled(unknown.target(), marker, step, System.nanoTime() + probeFor.toNanos(),
                    PROBE_FIRST_PAUSE)
                    .chain(finding -> writers.write(runId, RunWriters.Kind.OUTCOME, () -> decideAndAppend(runId,
                                    s -> new ResolveOutcome(unknown.target(), unknown.step(), unknown.attempt(),
                                            finding.marker(), finding.found(), finding.detail(), maxCrashReruns,
                                            clock.now()))
                                    .chain(this::carryOut))
                            .onFailure(CommandRejected.class).recoverWithItem(rejected -> {
                                try (RunMdc ignored = RunMdc.of(runId, unknown.target(), unknown.step(), RunEvent.SYSTEM)) {
                                    LOG.warnf("Run %s: the probe of %s on %s was not recorded: %s", runId,
                                            unknown.step(), unknown.target(), rejected.getMessage());
                                }
                                return null;
                            }));
        });
    }

    /**
     * One probe, then another after {@code pause} (doubling up to {@link #PROBE_MAX_PAUSE}) while the marker is
     * unreadable for want of an answer or says its script is still under way, until {@code giveUpAt}
     * ({@link System#nanoTime()}).
     */
    private Uni<StepMarker.Finding> probeUntilSettled(String target, StepMarker marker, Step step, long giveUpAt,
                                                      Duration pause) {
        long left = giveUpAt - System.nanoTime();
        Duration tryFor = Duration.ofNanos(Math.max(Math.min(left, PROBE_TIMEOUT.toNanos()), 1_000_000_000L));
        return Uni.createFrom().item(() -> readMarker(target, marker, step, tryFor))
                .runSubscriptionOn(workers.pool())
                .onItemOrFailure().transformToUni((finding, failure) -> {
                    boolean unanswered = failure != null;
                    StepMarker.Finding found = unanswered ? new StepMarker.Finding(HostMarker.UNREADABLE, null,
                            "the marker could not be read: " + failure.getMessage()) : finding;
                    if (!unanswered && found.marker() != HostMarker.STARTED) {
                        return Uni.createFrom().item(found);
                    }
                    if (giveUpAt - System.nanoTime() <= 0) {
                        return Uni.createFrom().item(new StepMarker.Finding(found.marker(), null, "on '" + target
                                + "', after " + probeFor.toString().substring(2).toLowerCase(java.util.Locale.ROOT)
                                + " of probes, " + found.detail()));
                    }
                    Duration next = pause.multipliedBy(2).compareTo(PROBE_MAX_PAUSE) > 0 ? PROBE_MAX_PAUSE
                            : pause.multipliedBy(2);
                    return Uni.createFrom().voidItem().onItem().delayIt().by(pause)
                            .chain(() -> probeUntilSettled(target, marker, step, giveUpAt, next));
                });
    }

    /** The probe itself, on a worker thread; throws when the host could not be asked. */
    private StepMarker.Finding readMarker(String targetName, StepMarker marker, Step step, Duration timeout) {
        Target target = targets.find(targetName).orElseThrow(() -> new TransportException(targetName,
                new TransportFailure.NotInInventory()));
        ScriptResult result = shell.runPowerShell(target, marker.probeScript(), timeout);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("the marker probe on '" + targetName + "' ended with exit code "
                    + result.exitCode());
        }
        return StepMarker.read(result.stdout(), step);
    }

    private Uni<Void> execute(UUID runId, RunState state, StepStarted started) {
        return playbooks.of(state.plan()).chain(playbook -> {
            Step step = playbook.step(started.step()).orElseThrow(() -> new IllegalStateException(
                    "playbook " + playbook.name() + "@" + playbook.digest() + " has no step " + started.step()));
            Duration timeout = step.timeout();
            // One future per attempt, completed by whichever comes first: the worker's outcome, our own
            // deadline (WinRM4j has none), or a cancel that interrupts. Later completions are no-ops. Racing
            // Unis instead (combine().any()) cancels the losers, which costs exceptions on every step.
            CompletableFuture<StepOutcome> outcome = new CompletableFuture<>();
            Set<CompletableFuture<StepOutcome>> inFlight = interrupts.computeIfAbsent(runId,
                    id -> ConcurrentHashMap.newKeySet());
            inFlight.add(outcome);
            // A step that changes the server and gets no reply by its deadline may have run on the host, wholly or in
            // part: its marker decides, as for any reply lost after the send. A read-only step simply timed out.
            StepOutcome atDeadline = step.policy().readOnly() ? failureOutcome(new TimeoutException(), timeout)
                    : new StepOutcome.Unknown("no reply within the step's timeout of " + timeout
                    + " after the attempt began: the script may have run");
            AttemptClock attemptClock = new AttemptClock(runId, started, timeout, atDeadline, outcome);
            try {
                workers.pool().execute(() -> {
                    // Cancelled while it waited for a free worker: its outcome is decided and recorded, so this
                    // attempt must not reach the host.
                    if (!outcome.isDone()) {
                        Span span = traces.attempt(runId, started.target(), started.step(), started.attempt());
                        try (RunMdc ignored = RunMdc.of(runId, started.target(), started.step(), started.actor());
                             Scope current = span.makeCurrent()) {
                            StepOutcome attempted = attempt(state, started, playbook, step, timeout, attemptClock);
                            RunTraces.ended(span, attempted);
                            outcome.complete(attempted);
                        }
                    }
                });
            } catch (RejectedExecutionException shuttingDown) {
                outcome.complete(failureOutcome(shuttingDown, timeout));
            }
            return Uni.createFrom().completionStage(outcome)
                    .eventually(() -> {
                        inFlight.remove(outcome);
                        attemptClock.stop();
                    })
                    // Through the run's writer, which keeps the outcome until the store has taken it: only the
                    // decider may turn it down, when the attempt already has an outcome.
                    .chain(recorded -> writers.write(runId, RunWriters.Kind.OUTCOME, () -> decideAndAppend(runId,
                                    s -> new RecordOutcome(started.target(), started.step(), started.attempt(),
                                            recorded, clock.now()))
                                    .chain(this::carryOut))
                            .onFailure(CommandRejected.class).recoverWithItem(rejected -> {
                                // Another engine recorded this attempt first; its outcome stands.
                                try (RunMdc ignored = RunMdc.of(runId, started.target(), started.step(), started.actor())) {
                                    LOG.warnf("Run %s: outcome of %s on %s not recorded: %s", runId, started.step(),
                                            started.target(), rejected.getMessage());
                                }
                                return null;
                            }));
        });
    }

    /**
     * An attempt's own deadline (WinRM4j has none), started when the attempt begins on a worker holding its
     * connection slots, never while it waits for them: the time is the step's only from then. That moment is
     * recorded ({@link RunCommand.NoteBegun}), so that the run's deadline in the events counts from it too.
     */
    private final class AttemptClock implements AttemptStart {
        private final UUID runId;
        private final StepStarted started;
        private final Duration timeout;
        private final StepOutcome atDeadline;
        private final CompletableFuture<StepOutcome> outcome;
        private final AtomicLong timer = new AtomicLong(-1);

        AttemptClock(UUID runId, StepStarted started, Duration timeout, StepOutcome atDeadline,
                     CompletableFuture<StepOutcome> outcome) {
            this.runId = runId;
            this.started = started;
            this.timeout = timeout;
            this.atDeadline = atDeadline;
            this.outcome = outcome;
        }

        @Override
        public boolean begin() {
            if (outcome.isDone()) {
                return false;
            }
            timer.set(vertx.setTimer(Math.max(1, timeout.toMillis()),
                    id -> outcome.complete(atDeadline)));
            if (outcome.isDone()) { // ended meanwhile: its stop() may have missed the timer
                stop();
                return false;
            }
            noteBegun(runId, started, clock.now());
            return true;
        }

        @Override
        public boolean givenUp() {
            return outcome.isDone();
        }

        void stop() {
            long id = timer.getAndSet(-1);
            if (id >= 0) {
                vertx.cancelTimer(id);
            }
        }
    }

    /**
     * Records that the attempt began, through the run's writer: tried until stored, or refused because the
     * attempt already ended (its outcome went first), which is then no loss. Beginnings noted while the first
     * waits for its turn join it: a batch of targets beginning together costs one append, not one each.
     */
    private void noteBegun(UUID runId, StepStarted started, Instant at) {
        boolean[] first = new boolean[1];
        beginnings.compute(runId, (id, noted) -> {
            List<RunCommand.NoteBegun.Began> list = noted;
            if (list == null) {
                first[0] = true;
                list = new ArrayList<>();
            }
            list.add(new RunCommand.NoteBegun.Began(started.target(), started.step(), started.attempt(), at));
            return list;
        });
        if (!first[0]) {
            return;
        }
        List<List<RunCommand.NoteBegun.Began>> taken = new ArrayList<>(1);
        // Carried out like any decision, so that the run's timer moves to the deadline counted from the beginning.
        writers.write(runId, RunWriters.Kind.BEGUN, () -> {
                    if (taken.isEmpty()) { // taken once: a retry after a store failure records the same ones
                        taken.add(beginnings.remove(runId));
                    }
                    return decideAndAppend(runId, s -> new RunCommand.NoteBegun(taken.get(0), clock.now()))
                            .chain(this::carryOut);
                })
                .subscribe().with(ignored -> { }, failure -> {
                    if (!(failure instanceof CommandRejected)) {
                        try (RunMdc ignored = RunMdc.of(runId, started.target(), started.step(), started.actor())) {
                            LOG.warnf("Run %s: the beginning of %s on %s not recorded: %s", runId, started.step(),
                                    started.target(), failure.getMessage());
                        }
                    }
                });
    }

    /** Runs the attempt on this (worker) thread; whatever it throws becomes its outcome. */
    private StepOutcome attempt(RunState state, StepStarted started, Playbook playbook, Step step, Duration timeout,
                                AttemptStart begins) {
        SecretMask mask = SecretMask.of(List.of());
        try {
            Map<String, Object> params = secrets.restore(state.runId(), playbook.params(), state.params());
            mask = SecretMask.of(playbook.params(), params);
            return runOn(state, started, playbook, step, params, mask, begins);
        } catch (Throwable failure) {
            if (failure instanceof TransportException transport && transport.commandStarted()
                    && !step.policy().readOnly()) {
                // The command went out and no answer came back: the script may have run, to its end or not. Not
                // a failure: the step's marker on the host decides (StepOutcomeUnknown, then a probe).
                return new StepOutcome.Unknown(mask.apply(failure.getMessage()));
            }
            // A transport's or a script's failure can quote what it was sent.
            StepOutcome outcome = failureOutcome(failure, timeout);
            return outcome instanceof StepOutcome.Errored errored
                    ? new StepOutcome.Errored(errored.kind(), mask.apply(errored.reason())) : outcome;
        }
    }

    private StepOutcome runOn(RunState state, StepStarted started, Playbook playbook, Step step,
                              Map<String, Object> params, SecretMask mask, AttemptStart begins) {
        Target target = targets.find(started.target()).orElseThrow(() -> new TransportException(started.target(),
                new TransportFailure.NotInInventory()));
        // Earlier outputs come from the recorded events (the folded state), so a run resumed after a restart
        // renders the same values; they are data in the param block, never part of the script text.
        String script = StepScripts.render(state.runId(), playbook, step, started.attempt(), params,
                state.target(started.target()).orElseThrow().outputs());
        // Secrets go as the script's standard input, never in its text. The transport gives up at the same
        // deadline, so a host that never answers frees this worker too.
        String stdin = ScriptRenderer.secretInput(step, params, playbook.params());
        ScriptResult result = shell.runPowerShell(target, script, stdin, step.timeout(), begins);
        // Reasons quote the values they found, which can be what the host echoed.
        List<String> unmet = step.expect().check(result.exitCode(), result.stdout()).stream().map(mask::apply).toList();
        String stdout = mask.apply(result.stdout());
        // Captured from the masked output, and each value masked again once decoded from its JSON: escapes such
        // as \u0070 can spell a secret that no form of it in the text shows. A secret never becomes an output.
        return new StepOutcome.Completed(result.exitCode(), stdout, mask.apply(result.stderr()), unmet,
                unmet.isEmpty() ? masked(StepOutputs.capture(step, stdout), mask) : Map.of());
    }

    private static Map<String, Object> masked(Map<String, Object> outputs, SecretMask mask) {
        Map<String, Object> masked = new LinkedHashMap<>();
        outputs.forEach((name, value) -> masked.put(name, value instanceof String text ? mask.apply(text) : value));
        return masked;
    }

    static StepOutcome failureOutcome(Throwable failure, Duration timeout) {
        if (failure instanceof TimeoutException) {
            return new StepOutcome.Errored(FailureKind.TIMEOUT, "timed out after " + timeout);
        }
        if (failure instanceof TransportException transport) {
            // A kind the transport calls retryable (the host not reached, the connection broken, its circuit open)
            // is one a step's policy may retry; an answer from the host (a refused logon, an HTTP error, a
            // WS-Management fault) never is.
            return new StepOutcome.Errored(transport.failure().retryable() ? FailureKind.CONNECTION : FailureKind.FAULT,
                    failure.getMessage());
        }
        return new StepOutcome.Errored(FailureKind.FAULT, "could not run: " + failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage()));
    }
}
