package io.antidote.engine;

import io.antidote.store.RunSummary;
import io.antidote.workflow.RunState;

import java.time.Instant;

/**
 * The run list's row for a run, derived from its folded state alone, so that the row written with
 * each append and the row a rebuild computes from the whole stream are the same by construction.
 */
final class RunListProjection {

    private RunListProjection() {
    }

    /**
     * @param state the fold of the run's events up to and including the last one appended
     * @param lastEventAt when that last event happened
     */
    static RunSummary of(RunState state, Instant lastEventAt) {
        if (!state.exists()) {
            throw new IllegalArgumentException("a run that was never requested has no row in the run list");
        }
        return new RunSummary(state.runId(), state.plan().playbook(), state.plan().digest(), state.status().name(),
                state.ticket(), state.requestedBy(), state.createdAt(), lastEventAt, state.finishedAt(),
                state.plan().targets(), state.version());
    }
}
