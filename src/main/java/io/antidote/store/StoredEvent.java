package io.antidote.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/**
 * An event as recorded in a run's stream.
 *
 * @param position global commit order across all runs (the outbox publishes by it)
 * @param seq position within the run's stream, gap-free from 1
 * @param prevHash the {@code hash} of seq - 1, or {@link EventHash#GENESIS} for seq 1
 * @param hash SHA-256 over {@code prevHash} and this event's canonical JSON, see {@link EventHash}
 */
public record StoredEvent(
        long position,
        UUID eventId,
        UUID runId,
        long seq,
        String type,
        Instant occurredAt,
        String actor,
        String target,
        String step,
        Integer attempt,
        ObjectNode data,
        String prevHash,
        String hash) {}
