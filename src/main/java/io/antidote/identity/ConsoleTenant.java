package io.antidote.identity;

import io.quarkus.oidc.TenantResolver;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Which quarkus-oidc tenant verifies a request: the API's bearer tenant (the default), or the console's web-app tenant
 * ({@link #CONSOLE}, authorization-code flow) where the console logs people in through the provider
 * ({@code antidote.console.oidc}).
 *
 * <p>A request with a token header ({@code Authorization} or {@code X-Antidote-Token}) always goes to the bearer
 * tenant, whatever cookies it carries: a caller that brings a token is verified by its token, never by a browser
 * session, and a bearer call to a console page works as before. Without one, console pages go to the console tenant
 * (so that a person without a session is sent to the provider), and so does any other request that carries the
 * console's session cookie: the console's pages read the JSON API from the browser with that session, as they do
 * with the token login's cookie. Quarkus would otherwise pick a tenant from a session cookie's name even for a
 * request with a bearer token, so this resolver always names one.
 */
@ApplicationScoped
public class ConsoleTenant implements TenantResolver {

    /** The tenant's id: its settings are {@code quarkus.oidc.console.*}. */
    public static final String CONSOLE = "console";
    /** quarkus-oidc's id for the tenant configured at {@code quarkus.oidc.*}. */
    static final String BEARER = "Default";
    /** quarkus-oidc names a tenant's session cookie {@code q_session_<tenant>}, split into chunks when it is large. */
    public static final String SESSION_COOKIE = "q_session_" + CONSOLE;

    private final boolean oidc;

    ConsoleTenant(ConsoleLoginConfig consoleLogin) {
        this.oidc = consoleLogin.oidc();
    }

    @Override
    public String resolve(RoutingContext context) {
        if (!oidc || tokenHeader(context)) {
            return BEARER;
        }
        return consolePath(context) || hasSession(context) ? CONSOLE : BEARER;
    }

    /** A token of the API's in a header: a caller's own credential, never a browser's ambient one. */
    public static boolean tokenHeader(RoutingContext context) {
        return context.request().getHeader("Authorization") != null
                || context.request().getHeader(ApiTokenMechanism.TOKEN_HEADER) != null;
    }

    static boolean consolePath(RoutingContext context) {
        String path = context.normalizedPath();
        return path != null && (path.equals("/console") || path.startsWith("/console/"));
    }

    private static boolean hasSession(RoutingContext context) {
        for (Cookie cookie : context.request().cookies()) {
            if (cookie.getName().equals(SESSION_COOKIE) || cookie.getName().startsWith(SESSION_COOKIE + "_chunk_")) {
                return true;
            }
        }
        return false;
    }
}
