package io.antidote.playbook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code antidote.playbooks.*}. */
@ConfigMapping(prefix = "antidote.playbooks")
public interface PlaybooksConfig {

    /** The playbook directory (relative to the working directory), the step library in its steps/. */
    @WithDefault("playbooks")
    String dir();

    /** How often the directory is checked for changes; 0 never. */
    @WithDefault("5s")
    Duration reloadInterval();
}
