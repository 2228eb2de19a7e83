package io.antidote.winrm;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;
import java.util.Optional;

/** {@code antidote.inventory.*}: the YAML inventory file (docs/winrm.md). */
@ConfigMapping(prefix = "antidote.inventory")
public interface InventoryFileConfig {

    /** The inventory file; none: targets come from properties (and the lab) only. */
    Optional<String> file();

    /** How often the file is checked for changes; 0 never. */
    @WithDefault("30s")
    @DurationMin(nanos = 0, message = "must not be negative")
    Duration reloadInterval();
}
