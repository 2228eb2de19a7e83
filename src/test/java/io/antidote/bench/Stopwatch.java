package io.antidote.bench;

import io.antidote.workflow.RunEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmarks' stopwatch. Per target (one run each) it times each step-to-step hand-off twice, ending both
 * when the next script is handed to the transport:
 * <ul>
 * <li>from the moment the previous script returned (outcome known, not yet recorded);</li>
 * <li>from the moment the append carrying that step's {@code StepSucceeded} committed (its Uni completed, as
 * the engine's {@code AppendListener} is told), i.e. the outcome recorded.</li>
 * </ul>
 * The shells call {@link #handedOver} and {@link #returned} around the transport; the engine calls
 * {@link #committed} through the shell, which is also its {@code AppendListener}.
 */
final class Stopwatch {

    private final Map<String, Long> lastReturned = new ConcurrentHashMap<>();
    private final Map<String, Long> lastRecorded = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Long> gaps = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> sinceRecorded = new ConcurrentLinkedQueue<>();
    private final AtomicLong unordered = new AtomicLong();
    private volatile CountDownLatch steps = new CountDownLatch(0);
    private volatile CountDownLatch gate = new CountDownLatch(0);

    /**
     * First steps wait at the gate until every run of the round is requested, so that all of them are in
     * flight together (the wait is before any measured interval).
     */
    void expect(CountDownLatch latch, CountDownLatch allRequested) {
        // A round's runs start afresh, even on targets an earlier round used.
        lastReturned.clear();
        lastRecorded.clear();
        steps = latch;
        gate = allRequested;
    }

    void reset() {
        gaps.clear();
        sinceRecorded.clear();
        unordered.set(0);
    }

    /** Hand-offs whose previous outcome was not seen recorded before the next script: should stay 0. */
    long unordered() {
        return unordered.get();
    }

    /** Script returned → next script handed over, in nanoseconds. */
    long[] gaps() {
        return gaps.stream().mapToLong(Long::longValue).toArray();
    }

    /** Outcome recorded (its append committed) → next script handed over, in nanoseconds. */
    long[] sinceRecorded() {
        return sinceRecorded.stream().mapToLong(Long::longValue).toArray();
    }

    void committed(List<RunEvent> events) {
        long now = System.nanoTime();
        for (RunEvent e : events) {
            if (e instanceof RunEvent.StepSucceeded succeeded) {
                lastRecorded.put(succeeded.target(), now);
            }
        }
    }

    /** A script for {@code target} is being handed to the transport now. */
    void handedOver(String target) {
        long now = System.nanoTime();
        Long previous = lastReturned.get(target);
        if (previous != null) {
            gaps.add(now - previous);
            Long recorded = lastRecorded.get(target);
            if (recorded == null || recorded < previous) {
                // Cannot happen (the next StepStarted is in the outcome's append); counted, not hidden.
                unordered.incrementAndGet();
            } else {
                sinceRecorded.add(now - recorded);
            }
        } else {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The transport returned the script's result for {@code target}. */
    void returned(String target) {
        lastReturned.put(target, System.nanoTime());
        steps.countDown();
    }
}
