package io.antidote.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code antidote.console.*}: whether the console logs people in with an API token typed at a form (the lab, which
 * has no identity provider) rather than through OIDC; read by the API's token mechanism and by the console's pages.
 */
@ConfigMapping(prefix = "antidote.console")
public interface ConsoleLoginConfig {

    /** The login form for API tokens, kept in an HttpOnly, SameSite=Strict session cookie (docs/security.md). */
    @WithDefault("false")
    boolean tokenLogin();
}
