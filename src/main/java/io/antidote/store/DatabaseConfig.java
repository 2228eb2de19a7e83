package io.antidote.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;

/**
 * {@code antidote.database.*}. Nothing injects it: the migrations read the service role through the Flyway
 * placeholder {@code servicerole} (application.properties), and this mapping declares it and refuses at start a
 * name that could not stand inside {@code R__service_role_grants.sql}'s string literal as a plain role name.
 */
@ConfigMapping(prefix = "antidote.database")
public interface DatabaseConfig {

    /** The PostgreSQL role the service connects as in production, granted reading and appending. */
    @WithDefault("antidote")
    @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_-]{0,62}",
            message = "must be a role name: a letter or '_', then up to 62 letters, digits, '_' or '-'")
    String serviceRole();
}
