package io.antidote.api;

import io.antidote.store.ChainCheck;
import io.antidote.store.RunSummaries;
import io.antidote.store.RunSummary;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** A page of {@code GET /api/v1/runs}: the run list projection, newest first. */
public record RunListView(List<Item> items, int page, int size, long total) {

    /**
     * One run as the list shows it: no steps, no params (those are on {@code GET /runs/{id}}).
     * {@code failingVerification} is set while the run's history is known to fail verification.
     */
    public record Item(UUID id, String playbook, String playbookDigest, String status, String ticket,
                       String requestedBy, Instant createdAt, Instant updatedAt, Instant finishedAt,
                       List<String> targets, RunView.FailingVerification failingVerification) {

        static Item of(RunSummary s, ChainCheck failing) {
            return new Item(s.runId(), s.playbook(), s.digest(), s.status(), s.ticket(), s.requestedBy(),
                    s.createdAt(), s.updatedAt(), s.finishedAt(), s.targets(),
                    failing == null ? null : new RunView.FailingVerification(failing.firstBadSeq(), failing.problem()));
        }
    }

    /** The page, each run marked with the failure the chain alarms know of for it, if any. */
    static RunListView of(RunSummaries.Page page, Function<UUID, ChainCheck> failing) {
        return new RunListView(page.items().stream().map(s -> Item.of(s, failing.apply(s.runId()))).toList(),
                page.page(), page.size(), page.total());
    }
}
