package io.antidote.api;

/** Body of {@code POST /api/v1/runs/{id}/cancel}; {@code mode} FINISH_STEP (the default) or INTERRUPT. */
public record CancelBody(String mode) {
}
