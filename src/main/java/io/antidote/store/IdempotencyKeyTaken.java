package io.antidote.store;

/**
 * The caller's key already answers for another run, committed by an earlier or concurrent request: the
 * append that tried to claim it wrote nothing. The caller looks the key up again and answers with that run.
 */
public class IdempotencyKeyTaken extends RuntimeException {

    public IdempotencyKeyTaken(IdempotencyClaim claim) {
        super("Idempotency-Key already answers for another run of caller " + claim.caller());
    }
}
