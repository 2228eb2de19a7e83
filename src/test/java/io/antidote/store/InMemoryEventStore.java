package io.antidote.store;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * An event store in memory, for tests of the engine where the database is not what they test: it keeps
 * the promises of {@link EventStore} (gap-free chained streams, the expected-version check, a batch and its
 * projection written whole or not at all, one run per target), which {@code EventStoreContract} checks
 * for it and for {@link PostgresEventStore} alike.
 *
 * <p>A projector's writes are collected while it runs and applied with the events under one lock, after
 * the version and the leases are checked again there: the lock is the transaction.
 */
public class InMemoryEventStore implements EventStore {

    private final Map<UUID, List<StoredEvent>> streams = new HashMap<>();
    private final Set<UUID> eventIds = new HashSet<>();
    private final Map<UUID, RunSummary> summaries = new HashMap<>();
    private final Map<String, UUID> leases = new HashMap<>();
    /** Idempotency keys by caller and key; never expire here (no clock). */
    private final Map<List<String>, UUID> idempotencyKeys = new HashMap<>();
    private long position;

    @Override
    public Uni<List<StoredEvent>> load(UUID runId) {
        Objects.requireNonNull(runId, "runId");
        return Uni.createFrom().item(() -> {
            synchronized (this) {
                return List.copyOf(streams.getOrDefault(runId, List.of()).stream().map(InMemoryEventStore::copy).toList());
            }
        });
    }

    @Override
    public Uni<List<StoredEvent>> append(UUID runId, long expectedVersion, List<NewEvent> events,
                                         Projector projector) {
        return AppendBatch.of(runId, expectedVersion, events, projector)
                .chain(batch -> {
                    if (batch.isEmpty()) {
                        return Uni.createFrom().item(List.<StoredEvent>of());
                    }
                    Staged staged = new Staged();
                    return projector.project(staged).map(projected -> commit(runId, expectedVersion, batch, staged));
                });
    }

    /** The run list row of the run, as the projections wrote it. */
    public synchronized Optional<RunSummary> summary(UUID runId) {
        return Optional.ofNullable(summaries.get(runId));
    }

    /** The run holding this target now, if any. */
    public synchronized Optional<UUID> holder(String target) {
        return Optional.ofNullable(leases.get(target));
    }

    private synchronized List<StoredEvent> commit(UUID runId, long expectedVersion, List<AppendBatch.Pending> batch,
                                                  Staged staged) {
        List<StoredEvent> stream = streams.getOrDefault(runId, List.of());
        if (stream.size() != expectedVersion) {
            throw new ConcurrencyConflictException(runId, expectedVersion, stream.size());
        }
        Set<UUID> ids = new HashSet<>();
        for (AppendBatch.Pending pending : batch) {
            UUID id = pending.event().eventId();
            if (eventIds.contains(id) || !ids.add(id)) {
                throw new IllegalStateException("event " + id + " is already recorded");
            }
        }
        Map<String, UUID> leasesAfter = new HashMap<>(leases);
        staged.leaseChanges.forEach(change -> change.accept(leasesAfter));
        for (IdempotencyClaim claim : staged.claims) {
            UUID holder = idempotencyKeys.get(List.of(claim.caller(), claim.key()));
            if (holder != null && !holder.equals(claim.runId())) {
                throw new IdempotencyKeyTaken(claim);
            }
        }

        String prevHash = stream.isEmpty() ? EventHash.GENESIS : stream.get(stream.size() - 1).hash();
        List<StoredEvent> stored = new ArrayList<>(batch.size());
        for (AppendBatch.Pending pending : batch) {
            String hash = EventHash.hash(prevHash, pending.canonicalJson());
            stored.add(pending.stored(++position, runId, prevHash, hash));
            prevHash = hash;
        }
        List<StoredEvent> grown = new ArrayList<>(stream);
        grown.addAll(stored);
        streams.put(runId, List.copyOf(grown));
        batch.forEach(pending -> eventIds.add(pending.event().eventId()));
        leases.clear();
        leases.putAll(leasesAfter);
        staged.claims.forEach(claim -> idempotencyKeys.put(List.of(claim.caller(), claim.key()), claim.runId()));
        staged.summaries.forEach(summary -> summaries.merge(summary.runId(), summary,
                (old, now) -> old.lastSeq() < now.lastSeq() ? now : old));
        return stored.stream().map(InMemoryEventStore::copy).toList();
    }

    private static StoredEvent copy(StoredEvent e) {
        return e.withData(e.data().deepCopy());
    }

    /** A projector's writes, kept until the append commits. */
    private static final class Staged implements ReadModels {

        final List<RunSummary> summaries = new ArrayList<>();
        final List<Consumer<Map<String, UUID>>> leaseChanges = new ArrayList<>();
        final List<IdempotencyClaim> claims = new ArrayList<>();
        /** The alert table is PostgreSQL's (io.antidote.store.Alerts): kept here only so that a projector may write it. */
        final List<AlertRecord> alerts = new ArrayList<>();

        @Override
        public Uni<Void> upsert(RunSummary summary) {
            return later(() -> summaries.add(summary));
        }

        /** The servers' state is a PostgreSQL projection (server_state): nothing here reads it. */
        @Override
        public Uni<Void> foldServers(UUID runId, long afterSeq) {
            return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Void> take(UUID runId, String target) {
            return later(() -> leaseChanges.add(held -> {
                UUID holder = held.putIfAbsent(target, runId);
                if (holder != null && !holder.equals(runId)) {
                    throw new TargetBusyException(runId, target);
                }
            }));
        }

        /** A group's lease is kept in the same map, under a key naming the group and the member holding it. */
        @Override
        public Uni<Void> takeGroup(UUID runId, String target, String group) {
            return later(() -> leaseChanges.add(held -> {
                String prefix = "group " + group + " via ";
                // A member left in maintenance: a run on that member takes the group over.
                held.remove("group " + group + " kept via " + target);
                boolean other = held.entrySet().stream().anyMatch(e -> (e.getKey().startsWith(prefix)
                        || e.getKey().startsWith("group " + group + " kept via "))
                        && !(e.getKey().equals(prefix + target) && e.getValue().equals(runId)));
                if (other) {
                    throw new TargetBusyException("another run holds a member of '" + group + "'", List.of(group));
                }
                held.put(prefix + target, runId);
            }));
        }

        @Override
        public Uni<Void> release(UUID runId, String target) {
            return later(() -> leaseChanges.add(held -> {
                held.remove(target, runId);
                held.entrySet().removeIf(e -> e.getKey().startsWith("group ") && e.getKey().endsWith(" via " + target)
                        && e.getValue().equals(runId));
            }));
        }

        /** A kept group stays in the map under a key of its own, which only {@link #releaseKept} removes. */
        @Override
        public Uni<Void> keepGroup(UUID runId, String target, String step) {
            return later(() -> leaseChanges.add(held -> {
                held.remove(target, runId);
                held.entrySet().stream().filter(e -> e.getKey().startsWith("group ")
                                && e.getKey().endsWith(" via " + target) && e.getValue().equals(runId))
                        .map(Map.Entry::getKey).toList()
                        .forEach(key -> held.put(key.replace(" via ", " kept via "), held.remove(key)));
            }));
        }

        @Override
        public Uni<Void> releaseKept(UUID runId, String target) {
            return later(() -> leaseChanges.add(held -> held.entrySet().removeIf(e -> e.getKey().startsWith("group ")
                    && e.getKey().endsWith(" kept via " + target) && e.getValue().equals(runId))));
        }

        @Override
        public Uni<Void> releaseAll(UUID runId) {
            return later(() -> leaseChanges.add(held -> held.entrySet()
                    .removeIf(e -> e.getValue().equals(runId) && !e.getKey().contains(" kept via "))));
        }

        @Override
        public Uni<Void> claim(IdempotencyClaim claim) {
            return later(() -> claims.add(claim));
        }

        @Override
        public Uni<Void> recordAlert(AlertRecord alert) {
            return later(() -> alerts.add(alert));
        }

        /** The command inbox is PostgreSQL's (RunCommandInbox): no test of this store posts commands. */
        @Override
        public Uni<Void> consumeCommand(UUID commandId, String decidedBy) {
            return Uni.createFrom().failure(new UnsupportedOperationException("no command inbox in memory"));
        }

        private static Uni<Void> later(Runnable write) {
            return Uni.createFrom().item(() -> {
                write.run();
                return null;
            });
        }
    }
}
