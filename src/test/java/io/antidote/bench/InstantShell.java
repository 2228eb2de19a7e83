package io.antidote.bench;

import io.antidote.engine.AppendListener;
import io.antidote.winrm.RemoteShell;
import io.antidote.winrm.ScriptResult;
import io.antidote.winrm.Target;
import io.antidote.workflow.RunEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A shell with no latency whose answers meet every expectation of the playbook, and the benchmark's
 * stopwatch. Per target (one run each) it times each step-to-step hand-off twice, ending both when the
 * next script is handed to it:
 * <ul>
 * <li>from the moment the previous script returned here (outcome known, not yet recorded);</li>
 * <li>from the moment the append carrying that step's {@code StepSucceeded} committed (its Uni completed,
 * as the engine's {@link AppendListener} is told), i.e. the outcome recorded.</li>
 * </ul>
 */
@Alternative
@ApplicationScoped
public class InstantShell implements RemoteShell, AppendListener {

    private static final String STDOUT = "{\"build\":\"15.1.2176.9\",\"stoppedServices\":[]}";

    private final Map<String, Long> lastReturned = new ConcurrentHashMap<>();
    private final Map<String, Long> lastRecorded = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Long> gaps = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> sinceRecorded = new ConcurrentLinkedQueue<>();
    private final AtomicLong unordered = new AtomicLong();
    private volatile CountDownLatch steps = new CountDownLatch(0);
    private volatile CountDownLatch gate = new CountDownLatch(0);

    /**
     * First steps wait at the gate until every run of the round is requested, so that all of them
     * are in flight together (the wait is before any measured gap).
     */
    void expect(CountDownLatch latch, CountDownLatch allRequested) {
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

    @Override
    public void committed(UUID runId, List<RunEvent> events) {
        long now = System.nanoTime();
        for (RunEvent e : events) {
            if (e instanceof RunEvent.StepSucceeded succeeded) {
                lastRecorded.put(succeeded.target(), now);
            }
        }
    }

    @Override
    public ScriptResult runPowerShell(Target target, String script) {
        long now = System.nanoTime();
        Long previous = lastReturned.get(target.name());
        if (previous != null) {
            gaps.add(now - previous);
            Long recorded = lastRecorded.get(target.name());
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
        lastReturned.put(target.name(), System.nanoTime());
        steps.countDown();
        return new ScriptResult(0, STDOUT, "");
    }
}
