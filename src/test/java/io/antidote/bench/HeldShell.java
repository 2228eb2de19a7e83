package io.antidote.bench;

import io.antidote.winrm.RemoteShell;
import io.antidote.winrm.ScriptResult;
import io.antidote.winrm.Target;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A shell that holds every script until {@link #release()}, then answers at once as {@link InstantShell} does:
 * so that a benchmark can put many runs in flight together and look at the heap while they all are.
 */
@Alternative
@ApplicationScoped
public class HeldShell implements RemoteShell {

    private static final String STDOUT = "{\"build\":\"15.1.2176.9\",\"stoppedServices\":[]}";

    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicLong scripts = new AtomicLong();

    @Override
    public ScriptResult runPowerShell(Target target, String script) {
        scripts.incrementAndGet();
        try {
            released.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while held", e);
        }
        return new ScriptResult(0, STDOUT, "");
    }

    void release() {
        released.countDown();
    }

    /** Scripts handed to this shell so far, held or answered. */
    long scripts() {
        return scripts.get();
    }
}
