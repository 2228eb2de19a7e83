package io.antidote.engine;

import io.antidote.playbook.PatchSources;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The patch sources of the configuration, checked once at start: a source whose name or path cannot be used stops
 * the start naming the setting, rather than refusing every run request later.
 */
@Startup
@ApplicationScoped
public class ConfiguredPatchSources {

    private final PatchSources sources;

    ConfiguredPatchSources(PatchSourcesConfig config) {
        Map<String, String> paths = new LinkedHashMap<>();
        config.sources().forEach((name, source) -> paths.put(name, source.path()));
        try {
            this.sources = PatchSources.of(paths);
        } catch (IllegalArgumentException unusable) {
            throw new IllegalArgumentException("antidote.patch-sources: " + unusable.getMessage(), unusable);
        }
    }

    public PatchSources sources() {
        return sources;
    }
}
