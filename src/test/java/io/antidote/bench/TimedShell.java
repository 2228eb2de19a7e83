package io.antidote.bench;

import io.antidote.engine.AppendListener;
import io.antidote.winrm.RemoteShell;
import io.antidote.workflow.RunEvent;
import java.util.List;
import java.util.UUID;

/**
 * A shell the orchestration benchmarks time: it holds their {@link Stopwatch}, and as the engine's
 * {@link AppendListener} it tells the stopwatch when each outcome's append committed.
 */
abstract class TimedShell implements RemoteShell, AppendListener {

    private final Stopwatch stopwatch = new Stopwatch();

    /** A method, not the field: the benchmark holds a client proxy, whose own fields are not the bean's. */
    Stopwatch stopwatch() {
        return stopwatch;
    }

    @Override
    public void committed(UUID runId, List<RunEvent> events) {
        stopwatch.committed(events);
    }
}
