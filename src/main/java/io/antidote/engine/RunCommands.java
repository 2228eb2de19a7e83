package io.antidote.engine;

import io.antidote.store.ConcurrencyConflictException;
import io.antidote.store.EventStore;
import io.antidote.store.Projector;
import io.antidote.store.ReadModels;
import io.antidote.store.TargetBusyException;
import io.antidote.workflow.CommandRejected;
import io.antidote.workflow.GroupHold;
import io.antidote.workflow.RunCommand;
import io.antidote.workflow.RunDecider;
import io.antidote.workflow.RunEvent;
import io.antidote.workflow.RunState;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Carries one command to a run: fold its events, decide, append after the version folded, with the run
 * list updated in the same transaction. When another writer (a thread, a replica) appended first, the
 * store refuses the stale decision and the command is decided again on the fresh state; the store's
 * expected-version check is the only lock.
 *
 * <p>Runs in flight are kept folded in memory (state and version after this process's last append or
 * load), so that a command is decided without reading the stream again. The memory is only a shortcut:
 * a stale entry (another replica moved the run on) makes the append fail with a conflict, or the
 * decider reject the command; either way the entry is dropped and the command decided once more on
 * the stream as loaded. Finished runs are forgotten.
 *
 * <p>A {@link CommandRejected} on the loaded stream is not retried: the command no longer applies (for
 * example a second writer already recorded the same step outcome).
 */
@ApplicationScoped
public class RunCommands {

    /** Appends lost to another writer are decided again on fresh state, this many times. */
    static final int CONFLICT_RETRIES = 10;

    private final EventStore store;
    private final EventCodec codec;
    private final AppendListener listener;
    private final RunMetrics metrics;
    private final AtomicLong conflicts = new AtomicLong();
    /** Runs in flight as last appended or loaded here; see the class comment for why this is safe. */
    private final Map<UUID, RunState> inFlight = new ConcurrentHashMap<>();
    /** The process is stopping: commands are recorded, and nothing new starts (see {@link #hold()}). */
    private volatile boolean holding;

    /** A writer nobody listens to, such as a second engine in a test. */
    RunCommands(EventStore store, EventCodec codec) {
        this(store, codec, new NoAppendListener(), RunMetrics.unregistered());
    }

    @Inject
    RunCommands(EventStore store, EventCodec codec, AppendListener listener, RunMetrics metrics) {
        this.store = store;
        this.listener = listener;
        this.codec = codec;
        this.metrics = metrics;
    }

    /** What a command decided, and the state after it. */
    public record Decided(RunState state, List<RunEvent> events) {
    }

    /**
     * Decides {@code commandFor(current state)} and appends the answer; retried on fresh state when
     * another writer got there first. Fails with CommandRejected if the command does not apply, and
     * with ConcurrencyConflictException after {@value #CONFLICT_RETRIES} lost races in a row.
     */
    public Uni<Decided> decideAndAppend(UUID runId, Function<RunState, RunCommand> commandFor) {
        return decideAndAppend(runId, commandFor, CONFLICT_RETRIES, Refused.NONE, Projector.NONE);
    }

    /**
     * As {@link #decideAndAppend(UUID, Function)}, with {@code alongside} written in the append's transaction
     * after the run's own read models: it commits with the events or rolls them back.
     */
    public Uni<Decided> decideAndAppend(UUID runId, Function<RunState, RunCommand> commandFor, Projector alongside) {
        return decideAndAppend(runId, commandFor, CONFLICT_RETRIES, Refused.NONE, alongside);
    }

    /**
     * Appends events already decided on {@code before} (the fold of the stream as loaded), with the
     * run list row they lead to. Fails with ConcurrencyConflictException if the stream moved on.
     */
    public Uni<Decided> append(RunState before, List<RunEvent> events) {
        return append(before, events, Projector.NONE);
    }

    private Uni<Decided> append(RunState before, List<RunEvent> events, Projector alongside) {
        if (events.isEmpty()) {
            metrics.seen(before);
            return Uni.createFrom().item(new Decided(before, List.of()));
        }
        RunState after = before;
        for (RunEvent e : events) {
            after = RunDecider.evolve(after, e);
        }
        RunState next = after;
        UUID runId = next.runId();
        var row = RunListProjection.of(next, events.get(events.size() - 1).at());
        return Uni.createFrom().deferred(() -> {
                    long start = System.nanoTime();
                    return store.append(runId, before.version(), events.stream().map(codec::encode).toList(),
                                    models -> models.upsert(row)
                                            .chain(() -> foldsServers(events)
                                                    ? models.foldServers(runId, before.version())
                                                    : Uni.createFrom().voidItem())
                                            .chain(() -> leases(models, before, events))
                                            .chain(() -> alongside.project(models)))
                            .onItemOrFailure().invoke((appended, failure) -> metrics.appended(start, outcome(failure)));
                })
                .invoke(appended -> keep(next))
                .invoke(appended -> listener.committed(runId, events))
                .invoke(appended -> metrics.committed(before, events))
                .invoke(appended -> TransitionLog.committed(runId, next.plan() == null ? null : next.plan().playbook(), events))
                .map(appended -> new Decided(next, events));
    }

    /**
     * From now on every command is decided with {@link RunDecider#decideHeld}: outcomes and people's commands
     * are still recorded, but no step starts. For the drain before the process stops.
     */
    public void hold() {
        holding = true;
    }

    /** Forgets the run's state kept in memory (another replica carries it now). */
    public void forget(UUID runId) {
        inFlight.remove(runId);
    }

    /** How many appends lost a race and were decided again since start (for tests and benchmarks). */
    public long conflictsRetried() {
        return conflicts.get();
    }

    /**
     * @param refused targets the store refused to let this run start in an earlier attempt of this
     *     command, because another run holds them: the command is decided with them busy
     */
    private Uni<Decided> decideAndAppend(UUID runId, Function<RunState, RunCommand> commandFor, int retries,
                                         Refused refused, Projector alongside) {
        RunState kept = inFlight.get(runId);
        Uni<Decided> decided = kept != null
                ? decideOn(kept, commandFor, refused, alongside)
                        // Decided on memory that may be behind the stream: forget it and decide on the stream.
                        .onFailure(CommandRejected.class).recoverWithUni(rejected -> {
                            inFlight.remove(runId, kept);
                            return loadAndDecide(runId, commandFor, refused, alongside);
                        })
                : loadAndDecide(runId, commandFor, refused, alongside);
        return decided.onFailure(ConcurrencyConflictException.class).recoverWithUni(conflict -> {
            inFlight.remove(runId);
            metrics.conflict(retries > 0);
            if (retries == 0) {
                return Uni.createFrom().failure(conflict);
            }
            conflicts.incrementAndGet();
            return decideAndAppend(runId, commandFor, retries - 1, refused, alongside);
        }).onFailure(TargetBusyException.class).recoverWithUni(busy -> {
            TargetBusyException held = (TargetBusyException) busy;
            if (refused.names().containsAll(held.targets())) {
                return Uni.createFrom().failure(busy);
            }
            return decideAndAppend(runId, commandFor, retries, refused.and(held), alongside);
        });
    }

    private Uni<Decided> loadAndDecide(UUID runId, Function<RunState, RunCommand> commandFor, Refused refused,
                                       Projector alongside) {
        return store.load(runId)
                .chain(stored -> decideOn(RunDecider.fold(codec.decodeAll(stored)), commandFor, refused, alongside));
    }

    private Uni<Decided> decideOn(RunState state, Function<RunState, RunCommand> commandFor, Refused refused,
                                  Projector alongside) {
        return Uni.createFrom().item(() -> holding
                        ? RunDecider.decideHeld(commandFor.apply(state), state)
                        : RunDecider.decide(commandFor.apply(state), state, refused.names(), refused.holds()))
                .chain(events -> append(state, events, alongside));
    }

    /** Whether the events change a server's state: a request names servers, a verdict says where one stands. */
    private static boolean foldsServers(List<RunEvent> events) {
        return events.stream().anyMatch(e -> e instanceof RunEvent.RunRequested
                || e instanceof RunEvent.TargetVerdictRecorded);
    }

    /**
     * Takes and lets go targets, and the groups (DAGs) they share, in the append's transaction, as its events
     * start and end them: the database then refuses a second run on a target, or on another member of its
     * group, whatever the run decided on. A target that ends with its maintenance kept ({@link RunState#keptHold})
     * keeps its group held for it; the group goes once that maintenance is undone (a release ended it).
     */
    private static Uni<Void> leases(ReadModels models, RunState before, List<RunEvent> events) {
        Uni<Void> done = Uni.createFrom().voidItem();
        RunState run = before;
        for (RunEvent e : events) {
            RunState was = run;
            RunState now = RunDecider.evolve(run, e);
            run = now;
            UUID runId = now.runId();
            if (e instanceof RunEvent.TargetStarted started) {
                done = done.chain(() -> models.take(runId, started.target()));
                Optional<String> group = now.plan().sharedGroupOf(started.target());
                if (group.isPresent()) {
                    done = done.chain(() -> models.takeGroup(runId, started.target(), group.get()));
                }
            } else if (e instanceof RunEvent.EndsTarget ended) {
                Optional<String> kept = now.plan().sharedGroupOf(ended.target()).flatMap(g -> now.keptHold(ended.target()));
                done = done.chain(() -> kept.isPresent() ? models.keepGroup(runId, ended.target(), kept.get())
                        : models.release(runId, ended.target()));
            } else if (e instanceof RunEvent.EndsRun) {
                done = done.chain(() -> models.releaseAll(runId));
            } else if (e instanceof RunEvent.OfTarget of && was.keptHold(of.target()).isPresent()
                    && now.keptHold(of.target()).isEmpty()) {
                done = done.chain(() -> models.releaseKept(runId, of.target()));
            }
        }
        return done;
    }

    /** Names the store refused this command's run, with who holds the groups among them. */
    private record Refused(Set<String> names, Map<String, GroupHold> holds) {

        static final Refused NONE = new Refused(Set.of(), Map.of());

        Refused and(TargetBusyException busy) {
            Set<String> more = new HashSet<>(names);
            more.addAll(busy.targets());
            Map<String, GroupHold> held = new HashMap<>(holds);
            busy.hold().ifPresent(hold -> held.put(hold.group(), hold));
            return new Refused(Set.copyOf(more), Map.copyOf(held));
        }
    }

    private static String outcome(Throwable failure) {
        if (failure == null) {
            return "committed";
        }
        if (failure instanceof ConcurrencyConflictException) {
            return "conflict";
        }
        return failure instanceof TargetBusyException ? "target_busy" : "failed";
    }

    /** Remembers a run in flight at its newest version; a finished run is forgotten. */
    private void keep(RunState state) {
        UUID runId = state.runId();
        if (RunDecider.isTerminal(state)) {
            inFlight.remove(runId);
            return;
        }
        if (inFlight.size() >= MAX_IN_FLIGHT && !inFlight.containsKey(runId)) {
            // Only a shortcut: beyond this many runs, new ones are decided on their stream as loaded.
            return;
        }
        inFlight.merge(runId, state, (old, now) -> now.version() >= old.version() ? now : old);
    }

    /** Runs kept in memory at most. */
    static final int MAX_IN_FLIGHT = 100_000;
}
