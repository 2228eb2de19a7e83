package io.antidote.store;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What every event store checks of a batch before it writes anything, so that a batch is refused for the
 * same reasons whichever store takes it: a version that cannot be, an event that cannot be hashed (see
 * {@link EventHash}), data too long to read back.
 */
final class AppendBatch {

    private AppendBatch() {
    }

    /** An event ready to append once the hash it follows is known. */
    record Pending(long seq, NewEvent event, String canonicalJson, String dataJson) {

        /** The event as stored at {@code position}, chained after {@code prevHash}. */
        StoredEvent stored(long position, UUID runId, String prevHash, String hash) {
            return new StoredEvent(position, runId, seq, event.withData(event.data().deepCopy()), prevHash, hash);
        }
    }

    /**
     * The arguments of {@link EventStore#append(UUID, long, List, Projector)}, checked when the append is
     * subscribed: the batch, or an IllegalArgumentException before anything is written.
     */
    static Uni<List<Pending>> of(UUID runId, long expectedVersion, List<NewEvent> events, Projector projector) {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(projector, "projector");
        return Uni.createFrom().item(() -> prepare(runId, expectedVersion, events));
    }

    /** The events with the seqs they take after {@code expectedVersion}; throws IllegalArgumentException. */
    private static List<Pending> prepare(UUID runId, long expectedVersion, List<NewEvent> events) {
        if (expectedVersion < 0) {
            throw new IllegalArgumentException("expectedVersion is 0 for a new stream, never negative: " + expectedVersion);
        }
        List<Pending> batch = new ArrayList<>(events.size());
        long seq = expectedVersion;
        for (NewEvent event : events) {
            Objects.requireNonNull(event, "events must not contain null");
            seq++;
            String dataJson = CanonicalJson.write(event.data());
            if (dataJson.length() > EventStore.MAX_DATA_CHARS) {
                throw new IllegalArgumentException("event " + event.eventId() + " carries " + dataJson.length()
                        + " characters of data, more than the " + EventStore.MAX_DATA_CHARS + " an event may hold");
            }
            batch.add(new Pending(seq, event, EventHash.canonicalJson(runId, seq, event), dataJson));
        }
        return batch;
    }
}
