package io.antidote.api;

import java.util.List;

/**
 * Body of {@code POST /api/v1/runs/{id}/retry}, optional: steps to skip in the new run, each on a target and with
 * the reason recorded (admins only).
 */
public record RetryBody(List<Skip> skip) {

    /** One step not to run on one target of the retry, and why. */
    public record Skip(String target, String step, String reason) {
    }
}
