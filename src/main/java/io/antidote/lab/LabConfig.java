package io.antidote.lab;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/** The lab: simulated Exchange servers on loopback, for rehearsals and tests. */
@ConfigMapping(prefix = "antidote.lab")
public interface LabConfig {

    /** Starts the lab fleet and serves /lab; on in the lab and test profiles only. */
    @WithDefault("false")
    boolean enabled();

    /** Loopback port of the first lab host; the others follow it. 0 picks free ports. */
    @WithDefault("0")
    @Min(0)
    @Max(65535)
    int firstPort();

    /** Credential reference that lab hosts accept and lab targets use (antidote.credentials.<ref>.*). */
    @WithDefault("lab")
    @NotBlank
    String credential();

    /** Start-Sleep on lab hosts waits for real (capped at 30 s) instead of only advancing simulated time. */
    @WithDefault("false")
    boolean realTimeSleep();
}
