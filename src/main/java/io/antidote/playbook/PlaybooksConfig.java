package io.antidote.playbook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.NotBlank;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/** {@code antidote.playbooks.*}. */
@ConfigMapping(prefix = "antidote.playbooks")
public interface PlaybooksConfig {

    /** The playbook directory (relative to the working directory), the step library in its steps/. */
    @WithDefault("playbooks")
    @NotBlank
    String dir();

    /** How often the directory is checked for changes; 0 never. */
    @WithDefault("5s")
    @DurationMin(nanos = 0, message = "must not be negative")
    Duration reloadInterval();
}
