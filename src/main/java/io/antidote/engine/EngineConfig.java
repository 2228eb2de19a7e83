package io.antidote.engine;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code antidote.engine.*}. */
@ConfigMapping(prefix = "antidote.engine")
public interface EngineConfig {

    /** Steps that run at once, each holding a thread while it waits on WinRM; more wait for a free worker. */
    @WithDefault("32")
    int maxConcurrentSteps();
}
