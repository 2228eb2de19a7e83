package io.antidote.engine;

import io.antidote.store.ChainBrokenException;
import io.antidote.store.CommandDecidedException;
import io.antidote.store.OwnershipConfig;
import io.antidote.store.RunCommandInbox;
import io.antidote.store.RunOwners;
import io.antidote.store.StaleOwnerException;
import io.antidote.store.TargetBusyException;
import io.antidote.workflow.CommandRejected;
import io.antidote.workflow.RunCommand;
import io.antidote.workflow.RunState;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A person's command (approve, reject, cancel, release) takes effect on the replica that carries the run,
 * whichever replica received it. Received by the owner (or for a run nobody carries, such as an ended one), it
 * is decided at once as before. Received by another replica, it is written to the command inbox
 * ({@link RunCommandInbox}) in the request; the owner, woken by the insert's notification (or its next look,
 * every heartbeat interval), decides it through the run's writer and marks it applied in the transaction of
 * the events it decided, or refused with the decider's reason, so that it takes effect once. A replica that
 * adopts a dead owner's runs decides their pending commands as well.
 *
 * <p>The receiving replica waits up to {@code antidote.engine.command-wait} for that decision and answers as
 * the owner would have: the run, or the refusal. Past it, the caller is told the command is accepted and where
 * to see its outcome ({@link Answer.Accepted}).
 */
@ApplicationScoped
public class PersonCommands {

    private static final Logger LOG = Logger.getLogger(PersonCommands.class);
    /** How long the receiving replica waits for a decision's notification before it looks all the same. */
    static final Duration LOOK_AGAIN = Duration.ofSeconds(1);

    private final RunEngine engine;
    private final RunCommandInbox inbox;
    private final RunOwners owners;
    private final Clock clock;
    private final Vertx vertx;
    private final boolean enabled;
    private final Duration wait;
    private final Duration lookEvery;
    /** Commands being decided here now: a second look must not take them up again meanwhile. */
    private final Set<UUID> inHand = ConcurrentHashMap.newKeySet();
    private final DecisionWaits waits = new DecisionWaits();
    private volatile boolean stopped;
    private volatile long timer = -1;

    PersonCommands(RunEngine engine, RunCommandInbox inbox, RunOwners owners, Clock clock, Vertx vertx,
                   EngineConfig config, OwnershipConfig ownership) {
        this.engine = engine;
        this.inbox = inbox;
        this.owners = owners;
        this.clock = clock;
        this.vertx = vertx;
        this.enabled = config.enabled();
        this.wait = config.commandWait();
        this.lookEvery = ownership.heartbeatInterval();
    }

    /** What became of a command by the time the caller is answered. */
    public sealed interface Answer {
        /** Decided and recorded: the run as it is now. */
        record Decided(RunState run) implements Answer {
        }

        /** Written for the run's owner, which has not decided it yet. */
        record Accepted(RunCommandInbox.Status command) implements Answer {
        }
    }

    /** Why the owner refused a command; what the caller would have been told had it decided at once. */
    public enum Refusal {
        NOT_ALLOWED, STATE_CONFLICT, FAILS_VERIFICATION, TARGET_BUSY;

        public String stored() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Optional<Refusal> of(String stored) {
            for (Refusal refusal : values()) {
                if (refusal.stored().equals(stored)) {
                    return Optional.of(refusal);
                }
            }
            return Optional.empty();
        }
    }

    /** The owner refused the command; nothing was recorded in the run. */
    public static class RefusedByOwner extends RuntimeException {
        private final transient Refusal refusal;

        RefusedByOwner(Refusal refusal, String detail) {
            super(detail);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    /**
     * Sends a person's command to the run's owner. Fails as {@link RunEngine#command} does when this replica
     * decides it, and with {@link RefusedByOwner} when the owner refused it.
     */
    public Uni<Answer> send(UUID runId, RunCommand command) {
        if (!QueuedCommands.queueable(command)) {
            throw new IllegalArgumentException(QueuedCommands.kind(command) + " is no person's command");
        }
        if (owners.holds(runId)) {
            return engine.command(runId, command).<Answer>map(Answer.Decided::new)
                    // Adopted by another replica meanwhile: nothing was recorded, so it goes to the new owner.
                    .onFailure(StaleOwnerException.class).recoverWithUni(stale -> viaOwner(runId, command));
        }
        return viaOwner(runId, command);
    }

    /** Where a command written for a run stands. */
    public Uni<Optional<RunCommandInbox.Status>> find(UUID runId, UUID commandId) {
        return inbox.find(runId, commandId);
    }

    private Uni<Answer> viaOwner(UUID runId, RunCommand command) {
        UUID commandId = UUID.randomUUID();
        long deadline = System.nanoTime() + wait.toNanos();
        return inbox.post(new RunCommandInbox.Posted(commandId, runId, QueuedCommands.kind(command),
                        QueuedCommands.encode(command), QueuedCommands.actor(command), owners.replicaId()))
                .chain(posted -> posted ? awaitDecision(runId, commandId, deadline)
                        // Nobody carries the run (it ended): decided here, as on any replica.
                        : engine.command(runId, command).map(Answer.Decided::new));
    }

    private Uni<Answer> awaitDecision(UUID runId, UUID commandId, long deadline) {
        CompletableFuture<Void> wake = waits.expect(commandId);
        return inbox.find(runId, commandId).map(Optional::orElseThrow)
                .onFailure().invoke(failure -> waits.forget(commandId, wake))
                .chain(status -> answerOrWait(status, wake, deadline));
    }

    private Uni<Answer> answerOrWait(RunCommandInbox.Status status, CompletableFuture<Void> wake, long deadline) {
        UUID commandId = status.commandId();
        if (!status.pending()) {
            waits.forget(commandId, wake);
            return "APPLIED".equals(status.status())
                    ? engine.load(status.runId()).map(Answer.Decided::new)
                    : Uni.createFrom().failure(refusedBy(status));
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            waits.forget(commandId, wake);
            return Uni.createFrom().item(new Answer.Accepted(status));
        }
        // Woken by the decision's notification; the look after LOOK_AGAIN covers one lost with no reconnection.
        return Uni.createFrom().completionStage(wake)
                .ifNoItem().after(Duration.ofNanos(Math.min(left, LOOK_AGAIN.toNanos()))).recoverWithItem((Void) null)
                .eventually(() -> waits.forget(commandId, wake))
                .chain(() -> awaitDecision(status.runId(), commandId, deadline));
    }

    /** The owner's refusal as the caller would have had it, had the owner received the command. */
    private static RuntimeException refusedBy(RunCommandInbox.Status status) {
        String detail = status.detail().orElse("refused");
        Refusal refusal = status.refusal().flatMap(Refusal::of).orElse(Refusal.STATE_CONFLICT);
        if (refusal == Refusal.NOT_ALLOWED) {
            return new CommandRejected.NotAllowed(detail);
        }
        if (refusal == Refusal.STATE_CONFLICT) {
            return new CommandRejected(detail);
        }
        return new RefusedByOwner(refusal, detail);
    }

    // --- the owner's side ---

    void startOnStart(@Observes StartupEvent start) {
        if (!enabled) {
            return;
        }
        inbox.listen(runId -> {
            // A command for a run this replica does not carry is its owner's; null: notifications were missed.
            if (runId == null || owners.holds(runId)) {
                look();
            }
        }, waits::decided);
        next();
    }

    void stopOnStop(@Observes ShutdownEvent stop) {
        stopped = true;
        inbox.stopListening();
        long current = timer;
        if (current >= 0) {
            vertx.cancelTimer(current);
        }
    }

    /** Every heartbeat interval: commands whose notification was lost, of runs adopted, of runs ended meanwhile. */
    private void next() {
        if (!stopped) {
            timer = vertx.setTimer(Math.max(1, lookEvery.toMillis()), id -> {
                look();
                next();
            });
        }
    }

    /** Decides the pending commands of the runs this replica carries, and of runs nobody carries any more. */
    void look() {
        if (stopped) {
            return;
        }
        VertxContexts.onNewContext(vertx, () -> inbox.pendingFor(owners.runs()))
                .subscribe().with(pending -> pending.stream().filter(p -> inHand.add(p.commandId()))
                                .forEach(p -> decide(p).subscribe().with(ignored -> inHand.remove(p.commandId()),
                                        failure -> inHand.remove(p.commandId()))),
                        failure -> LOG.warnf("commands: pending commands could not be looked up: %s",
                                failure.getMessage()));
    }

    private Uni<Void> decide(RunCommandInbox.Pending pending) {
        UUID commandId = pending.commandId();
        String by = owners.replicaId();
        RunCommand command = QueuedCommands.decode(pending.kind(), pending.command(), clock.now());
        return VertxContexts.onNewContext(vertx, () -> engine.command(pending.runId(), command,
                        models -> models.consumeCommand(commandId, by)))
                .invoke(run -> {
                    try (RunMdc mdc = RunMdc.of(pending.runId(), null, null, QueuedCommands.actor(command))) {
                        LOG.infof("Run %s: %s of %s, received by another replica, applied", pending.runId(),
                                pending.kind(), QueuedCommands.actor(command));
                    }
                })
                .replaceWithVoid()
                .onFailure().recoverWithUni(failure -> {
                    Optional<Refusal> refusal = refusalOf(failure);
                    if (refusal.isPresent()) {
                        return inbox.refuse(commandId, by, refusal.get().stored(), failure.getMessage());
                    }
                    if (!(failure instanceof CommandDecidedException) && !(failure instanceof StaleOwnerException)) {
                        // Left pending: the next look decides it again.
                        LOG.warnf("Run %s: command %s not decided yet: %s", pending.runId(), commandId,
                                failure.getMessage());
                    }
                    return Uni.createFrom().voidItem();
                });
    }

    private static Optional<Refusal> refusalOf(Throwable failure) {
        if (failure instanceof CommandRejected.NotAllowed) {
            return Optional.of(Refusal.NOT_ALLOWED);
        }
        if (failure instanceof CommandRejected) {
            return Optional.of(Refusal.STATE_CONFLICT);
        }
        if (failure instanceof ChainBrokenException) {
            return Optional.of(Refusal.FAILS_VERIFICATION);
        }
        if (failure instanceof TargetBusyException) {
            return Optional.of(Refusal.TARGET_BUSY);
        }
        return Optional.empty();
    }
}
