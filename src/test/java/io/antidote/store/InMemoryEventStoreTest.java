package io.antidote.store;

import io.smallrye.mutiny.Uni;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/** The in-memory store keeps the same contract as PostgreSQL's, so engine tests may run on it. */
class InMemoryEventStoreTest extends EventStoreContract {

    private final InMemoryEventStore store = new InMemoryEventStore();

    @Override
    protected EventStore store() {
        return store;
    }

    @Override
    protected <T> T await(Supplier<Uni<T>> work) {
        return work.get().await().indefinitely();
    }

    @Override
    protected Optional<UUID> holder(String target) {
        return store.holder(target);
    }

    @Override
    protected Optional<RunSummary> summary(UUID runId) {
        return store.summary(runId);
    }
}
