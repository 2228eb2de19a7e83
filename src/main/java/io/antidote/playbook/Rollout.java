package io.antidote.playbook;

/**
 * How a playbook rolls through its targets (docs/playbooks.md, "Strategy"): batches of {@code batchSize}
 * targets or {@code batchPercent} of them; the rollout stops once {@code failureThreshold} targets failed;
 * targets are ordered by the value of label {@code orderBy} and those sharing the value of label
 * {@code groupBy} (a DAG) run one at a time. {@link #DEFAULT}: one target at a time, the first failure stops.
 */
public record Rollout(int batchSize, int batchPercent, int failureThreshold, String orderBy, String groupBy) {

    public static final Rollout DEFAULT = new Rollout(1, 0, 1, null, null);
}
