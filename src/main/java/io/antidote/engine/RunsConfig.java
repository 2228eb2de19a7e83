package io.antidote.engine;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

/** {@code antidote.runs.*}: limits on a run request. */
@ConfigMapping(prefix = "antidote.runs")
public interface RunsConfig {

    /** Most targets one run request may name; more is refused, naming {@code targets}. */
    @WithDefault("1000")
    @Min(1)
    int maxTargets();
}
