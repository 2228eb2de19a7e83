package io.antidote.live;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/**
 * What {@link AppendSignals} needs of Quarkus' own datasource settings to open its listening connection
 * beside the pool: the same database as the same user. Not an {@code antidote.*} setting, so not in
 * docs/configuration.md; a mapping of its own so that no class reads configuration by name.
 */
@ConfigMapping(prefix = "quarkus.datasource")
public interface ListeningDatasource {

    Reactive reactive();

    Optional<String> username();

    Optional<String> password();

    interface Reactive {
        /** {@code postgresql://host:port/db}, possibly prefixed with {@code vertx-reactive:}. */
        String url();
    }
}
