package io.antidote.store;

import java.util.UUID;

/**
 * The result of recomputing one run's chain from its stored rows and holding it against the run's
 * checkpoints.
 *
 * @param events how many events the run has in the store
 * @param firstBadSeq the first seq where the history breaks (null when it holds): a row that does not
 *     recompute to its hash or link to the one before; the first missing seq when the stream ends
 *     before a signed head; the checkpointed seq whose hash is not the one signed
 * @param problem what is wrong there, for people (null when it holds)
 * @param checkpointedSeq the highest seq a checkpoint covers (0 if none)
 */
public record ChainCheck(UUID runId, long events, Long firstBadSeq, String problem, long checkpointedSeq) {

    public boolean verified() {
        return firstBadSeq == null;
    }
}
