package io.antidote.bench;

import io.antidote.winrm.RemoteShell;
import io.antidote.winrm.ScriptResult;
import io.antidote.winrm.Target;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

/** A shell with no latency whose answers meet every expectation of the playbook. */
@Alternative
@ApplicationScoped
public class InstantShell implements RemoteShell {

    private static final String STDOUT = "{\"build\":\"15.1.2176.9\",\"stoppedServices\":[]}";

    private final Map<String, Long> lastReturned = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Long> gaps = new ConcurrentLinkedQueue<>();
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
    }

    long[] gaps() {
        return gaps.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public ScriptResult runPowerShell(Target target, String script) {
        long now = System.nanoTime();
        Long previous = lastReturned.get(target.name());
        if (previous != null) {
            gaps.add(now - previous);
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
