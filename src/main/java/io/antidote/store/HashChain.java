package io.antidote.store;

import java.util.List;
import java.util.OptionalLong;

/**
 * Checks a run's history for tampering: the proof auditors ask for that no event was edited,
 * removed, inserted or reordered since it was written.
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

    private static boolean recomputesTo(StoredEvent event) {
        try {
            return EventHash.of(event).equals(event.hash());
        } catch (IllegalArgumentException | NullPointerException unhashable) {
            // An event that cannot even be hashed was not written by our store: the chain is broken.
            return false;
        }
    }
}
