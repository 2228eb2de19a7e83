package io.antidote.engine;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;

import java.util.Map;

/** {@code antidote.patch-sources.<name>.path}: the folders and shares updates may be installed from. */
@ConfigMapping(prefix = "antidote.patch-sources")
public interface PatchSourcesConfig {

    @WithParentName
    Map<String, Source> sources();

    interface Source {
        /** A folder on the server ({@code C:\Patches}) or a share ({@code \\fs01\patches}). */
        String path();
    }
}
