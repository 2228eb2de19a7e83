package io.antidote.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import jakarta.validation.constraints.NotBlank;
import org.hibernate.validator.constraints.time.DurationMin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** {@code antidote.auth.*}: Antidote's own identity settings beside Quarkus' OIDC (docs/security.md). */
@ConfigMapping(prefix = "antidote.auth")
public interface AuthConfig {

    /** The OIDC token claim listing the playbooks a person may request runs of (names, or {@code *}). */
    @WithDefault("antidote_playbooks")
    @NotBlank
    String playbooksClaim();

    /** How far ahead an API token's {@code expiresAt} may be. */
    @WithName("api-token.max-lifetime")
    @WithDefault("P366D")
    @DurationMin(nanos = 0, inclusive = false, message = "must be longer than 0")
    Duration apiTokenMaxLifetime();

    /** Where the lab profile writes the API tokens it issues at start; unset, none is issued. */
    Optional<Path> labTokensFile();
}
