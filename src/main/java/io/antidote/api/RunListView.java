package io.antidote.api;

import io.antidote.store.RunSummaries;
import io.antidote.store.RunSummary;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A page of {@code GET /api/v1/runs}: the run list projection, newest first. */
public record RunListView(List<Item> items, int page, int size, long total) {

    /** One run as the list shows it: no steps, no params (those are on {@code GET /runs/{id}}). */
    public record Item(UUID id, String playbook, String playbookDigest, String status, String ticket,
                       String requestedBy, Instant createdAt, Instant updatedAt, Instant finishedAt,
                       List<String> targets) {

        static Item of(RunSummary s) {
            return new Item(s.runId(), s.playbook(), s.digest(), s.status(), s.ticket(), s.requestedBy(),
                    s.createdAt(), s.updatedAt(), s.finishedAt(), s.targets());
        }
    }

    static RunListView of(RunSummaries.Page page) {
        return new RunListView(page.items().stream().map(Item::of).toList(), page.page(), page.size(), page.total());
    }
}
