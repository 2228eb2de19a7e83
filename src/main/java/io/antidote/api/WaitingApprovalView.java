package io.antidote.api;

import io.antidote.engine.StepScripts;

import java.time.Instant;

/**
 * A step waiting for approval on one target, as {@code GET /api/v1/runs/{id}/approvals} answers it: what the approver
 * decides on is the script the host will receive, so it is shown whole with its digest.
 *
 * @param playbookDigest the digest of the playbook version the run was planned from (the dry run's {@code digest})
 * @param attempt        the attempt the script is rendered for (a change-making step's marker names it)
 * @param script         the exact text the host will receive, secrets as {@code '***'}
 * @param scriptDigest   SHA-256 (hex) of {@code script}'s UTF-8 bytes
 */
public record WaitingApprovalView(String target, String step, String role, Instant dueAt, int attempt,
                                  String playbookDigest, String script, String scriptDigest) {

    static WaitingApprovalView of(StepScripts.Waiting waiting) {
        return new WaitingApprovalView(waiting.target(), waiting.step(), waiting.role(), waiting.dueAt(),
                waiting.attempt(), waiting.playbookDigest(), waiting.script(), waiting.scriptDigest());
    }
}
