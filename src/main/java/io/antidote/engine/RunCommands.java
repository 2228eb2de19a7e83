package io.antidote.engine;

import io.antidote.store.ConcurrencyConflictException;
import io.antidote.store.EventStore;
import io.antidote.store.RunSummaries;
import io.antidote.workflow.RunCommand;
import io.antidote.workflow.RunDecider;
import io.antidote.workflow.RunEvent;
import io.antidote.workflow.RunState;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Carries one command to a run: load its events, fold, decide, append after the version loaded, with
 * the run list updated in the same transaction. When another writer (a thread, a replica) appended
 * first, the store refuses the stale decision and the command is decided again on the fresh state;
 * the database's key on (run_id, seq) is the only lock.
 *
 * <p>A {@link io.antidote.workflow.CommandRejected} is not retried: the command no longer applies
 * (for example a second writer already recorded the same step outcome).
 */
@ApplicationScoped
public class RunCommands {

    /** Appends lost to another writer are decided again on fresh state, this many times. */
    static final int CONFLICT_RETRIES = 10;

    private final EventStore store;
    private final EventCodec codec;
    private final RunSummaries runList;
    private final AtomicLong conflicts = new AtomicLong();

    RunCommands(EventStore store, EventCodec codec, RunSummaries runList) {
        this.store = store;
        this.codec = codec;
        this.runList = runList;
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
        return decideAndAppend(runId, commandFor, CONFLICT_RETRIES);
    }

    /**
     * Appends events already decided on {@code before} (the fold of the stream as loaded), with the
     * run list row they lead to. Fails with ConcurrencyConflictException if the stream moved on.
     */
    public Uni<Decided> append(RunState before, List<RunEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(new Decided(before, List.of()));
        }
        RunState after = before;
        for (RunEvent e : events) {
            after = RunDecider.evolve(after, e);
        }
        RunState next = after;
        UUID runId = next.runId();
        var row = RunListProjection.of(next, events.get(events.size() - 1).at());
        return store.append(runId, before.version(), events.stream().map(codec::encode).toList(),
                        (session, appended) -> runList.upsert(session, row))
                .map(appended -> new Decided(next, events));
    }

    /** How many appends lost a race and were decided again since start (for tests and benchmarks). */
    public long conflictsRetried() {
        return conflicts.get();
    }

    private Uni<Decided> decideAndAppend(UUID runId, Function<RunState, RunCommand> commandFor, int retries) {
        return store.load(runId).chain(stored -> {
            RunState state = RunDecider.fold(codec.decodeAll(stored));
            return append(state, RunDecider.decide(commandFor.apply(state), state));
        }).onFailure(ConcurrencyConflictException.class).recoverWithUni(conflict -> {
            if (retries == 0) {
                return Uni.createFrom().failure(conflict);
            }
            conflicts.incrementAndGet();
            return decideAndAppend(runId, commandFor, retries - 1);
        });
    }
}
