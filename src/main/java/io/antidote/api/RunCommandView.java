package io.antidote.api;

import io.antidote.contract.ProblemType;
import io.antidote.engine.PersonCommands;
import io.antidote.store.RunCommandInbox;

import java.time.Instant;
import java.util.UUID;

/**
 * A person's command sent to a replica that does not carry the run, as {@code 202} answers it and
 * {@code GET /api/v1/runs/{id}/commands/{commandId}} shows it: {@code PENDING} until the run's owner decides it,
 * then {@code APPLIED} (its events are in the run's history, with the actor) or {@code REFUSED}, with the
 * problem type and detail the caller would have been answered.
 */
public record RunCommandView(UUID id, UUID runId, String kind, String actor, String status, Instant receivedAt,
                             Instant decidedAt, Refusal refusal) {

    /** Why the owner refused the command: a problem type of docs/api.md and its detail. */
    public record Refusal(String type, int status, String detail) {
    }

    /** The problem the owner's refusal is answered with, as if the owner had received the command itself. */
    static ProblemType problemOf(PersonCommands.Refusal refusal) {
        if (refusal == PersonCommands.Refusal.NOT_ALLOWED) {
            return ProblemType.NOT_ALLOWED;
        }
        if (refusal == PersonCommands.Refusal.FAILS_VERIFICATION) {
            return ProblemType.RUN_FAILS_VERIFICATION;
        }
        return refusal == PersonCommands.Refusal.TARGET_BUSY ? ProblemType.TARGET_BUSY : ProblemType.RUN_STATE_CONFLICT;
    }

    static RunCommandView of(RunCommandInbox.Status command) {
        Refusal refusal = command.refusal().flatMap(PersonCommands.Refusal::of)
                .map(RunCommandView::problemOf)
                .map(type -> new Refusal(type.uri(), type.status(), command.detail().orElse(null)))
                .orElse(null);
        return new RunCommandView(command.commandId(), command.runId(), command.kind(), command.actor(),
                command.status(), command.receivedAt(), command.decidedAt().orElse(null), refusal);
    }
}
