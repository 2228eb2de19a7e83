package io.antidote.store;

import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Checks a run's history for tampering: the proof auditors ask for that no event was edited,
 * removed, inserted or reordered since it was written, and, against its signed checkpoints, that no
 * tail was cut off or rewritten and re-hashed.
 */
public final class HashChain {

    private HashChain() {}

    /**
     * Verifies one run's whole stream, as {@link EventStore#load} returns it.
     *
     * @return empty when the chain holds; otherwise the first seq where it breaks: the first
     *     position {@code i} (counting from 1) whose event is not seq {@code i} of the same run, does
     *     not point at the hash of the event before it ({@link EventHash#GENESIS} for the first), or
     *     does not carry the hash of its own content
     */
    public static OptionalLong verify(List<StoredEvent> events) {
        String expectedPrev = EventHash.GENESIS;
        for (int i = 0; i < events.size(); i++) {
            StoredEvent event = events.get(i);
            long expectedSeq = i + 1L;
            if (event.seq() != expectedSeq
                    || !event.runId().equals(events.get(0).runId())
                    || !expectedPrev.equals(event.prevHash())
                    || !recomputesTo(event)) {
                return OptionalLong.of(expectedSeq);
            }
            expectedPrev = event.hash();
        }
        return OptionalLong.empty();
    }

    /**
     * Verifies the stream as {@link #verify} does, then that it still reaches every head the
     * checkpoints signed (their signatures are checked by whoever holds the keys; here a checkpoint
     * is taken as a claim). The first break wins.
     */
    public static ChainCheck check(UUID runId, List<StoredEvent> events, List<Checkpoint> checkpoints) {
        OptionalLong broken = verify(events);
        long covered = checkpoints.stream().mapToLong(Checkpoint::lastSeq).max().orElse(0);
        if (broken.isPresent()) {
            return new ChainCheck(runId, events.size(), broken.getAsLong(),
                    "seq " + broken.getAsLong() + " does not recompute to its hash or does not link to the event before it",
                    covered);
        }
        for (Checkpoint head : checkpoints.stream().sorted(Comparator.comparingLong(Checkpoint::lastSeq)).toList()) {
            if (head.lastSeq() > events.size()) {
                return new ChainCheck(runId, events.size(), events.size() + 1L, "the stream ends at seq " + events.size()
                        + " but a checkpoint signed at " + EventHash.formatInstant(head.signedAt()) + " covers seq "
                        + head.lastSeq() + ": its tail is missing", covered);
            }
            if (!events.get((int) head.lastSeq() - 1).hash().equals(head.lastHash())) {
                return new ChainCheck(runId, events.size(), head.lastSeq(), "seq " + head.lastSeq()
                        + " does not carry the hash a checkpoint signed at " + EventHash.formatInstant(head.signedAt())
                        + ": the history up to it was rewritten", covered);
            }
        }
        return new ChainCheck(runId, events.size(), null, null, covered);
    }

    private static boolean recomputesTo(StoredEvent event) {
        try {
            return EventHash.of(event).equals(event.hash());
        } catch (IllegalArgumentException | NullPointerException unhashable) {
            // An event that cannot even be hashed was not written by our store: the chain is broken.
            return false;
        }
    }
}
