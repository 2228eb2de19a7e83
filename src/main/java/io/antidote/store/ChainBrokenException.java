package io.antidote.store;

/**
 * An append refused because the run's stored history does not verify: continuing it would sign off a
 * tampered or truncated chain as if it were whole (a fresh {@code RunSucceeded} after a cut-off tail).
 * Nothing was written; the run stays as found until people look at it.
 */
public class ChainBrokenException extends IllegalStateException {

    private final transient ChainCheck check;

    public ChainBrokenException(ChainCheck check) {
        super("run " + check.runId() + " fails verification at seq " + check.firstBadSeq() + " (" + check.problem()
                + "); nothing is appended to it");
        this.check = check;
    }

    public ChainCheck check() {
        return check;
    }
}
