package io.antidote.lab;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * What a lab host was asked to run, in the order it started: the witness of effects on the host. The
 * engine's events say what it recorded; this says what reached the server, so a test can tell a step
 * recorded once from a step run once (a script run twice, or recorded without having run, shows here).
 *
 * <p>Bounded, oldest first out: a lab host lives as long as the process, and a benchmark sends it many
 * thousands of commands.
 */
public final class CommandLog {

    /** Entries kept per host; beyond this the oldest go, and {@link #dropped()} counts them. */
    static final int CAPACITY = 10_000;

    /**
     * One command as the host received it.
     *
     * @param script the PowerShell script, decoded from {@code -EncodedCommand}, or the command line as sent
     */
    public record Entry(Instant at, String shellId, String commandId, String script) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();
    private long dropped;

    /** Appends the entry; its number, counting from 1 for the host's first command. */
    synchronized long add(Entry entry) {
        if (entries.size() == CAPACITY) {
            entries.removeFirst();
            dropped++;
        }
        entries.addLast(entry);
        return dropped + entries.size();
    }

    /** Commands received so far, those let go included: the number of the last one. */
    public synchronized long count() {
        return dropped + entries.size();
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** How many of the oldest entries were let go to stay within {@value #CAPACITY}. */
    public synchronized long dropped() {
        return dropped;
    }
}
