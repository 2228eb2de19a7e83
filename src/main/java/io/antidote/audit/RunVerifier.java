package io.antidote.audit;

import io.antidote.store.ChainAlarms;
import io.antidote.store.ChainCheck;
import io.antidote.store.Checkpoint;
import io.antidote.store.Checkpoints;
import io.antidote.store.PostgresEventStore;
import io.antidote.store.RunQueries;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Recomputes runs' chains from the stored rows and holds them against their signed checkpoints, on
 * request (the verification endpoint) and for every run in the background, every {@code
 * antidote.audit.verify-interval}. Failures go to {@link ChainAlarms}: an ERROR log, a counter, the
 * health check and the run's mark in the API.
 */
@ApplicationScoped
public class RunVerifier {

    private static final Logger LOG = Logger.getLogger(RunVerifier.class);
    private static final int PAGE = 100;

    private final PostgresEventStore store;
    private final Checkpoints checkpoints;
    private final SigningKeys keys;
    private final RunQueries runs;
    private final ChainAlarms alarms;
    private final AtomicLong walks = new AtomicLong();

    RunVerifier(PostgresEventStore store, Checkpoints checkpoints, SigningKeys keys, RunQueries runs, ChainAlarms alarms) {
        this.store = store;
        this.checkpoints = checkpoints;
        this.keys = keys;
        this.runs = runs;
        this.alarms = alarms;
    }

    /** The run's verification; null item when the run has no events and no checkpoints. */
    public Uni<Verification> verify(UUID runId) {
        return store.verify(runId).chain(chain -> checkpoints.forRun(runId).map(heads -> {
            if (chain.events() == 0 && heads.isEmpty()) {
                return null;
            }
            Verification result = combine(chain, heads);
            if (chain.verified() && !result.verified()) {
                alarms.observe(new ChainCheck(runId, chain.events(), result.firstBadSeq(), result.problem(),
                        chain.checkpointedSeq()));
            }
            return result;
        }));
    }

    private Verification combine(ChainCheck chain, List<Checkpoint> heads) {
        if (!chain.verified()) {
            return new Verification(chain.runId(), false, chain.events(), chain.firstBadSeq(), chain.problem(),
                    heads.size(), chain.checkpointedSeq());
        }
        for (Checkpoint head : heads) {
            if (!keys.verifies(head)) {
                return new Verification(chain.runId(), false, chain.events(), head.lastSeq(), "the checkpoint of seq "
                        + head.lastSeq() + " does not verify with key " + head.keyId() + " (forged, or the key is not known)",
                        heads.size(), chain.checkpointedSeq());
            }
        }
        return new Verification(chain.runId(), true, chain.events(), null, null, heads.size(), chain.checkpointedSeq());
    }

    /** Walks every run, one after the other, so that tampering shows even in runs nobody looks at. */
    @Scheduled(every = "${antidote.audit.verify-interval:10m}", delayed = "${antidote.audit.verify-delay:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> verifyAll() {
        return walkFrom(null).invoke(count -> {
            walks.incrementAndGet();
            LOG.debugf("Verified %d runs; %d fail", (long) count, (long) alarms.failing().size());
        }).replaceWithVoid();
    }

    private Uni<Long> walkFrom(UUID after) {
        return runs.runsAfter(after, PAGE).chain(page -> Multi.createFrom().iterable(page)
                .onItem().transformToUniAndConcatenate(run -> verify(run).onFailure().recoverWithItem(failure -> {
                    LOG.warnf("Run %s could not be verified this round: %s", run, failure.getMessage());
                    return null;
                }).replaceWith(run))
                .collect().asList()
                .chain(done -> done.size() < PAGE ? Uni.createFrom().item((long) done.size())
                        : walkFrom(done.get(done.size() - 1)).map(rest -> rest + done.size())));
    }

    /** Completed walks over every run since start. */
    public long walks() {
        return walks.get();
    }
}
