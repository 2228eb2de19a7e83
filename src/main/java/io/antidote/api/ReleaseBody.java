package io.antidote.api;

/** Body of {@code POST /api/v1/runs/{id}/targets/{target}/release}: why the server may return to service. */
public record ReleaseBody(String reason) {
}
