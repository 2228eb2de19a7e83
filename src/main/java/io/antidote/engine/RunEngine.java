package io.antidote.engine;

import io.antidote.playbook.Playbook;
import io.antidote.playbook.ScriptRenderer;
import io.antidote.playbook.Step;
import io.antidote.store.EventStore;
import io.antidote.store.StoredEvent;
import io.antidote.winrm.Inventory;
import io.antidote.winrm.RemoteShell;
import io.antidote.winrm.ScriptResult;
import io.antidote.winrm.Target;
import io.antidote.winrm.TransportException;
import io.antidote.workflow.CommandRejected;
import io.antidote.workflow.RunCommand;
import io.antidote.workflow.RunCommand.Advance;
import io.antidote.workflow.RunCommand.RecordOutcome;
import io.antidote.workflow.RunDecider;
import io.antidote.workflow.RunEvent;
import io.antidote.workflow.RunEvent.StepStarted;
import io.antidote.workflow.RunState;
import io.antidote.workflow.StepOutcome;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The imperative shell around {@link RunDecider}: loads a run's events, asks the decider what follows a
 * command, appends the answer with the expected version, and carries out what the new events ask for
 * (a {@link StepStarted} means: run that script on that target). On start it resumes every run that was
 * in flight when the process stopped.
 *
 * <p>Threads: store calls run on Vert.x contexts; WinRM runs on the managed worker pool and its outcome
 * comes back through a new Vert.x context. Nothing here blocks an event loop.
 */
@ApplicationScoped
public class RunEngine {

    private static final Logger LOG = Logger.getLogger(RunEngine.class);

    private final EventStore store;
    private final RunCommands commands;
    private final EventCodec codec;
    private final PlaybookVersions playbooks;
    private final Inventory targets;
    private final RemoteShell shell;
    private final StepWorkers workers;
    private final Vertx vertx;
    private final RunSecrets secrets;
    private final Clock clock;

    RunEngine(EventStore store, EventCodec codec, PlaybookVersions playbooks, Inventory targets,
              RemoteShell shell, StepWorkers workers, Vertx vertx, RunSecrets secrets, Clock clock,
              RunCommands commands) {
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
        return decideAndAppend(command.runId(), state -> command)
                .map(Decided::state);
    }

    /** The run as its events tell it now. */
    public Uni<RunState> load(UUID runId) {
        return store.load(runId).map(stored -> RunDecider.fold(codec.decodeAll(stored)));
    }

    /** Moves the run on in the background, on its own Vert.x context. */
    public void advanceLater(UUID runId) {
        VertxContexts.onNewContext(vertx, () -> advance(runId))
                .subscribe().with(ignored -> { }, e -> LOG.errorf("Run %s could not advance: %s", runId, e.getMessage()));
    }

    Uni<Void> advance(UUID runId) {
        return decideAndAppend(runId, state -> new Advance(clock.now())).chain(this::carryOut);
    }

    /** Resumes runs that were in flight when the process stopped. */
    void resumeOnStart(@Observes StartupEvent start) {
        VertxContexts.onNewContext(vertx, () -> store.runsWithout(EventCodec.TERMINAL_TYPES))
                .subscribe().with(runs -> runs.forEach(this::resume),
                        e -> LOG.errorf("Runs in flight could not be resumed: %s", e.getMessage()));
    }

    private void resume(UUID runId) {
        LOG.infof("Resuming run %s", runId);
        VertxContexts.onNewContext(vertx, () -> load(runId).chain(state -> {
            List<Uni<Void>> restarts = new ArrayList<>();
            for (var target : state.targets()) {
                target.runningStep().ifPresent(step -> restarts.add(
                        // The outcome of this attempt was never recorded. Every step of the skeleton's
                        // playbooks is written to be safe to run again; per-step idempotence comes with
                        // the workflow engine issue.
                        execute(runId, state, new StepStarted(target.name(), step.id(), step.attempts(),
                                RunEvent.SYSTEM, step.startedAt()))));
            }
            return restarts.isEmpty() ? advance(runId) : Uni.join().all(restarts).andFailFast().replaceWithVoid();
        })).subscribe().with(ignored -> { }, e -> LOG.errorf("Run %s could not be resumed: %s", runId, e.getMessage()));
    }

    private Uni<Decided> decideAndAppend(UUID runId, Function<RunState, RunCommand> commandFor) {
        return commands.decideAndAppend(runId, commandFor).map(d -> new Decided(d.state(), d.events()));
    }

    /** Starts the executions that the new events ask for. */
    private Uni<Void> carryOut(Decided decided) {
        if (RunDecider.isTerminal(decided.state())) {
            secrets.forget(decided.state().runId());
        }
        for (RunEvent e : decided.events()) {
            if (e instanceof StepStarted started) {
                UUID runId = decided.state().runId();
                execute(runId, decided.state(), started)
                        .subscribe().with(ignored -> { },
                                failure -> LOG.errorf("Run %s: step %s on %s could not be recorded: %s", runId,
                                        started.step(), started.target(), failure.getMessage()));
            }
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> execute(UUID runId, RunState state, StepStarted started) {
        return playbooks.of(state.plan()).chain(playbook -> {
            Step step = playbook.step(started.step()).orElseThrow(() -> new IllegalStateException(
                    "playbook " + playbook.name() + "@" + playbook.digest() + " has no step " + started.step()));
            Duration timeout = step.timeout();
            return Uni.createFrom().item(() -> runOn(state, started, playbook, step))
                    .runSubscriptionOn(workers.pool())
                    .ifNoItem().after(timeout).failWith(() -> new TimeoutException())
                    .onFailure().recoverWithItem(failure -> failureOutcome(failure, timeout))
                    .chain(outcome -> VertxContexts.onNewContext(vertx, () -> decideAndAppend(runId,
                            s -> new RecordOutcome(started.target(), started.step(), started.attempt(), outcome,
                                    clock.now()))
                            .onFailure(CommandRejected.class).recoverWithItem(rejected -> {
                                // Another engine recorded this attempt first; its outcome stands.
                                LOG.warnf("Run %s: outcome of %s on %s not recorded: %s", runId, started.step(),
                                        started.target(), rejected.getMessage());
                                return new Decided(RunState.NONE, List.of());
                            })
                            .chain(this::carryOut)));
        });
    }

    private StepOutcome runOn(RunState state, StepStarted started, Playbook playbook, Step step) {
        Target target = targets.find(started.target()).orElseThrow(() -> new TransportException(
                "target '" + started.target() + "' is no longer in the inventory", null));
        Map<String, Object> params = secrets.restore(state.runId(), playbook.params(), state.params());
        String script = ScriptRenderer.render(step, params, playbook.params());
        ScriptResult result = shell.runPowerShell(target, script);
        List<String> unmet = step.expect().check(result.exitCode(), result.stdout());
        return new StepOutcome.Completed(result.exitCode(), result.stdout(), result.stderr(), unmet);
    }

    private static StepOutcome failureOutcome(Throwable failure, Duration timeout) {
        if (failure instanceof TimeoutException) {
            return new StepOutcome.Errored("timed out after " + timeout);
        }
        if (failure instanceof TransportException) {
            return new StepOutcome.Errored(failure.getMessage());
        }
        return new StepOutcome.Errored("could not run: " + failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage()));
    }

    /** What a command decided, and the state after it. */
    record Decided(RunState state, List<RunEvent> events) {
    }
}
