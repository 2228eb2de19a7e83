package io.antidote.api;

import io.antidote.store.ChainCheck;
import io.antidote.workflow.RunState;
import io.antidote.workflow.StepState;
import io.antidote.workflow.TargetState;
import io.antidote.workflow.Verdict;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A run as {@code GET /api/v1/runs/{id}} shows it: a projection of its events.
 *
 * @param retryOf   the run this one goes on from (it is that run's retry), or null
 * @param retriedAs the run that goes on from this one (its retry), or null
 */
public record RunView(UUID id, String playbook, String playbookDigest, String status, String ticket,
                      String requestedBy, Instant createdAt, Instant finishedAt, Map<String, Object> params,
                      List<TargetView> targets, FailingVerification failingVerification, UUID retryOf,
                      UUID retriedAs) {

    /** Set when the run's history is known to fail verification (see its {@code /verification}). */
    public record FailingVerification(Long firstBadSeq, String problem) {
    }

    /** @param verdict what the run found the server to be, once it is done with it (null before) */
    public record TargetView(String name, String status, List<StepView> steps, VerdictView verdict) {
    }

    /**
     * @param patch      VULNERABLE, PATCHED, MITIGATED or UNKNOWN
     * @param compromise CLEAN, COMPROMISED or UNKNOWN
     * @param service    IN_SERVICE or ISOLATED
     */
    public record VerdictView(String patch, String compromise, List<String> indicators, String service,
                              List<String> reasons) {
    }

    /** @param outputs what the step captured for later steps (secrets masked); empty until it succeeded */
    public record StepView(String id, String status, int attempts, Integer exitCode, Instant startedAt,
                           Instant finishedAt, Map<String, Object> outputs) {
    }

    static RunView of(RunState run) {
        return new RunView(run.runId(), run.plan().playbook(), run.plan().digest(), run.status().name(), run.ticket(),
                run.requestedBy(), run.createdAt(), run.finishedAt(), run.params(),
                run.targets().stream().map(RunView::target).toList(), null, run.retryOf(), null);
    }

    RunView failing(ChainCheck check) {
        return check == null ? this : new RunView(id, playbook, playbookDigest, status, ticket, requestedBy, createdAt,
                finishedAt, params, targets, new FailingVerification(check.firstBadSeq(), check.problem()), retryOf,
                retriedAs);
    }

    RunView retriedAs(UUID retry) {
        return new RunView(id, playbook, playbookDigest, status, ticket, requestedBy, createdAt, finishedAt, params,
                targets, failingVerification, retryOf, retry);
    }

    private static TargetView target(TargetState t) {
        Verdict v = t.verdict();
        return new TargetView(t.name(), t.status().name(), t.steps().stream().map(RunView::step).toList(),
                v == null ? null : new VerdictView(v.patch().name(), v.compromise().name(), v.indicators(),
                        v.service().name(), v.reasons()));
    }

    private static StepView step(StepState s) {
        return new StepView(s.id(), s.status().name(), s.attempts(), s.exitCode(), s.startedAt(), s.finishedAt(),
                s.outputs());
    }
}
