package io.antidote.store;

import java.util.Set;
import java.util.UUID;

/**
 * Fired (as a CDI event, synchronously, on the thread that learnt of the commit) after every append
 * this process committed: the run's new head, for whoever signs heads. Observers must not block.
 *
 * @param types the types of the events just appended
 */
public record AppendedHead(UUID runId, long lastSeq, String lastHash, Set<String> types) {}
