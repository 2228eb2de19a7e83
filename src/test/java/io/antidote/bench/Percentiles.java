package io.antidote.bench;

import java.util.Arrays;
import java.util.Locale;

/** Nearest-rank percentiles of measured durations, printed in milliseconds. */
final class Percentiles {

    private final long[] sortedNanos;

    Percentiles(long[] nanos) {
        this.sortedNanos = nanos.clone();
        Arrays.sort(sortedNanos);
    }

    int count() {
        return sortedNanos.length;
    }

    double millis(double percentile) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sortedNanos.length);
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1_000_000.0;
    }

    String summary() {
        return String.format(Locale.ROOT, "n=%d p50=%.2f ms p95=%.2f ms p99=%.2f ms max=%.2f ms", count(), millis(50),
                millis(95), millis(99), millis(100));
    }
}
