package io.antidote.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One row of the run list ({@code run_summary}): what a run is, where it stands, and how far into its
 * stream that knowledge goes. Derived data: the fold of the run's events up to {@code lastSeq}.
 *
 * @param status the run's status word, upper case ({@code RUNNING}, {@code FAILED}, ...)
 * @param updatedAt when the last event folded in happened
 * @param targets target names in rollout order
 * @param lastSeq the seq of the last event folded in
 */
public record RunSummary(UUID runId, String playbook, String digest, String status, String ticket,
                         String requestedBy, Instant createdAt, Instant updatedAt, Instant finishedAt,
                         List<String> targets, long lastSeq) {

    public RunSummary {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(playbook, "playbook");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        targets = List.copyOf(targets);
        if (lastSeq < 1) {
            throw new IllegalArgumentException("a run summary folds at least one event: lastSeq " + lastSeq);
        }
    }
}
