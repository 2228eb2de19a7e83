package io.antidote.store;

import io.smallrye.config.ConfigMapping;
import io.vertx.pgclient.PgConnectOptions;

import java.util.Optional;

/**
 * What a listening connection (the live streams' {@code AppendSignals}, {@link RunCommandInbox}) needs of
 * Quarkus' own datasource settings to open beside the pool: the same database as the same user. Not an
 * {@code antidote.*} setting, so not in docs/configuration.md; a mapping of its own so that no class reads configuration by name.
 */
@ConfigMapping(prefix = "quarkus.datasource")
public interface ListeningDatasource {

    /** Options for a connection of its own (LISTEN holds one) to the pool's database, as the pool's user. */
    static PgConnectOptions connectOptions(ListeningDatasource datasource) {
        String url = datasource.reactive().url();
        String uri = url.startsWith("vertx-reactive:") ? url.substring("vertx-reactive:".length()) : url;
        PgConnectOptions options = PgConnectOptions.fromUri(uri);
        datasource.username().ifPresent(options::setUser);
        datasource.password().ifPresent(options::setPassword);
        return options;
    }

    Reactive reactive();

    Optional<String> username();

    Optional<String> password();

    interface Reactive {
        /** {@code postgresql://host:port/db}, possibly prefixed with {@code vertx-reactive:}. */
        String url();
    }
}
