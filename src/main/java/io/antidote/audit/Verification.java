package io.antidote.audit;

import java.util.UUID;

/**
 * A run's history as {@code GET /api/v1/runs/{id}/verification} reports it.
 *
 * @param verified whether the chain recomputes from the stored rows, reaches every signed head and
 *     every checkpoint's signature verifies with a known key
 * @param firstBadSeq the first seq where it does not (null when verified)
 * @param problem what is wrong there (null when verified)
 * @param checkpointedSeq the highest seq a checkpoint covers (0 if none)
 */
public record Verification(UUID runId, boolean verified, long events, Long firstBadSeq, String problem,
                           long checkpoints, long checkpointedSeq) {}
