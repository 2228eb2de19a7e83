package io.antidote.engine;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The commands this replica wrote for other replicas' runs and waits to see decided, each woken by the
 * notification its decision sends. A wait is taken before the command's row is read, so that a decision
 * committed between the read and the wait still wakes it.
 */
final class DecisionWaits {

    private final Map<UUID, Set<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();

    CompletableFuture<Void> expect(UUID commandId) {
        CompletableFuture<Void> wake = new CompletableFuture<>();
        waiting.computeIfAbsent(commandId, id -> ConcurrentHashMap.newKeySet()).add(wake);
        return wake;
    }

    void forget(UUID commandId, CompletableFuture<Void> wake) {
        waiting.computeIfPresent(commandId, (id, wakes) -> {
            wakes.remove(wake);
            return wakes.isEmpty() ? null : wakes;
        });
    }

    /** {@code commandId} was decided; null: decisions may have been missed, so every wait looks again. */
    void decided(UUID commandId) {
        if (commandId == null) {
            waiting.values().forEach(wakes -> wakes.forEach(wake -> wake.complete(null)));
            return;
        }
        Set<CompletableFuture<Void>> wakes = waiting.get(commandId);
        if (wakes != null) {
            wakes.forEach(wake -> wake.complete(null));
        }
    }

    boolean waitingFor(UUID commandId) {
        return waiting.containsKey(commandId);
    }
}
