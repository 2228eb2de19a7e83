package io.antidote.engine;

import static io.antidote.engine.RandomRuns.await;

import io.antidote.store.EventStore;
import io.antidote.workflow.RunCommand.Advance;
import io.antidote.workflow.RunEvent;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

/**
 * What the lease tests read back of a run from the store (its events, whether it started a target), and their
 * racing advance: the target lease and the group lease are shown the same way.
 */
record StoredRuns(EventStore store, EventCodec codec) {

    List<RunEvent> events(UUID run) {
        return codec.decodeAll(await(() -> store.load(run)));
    }

    boolean started(UUID run, String target) {
        return events(run).stream().anyMatch(e -> e instanceof RunEvent.TargetStarted s && s.target().equals(target));
    }

    /** The run's stored event types, in order. */
    List<String> types(UUID run) {
        return await(() -> store.load(run)).stream().map(e -> e.type()).toList();
    }

    /** Advances the run with nothing said to be busy, once every racer is at the barrier. */
    static Object advance(RunCommands engine, UUID run, Instant at, CyclicBarrier start) throws Exception {
        start.await(1, TimeUnit.MINUTES);
        return await(() -> engine.decideAndAppend(run, s -> new Advance(at, Set.of())));
    }
}
