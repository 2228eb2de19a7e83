package io.antidote.engine;

/** The caller sent an {@code Idempotency-Key} again with another body: a 422 of its own type, naming the key. */
public class IdempotencyKeyReused extends InvalidRequestException {

    public IdempotencyKeyReused(String field, String message) {
        super(field, message);
    }
}
