package io.antidote.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the rate limit refused (docs/operations.md, docs/alerts.md). A refused request never reaches a resource, so
 * an alert refused with 429 is not in the {@code alert} table: the meter {@code antidote.http.rate.limited} counts
 * every refusal (label {@code endpoint}: {@code alerts} for {@code POST /api/v1/alerts}, else {@code other}), and
 * one WARN line per caller and {@link #EVERY} says who was refused how often, so that a flood is visible without
 * the log becoming the flood. The caller is named by its bucket key (a digest of its credential, or its address):
 * never the credential itself.
 */
final class RateLimitRefusals {

    static final String METER = "antidote.http.rate.limited";
    static final Duration EVERY = Duration.ofMinutes(1);
    private static final Logger LOG = Logger.getLogger(RateLimitRefusals.class);

    private final Counter alerts;
    private final Counter other;
    private final Map<String, Tally> tallies = new ConcurrentHashMap<>();

    RateLimitRefusals(MeterRegistry registry) {
        this.alerts = Counter.builder(METER).tag("endpoint", "alerts")
                .description("Requests the rate limit refused (429), alerts not recorded among them").register(registry);
        this.other = Counter.builder(METER).tag("endpoint", "other")
                .description("Requests the rate limit refused (429), alerts not recorded among them").register(registry);
    }

    static boolean alert(String method, String path) {
        return "POST".equals(method) && ("/api/v1/alerts".equals(path) || "/api/v1/alerts/".equals(path));
    }

    /** Counts one refusal, and logs this caller's refusals since its last line if that was {@link #EVERY} ago. */
    void refused(String caller, String address, String method, String path, long nowNanos) {
        boolean alert = alert(method, path);
        (alert ? alerts : other).increment();
        if (tallies.size() >= RateLimiter.MAX_CALLERS && !tallies.containsKey(caller)) {
            // As the limiter's buckets: bounded; the meter keeps the count of what the log then leaves out.
            tallies.clear();
        }
        Tally tally = tallies.computeIfAbsent(caller, c -> new Tally());
        String line = null;
        synchronized (tally) {
            tally.refused++;
            tally.alerts += alert ? 1 : 0;
            if (!tally.logged || nowNanos - tally.loggedAt >= EVERY.toNanos()) {
                line = "Rate limit refused " + tally.refused + " request(s) from " + caller + " at " + address
                        + (tally.logged ? " in the last " + Duration.ofNanos(nowNanos - tally.loggedAt).toSeconds() + " s"
                        : "") + ", " + tally.alerts + " of them alerts (POST /api/v1/alerts, not recorded); the latest "
                        + method + " " + (path.length() > 200 ? path.substring(0, 200) + "..." : path)
                        + "; the next line for this caller in " + EVERY.toSeconds() + " s at the earliest"
                        + " (antidote_http_rate_limited_total counts each)";
                tally.logged = true;
                tally.loggedAt = nowNanos;
                tally.refused = 0;
                tally.alerts = 0;
            }
        }
        if (line != null) {
            LOG.warn(line);
        }
    }

    private static final class Tally {
        long refused;
        long alerts;
        boolean logged;
        long loggedAt;
    }
}
