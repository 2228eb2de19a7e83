package io.antidote.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per caller: {@code burst} requests at once, refilled at {@code perSecond}. Buckets are
 * forgotten once full again; beyond {@link #MAX_CALLERS} callers at once the oldest state is dropped rather
 * than grow without bound (a flood of invented caller names then shares the refill it would have had anyway).
 */
final class RateLimiter {

    static final int MAX_CALLERS = 10_000;

    private final double perSecond;
    private final double burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(double perSecond, int burst) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("a rate above 0 and a burst of at least 1, not " + perSecond + "/" + burst);
        }
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /** 0 if the caller may go on now (a token is taken), else the whole seconds until a token is back. */
    long take(String caller, long nowNanos) {
        if (buckets.size() >= MAX_CALLERS && !buckets.containsKey(caller)) {
            buckets.entrySet().removeIf(e -> e.getValue().fullAt(nowNanos));
            if (buckets.size() >= MAX_CALLERS) {
                buckets.clear();
            }
        }
        Bucket bucket = buckets.computeIfAbsent(caller, c -> new Bucket(burst, nowNanos));
        synchronized (bucket) {
            bucket.refill(nowNanos);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perSecond));
        }
    }

    private final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        void refill(long now) {
            tokens = Math.min(burst, tokens + (now - at) / 1e9 * perSecond);
            at = now;
        }

        synchronized boolean fullAt(long now) {
            return tokens + (now - at) / 1e9 * perSecond >= burst;
        }
    }
}
