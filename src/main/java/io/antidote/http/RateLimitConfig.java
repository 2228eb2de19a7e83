package io.antidote.http;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;

/** {@code antidote.rate-limit.*}: the token bucket each caller of {@code /api/} draws from ({@link RateLimiter}). */
@ConfigMapping(prefix = "antidote.rate-limit")
public interface RateLimitConfig {

    /** Off, no request is refused for coming too fast (the test profile). */
    @WithDefault("true")
    boolean enabled();

    /** Tokens a caller gets back per second. */
    @WithDefault("50")
    @Positive
    double perSecond();

    /** Requests a caller may send at once. */
    @WithDefault("200")
    @Min(1)
    int burst();
}
