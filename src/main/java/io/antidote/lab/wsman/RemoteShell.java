package io.antidote.lab.wsman;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** One WinRS shell and the commands it keeps until they are signalled. Confined to the event loop. */
final class RemoteShell {

    private final String id;
    private final CodePage codePage;
    private final Map<String, RemoteCommand> commands = new LinkedHashMap<>();
    private long lastActivityNanos;

    RemoteShell(String id, CodePage codePage, long nowNanos) {
        this.id = id;
        this.codePage = codePage;
        this.lastActivityNanos = nowNanos;
    }

    String id() {
        return id;
    }

    CodePage codePage() {
        return codePage;
    }

    void touch(long nowNanos) {
        lastActivityNanos = nowNanos;
    }

    boolean idleSince(long thresholdNanos) {
        return lastActivityNanos - thresholdNanos < 0;
    }

    Optional<RemoteCommand> command(String commandId) {
        return Optional.ofNullable(commands.get(RemoteShells.normalizeId(commandId)));
    }

    /** Adds a command, evicting the oldest finished one when full; false when all are still running. */
    boolean add(RemoteCommand command, int maxCommands) {
        if (commands.size() >= maxCommands) {
            Iterator<RemoteCommand> oldest = commands.values().iterator();
            while (oldest.hasNext()) {
                RemoteCommand candidate = oldest.next();
                if (candidate.finished()) {
                    oldest.remove();
                    candidate.forget();
                    break;
                }
            }
            if (commands.size() >= maxCommands) {
                return false;
            }
        }
        commands.put(command.id(), command);
        return true;
    }

    boolean remove(String commandId) {
        RemoteCommand removed = commands.remove(RemoteShells.normalizeId(commandId));
        if (removed != null) {
            removed.forget();
        }
        return removed != null;
    }

    void close() {
        var all = commands.values().toArray(RemoteCommand[]::new);
        commands.clear();
        for (RemoteCommand command : all) {
            command.forget();
        }
    }
}
