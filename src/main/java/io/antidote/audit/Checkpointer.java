package io.antidote.audit;

import io.antidote.store.AppendedHead;
import io.antidote.store.Checkpoint;
import io.antidote.store.Checkpoints;
import io.antidote.workflow.RunEventTypes;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Signs the heads of the runs this process appended to: every {@code antidote.audit.checkpoint-interval}
 * for the runs that moved since their last checkpoint, and at once when a run ends. A checkpoint that
 * cannot be stored (database away) is kept and tried again at the next interval.
 */
@ApplicationScoped
public class Checkpointer {

    private static final Logger LOG = Logger.getLogger(Checkpointer.class);

    private final SigningKeys keys;
    private final Checkpoints checkpoints;
    /** Heads appended since their last stored checkpoint, newest per run. */
    private final Map<UUID, AppendedHead> unsigned = new ConcurrentHashMap<>();

    Checkpointer(SigningKeys keys, Checkpoints checkpoints) {
        this.keys = keys;
        this.checkpoints = checkpoints;
    }

    void appended(@Observes AppendedHead head) {
        if (!keys.canSign()) {
            return;
        }
        unsigned.merge(head.runId(), head, (old, now) -> now.lastSeq() >= old.lastSeq() ? now : old);
        if (head.types().stream().anyMatch(RunEventTypes.ENDING_RUN::contains)) {
            signAndStore(head).subscribe().with(ignored -> { }, failure -> LOG.warnf(
                    "Checkpoint of run %s at its end not stored yet, retried at the next interval: %s", head.runId(),
                    failure.getMessage()));
        }
    }

    /** Signs and stores the heads that moved since their last checkpoint, one after the other. */
    @Scheduled(every = "${antidote.audit.checkpoint-interval:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> signMoved() {
        if (unsigned.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<AppendedHead> heads = new ArrayList<>(unsigned.values());
        return Multi.createFrom().iterable(heads)
                .onItem().transformToUniAndConcatenate(head -> signAndStore(head).onFailure().recoverWithItem(failure -> {
                    LOG.warnf("Checkpoint of run %s not stored yet, retried at the next interval: %s", head.runId(),
                            failure.getMessage());
                    return null;
                }))
                .collect().last().replaceWithVoid();
    }

    private Uni<Void> signAndStore(AppendedHead head) {
        Checkpoint unsignedCheckpoint = new Checkpoint(head.runId(), head.lastSeq(), head.lastHash(), Instant.now(),
                keys.currentKeyId(), "");
        Checkpoint signed = new Checkpoint(head.runId(), head.lastSeq(), head.lastHash(), unsignedCheckpoint.signedAt(),
                keys.currentKeyId(), keys.sign(unsignedCheckpoint.signedText()));
        return checkpoints.record(signed)
                // Only if no later head arrived meanwhile: that one still needs its own checkpoint.
                .invoke(() -> unsigned.remove(head.runId(), head));
    }
}
