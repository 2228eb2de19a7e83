package io.antidote.api;

/**
 * Body of {@code POST /api/v1/runs/{id}/approvals}.
 *
 * @param target   the target whose step is decided; absent: every target waiting on that step
 * @param decision {@code APPROVE} or {@code REJECT}
 */
public record ApprovalBody(String step, String target, String decision, String comment) {
}
