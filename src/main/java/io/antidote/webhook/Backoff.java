package io.antidote.webhook;

import java.time.Duration;

/**
 * Exponential backoff: after the n-th failed attempt, {@code initial × 2^(n-1)}, at most {@code max}. No
 * jitter: a replica sends each delivery on its own schedule, and the attempts of one receiver's deliveries
 * are spread by when their events happened.
 */
record Backoff(Duration initial, Duration max) {

    Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("antidote.webhooks.initial-backoff must be positive and at most "
                    + "antidote.webhooks.max-backoff, not " + initial + " and " + max);
        }
    }

    /** The wait after attempt {@code attempt} (from 1) failed. */
    Duration after(int attempt) {
        int doublings = Math.max(0, attempt - 1);
        // past 2^40 the product overflows long nanoseconds; any such wait is the maximum anyway
        if (doublings >= 40) {
            return max;
        }
        Duration wait = initial.multipliedBy(1L << doublings);
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
