package io.antidote.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code antidote.console.*}: how the console logs people in: with an API token typed at a form (the lab, which has
 * no identity provider), through the OIDC provider (the {@code console} tenant of quarkus-oidc, authorization-code
 * flow), or both; read by the security layer (which tenant, which challenge) and by the console's pages.
 */
@ConfigMapping(prefix = "antidote.console")
public interface ConsoleLoginConfig {

    /** The login form for API tokens, kept in an HttpOnly, SameSite=Strict session cookie (docs/security.md). */
    @WithDefault("false")
    boolean tokenLogin();

    /**
     * People log in through the OIDC provider: turns on quarkus-oidc's {@code console} tenant (web-app,
     * {@code quarkus.oidc.console.*}), which {@link ConsoleTenant} picks for console pages and for calls that a
     * console session alone authenticates; an unauthenticated console page is redirected to the provider.
     */
    @WithDefault("false")
    boolean oidc();
}
