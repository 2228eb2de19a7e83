package io.antidote.engine;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A bound on the runs' writes carried out at once ({@link RunWriters}): a write takes a slot, or waits in line
 * for one; a write that ends hands its slot to the first in line. A person's write goes ahead of the engine's,
 * so that a cancel is not stuck behind a fleet's outcomes.
 */
final class WriteSlots {

    private final int max;
    private final Deque<Runnable> line = new ArrayDeque<>();
    private int taken;

    WriteSlots(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("at least one write slot, not " + max);
        }
        this.max = max;
    }

    /** Runs {@code write} now if a slot is free, else once one is handed to it. It must call {@link #release}. */
    void take(boolean person, Runnable write) {
        synchronized (this) {
            if (taken >= max) {
                if (person) {
                    line.addFirst(write);
                } else {
                    line.addLast(write);
                }
                return;
            }
            taken++;
        }
        write.run();
    }

    void release() {
        Runnable next;
        synchronized (this) {
            next = line.pollFirst();
            if (next == null) {
                taken--;
                return;
            }
        }
        next.run();
    }

    synchronized int waiting() {
        return line.size();
    }

    synchronized int taken() {
        return taken;
    }
}
