package io.antidote.engine;

import io.antidote.store.EventStore;
import io.antidote.store.PostgresEventStore;
import io.antidote.store.RunQueries;
import io.antidote.workflow.CommandRejected;
import io.antidote.workflow.RunCommand.RetryRun;
import io.antidote.workflow.RunDecider;
import io.antidote.workflow.RunEvent;
import io.antidote.workflow.RunState;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/**
 * Goes on from where an ended run stopped ({@code POST /api/v1/runs/{id}/retry}): everything that would refuse the
 * retry is checked before anything is written (the run's state and the skips by the workflow's rules, a retry
 * already made, the playbook version the run recorded, its secrets), then the new run is recorded and goes on by
 * itself. The run retried is only read: it stays exactly as it was, and the new run's {@code RetryRequested} is the
 * link both ways.
 */
@ApplicationScoped
public class RunRetries {

    private final EventStore store;
    private final EventCodec codec;
    private final RunEngine engine;
    private final PlaybookVersions versions;
    private final RunSecrets secrets;
    private final RunQueries queries;
    private final Clock clock;

    RunRetries(EventStore store, EventCodec codec, RunEngine engine, PlaybookVersions versions, RunSecrets secrets,
               RunQueries queries, Clock clock) {
        this.store = store;
        this.codec = codec;
        this.engine = engine;
        this.versions = versions;
        this.secrets = secrets;
        this.queries = queries;
        this.clock = clock;
    }

    /**
     * The new run, recorded. Fails with {@link CommandRejected} (409) when the run cannot be retried now, with
     * {@link InvalidRequestException} (422) naming the skip that cannot be made.
     */
    public Uni<RunState> retry(UUID source, List<RetryRun.Skip> skips, String actor) {
        UUID runId = UUID.randomUUID();
        return store.load(source).chain(stored -> {
            RetryRun command = new RetryRun(runId, stored.stream()
                    .map(e -> new RetryRun.Recorded(e.seq(), codec.decode(e))).toList(), skips, actor, clock.now());
            RunState before = RunDecider.fold(command.source().stream().map(RetryRun.Recorded::event).toList());
            RunEvent.RunRequested requested = firstOf(command);
            return queries.retriedAs(source).chain(earlier -> {
                        if (earlier.isPresent()) {
                            throw retriedAlready(source, earlier.get());
                        }
                        return versions.of(requested.plan()).onFailure(IllegalStateException.class)
                                .transform(missing -> new CommandRejected("run " + source + " ran playbook "
                                        + requested.plan().playbook() + " at version " + requested.plan().digest()
                                        + ", which this service can no longer read (" + missing.getMessage()
                                        + "): a retry runs the very version its run recorded; request a new run"));
                    })
                    .invoke(playbook -> secrets.carryOver(source, runId, playbook.params(), before.params()))
                    .chain(() -> engine.retry(command))
                    .invoke(() -> engine.advanceLater(runId))
                    .onFailure().invoke(() -> secrets.forget(runId))
                    .onFailure(PostgresEventStore::isSecondRetry).recoverWithUni(second -> queries.retriedAs(source)
                            .map(other -> {
                                throw retriedAlready(source, other.orElse(null));
                            }));
        });
    }

    /**
     * What the workflow decides for the retry, decided here first so that a refusal costs no write: the engine
     * decides it again on the new run's empty stream, with the same result.
     */
    private static RunEvent.RunRequested firstOf(RetryRun command) {
        try {
            return (RunEvent.RunRequested) RunDecider.decide(command, RunState.NONE).get(0);
        } catch (CommandRejected.InvalidPart invalid) {
            throw new InvalidRequestException(invalid.field(), invalid.getMessage());
        }
    }

    private static CommandRejected retriedAlready(UUID source, UUID retry) {
        return new CommandRejected("run " + source + " was already retried as run " + retry
                + ": follow that run, or retry it if it failed");
    }
}
