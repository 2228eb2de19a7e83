package io.antidote.store;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * A run request's {@code Idempotency-Key}, claimed for the run in the append of its first events.
 *
 * @param caller      whose key it is: keys of different callers never meet
 * @param fingerprint SHA-256 (hex) of the request body in canonical form
 * @param keepFor     how long the key answers with this run before it is forgotten
 */
public record IdempotencyClaim(String caller, String key, String fingerprint, UUID runId, Duration keepFor) {

    public IdempotencyClaim {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(runId, "runId");
        if (keepFor == null || keepFor.isNegative() || keepFor.isZero()) {
            throw new IllegalArgumentException("an idempotency key is kept for a positive time, not " + keepFor);
        }
    }
}
