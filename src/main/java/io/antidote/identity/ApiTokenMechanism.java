package io.antidote.identity;

import io.antidote.contract.ProblemType;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * Takes the requests that carry an API token: {@code Authorization: Bearer atk_...} or {@code X-Antidote-Token:
 * atk_...}. It runs before the OIDC mechanism and passes every other request on untouched (a null identity),
 * so a JWT is only ever verified by quarkus-oidc and an API token only ever looked up here.
 *
 * <p>Where the console's token login is on ({@code antidote.console.token-login}, the lab: it has no identity
 * provider), a request without either header may carry the token in the console's session cookie
 * ({@link #SESSION_COOKIE}, HttpOnly, SameSite=Strict, set by the login form). Headers always win over it, and
 * the console's CSRF guard refuses a state-changing request that the cookie alone authenticates unless it proves
 * it came from a console page (docs/security.md, "The console"). Where people log in to the console through the
 * provider ({@code antidote.console.oidc}), a console page without a session is left to the console's OIDC tenant,
 * whose challenge is the redirect to the provider.
 */
@ApplicationScoped
public class ApiTokenMechanism implements HttpAuthenticationMechanism {

    public static final String TOKEN_HEADER = "X-Antidote-Token";
    /** The console's session cookie in token-login mode: the API token the person typed at the login form. */
    public static final String SESSION_COOKIE = "antidote_session";
    /** Where a console page sends a person who is not (or no longer) logged in. */
    public static final String LOGIN_PAGE = "/console/login";
    private static final String BEARER = "Bearer ";

    private final boolean tokenLogin;
    private final boolean consoleOidc;

    ApiTokenMechanism(ConsoleLoginConfig consoleLogin) {
        this.tokenLogin = consoleLogin.tokenLogin();
        this.consoleOidc = consoleLogin.oidc();
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String token = token(context);
        if (token == null && tokenLogin) {
            token = sessionToken(context);
        }
        if (token == null) {
            return Uni.createFrom().nullItem();
        }
        ApiTokenRequest request = new ApiTokenRequest(token);
        HttpSecurityUtils.setRoutingContextAttribute(request, context);
        return identityProviderManager.authenticate(request);
    }

    static String token(RoutingContext context) {
        String header = context.request().getHeader(TOKEN_HEADER);
        if (header != null) {
            return header.trim();  // this header carries nothing but API tokens: a bad one fails here
        }
        String authorization = context.request().getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String value = authorization.substring(BEARER.length()).trim();
            if (value.startsWith(ApiTokens.PREFIX)) {
                return value;
            }
        }
        return null;
    }

    /** The token of the console's session cookie, if it looks like one; anything else is no credential at all. */
    private static String sessionToken(RoutingContext context) {
        Cookie cookie = context.request().getCookie(SESSION_COOKIE);
        if (cookie == null || !cookie.getValue().startsWith(ApiTokens.PREFIX)) {
            return null;
        }
        return cookie.getValue();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    /**
     * The answer to a request without a usable credential, for every mechanism (this one is asked first): 401
     * with {@code WWW-Authenticate: Bearer} and a problem document, like every other refusal of the API, rather
     * than the security layer's empty body. It says nothing about which check failed (the log does).
     */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        HttpServerResponse response = context.response();
        if (consoleOidc && consolePage(context) && !ConsoleTenant.tokenHeader(context)) {
            // The console's tenant answers: a redirect to the provider's login (authorization-code flow).
            return Uni.createFrom().item(false);
        }
        if (tokenLogin && consolePage(context) && !response.ended() && !response.headWritten()) {
            // A person at a console page gets the login form, not a problem document; a refused cookie goes.
            boolean refused = context.request().getCookie(SESSION_COOKIE) != null;
            response.setStatusCode(303).putHeader("Location", refused ? LOGIN_PAGE + "?refused" : LOGIN_PAGE)
                    .putHeader("Set-Cookie", SESSION_COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict")
                    .end();
            return Uni.createFrom().item(true);
        }
        if (!response.ended() && !response.headWritten()) {
            response.setStatusCode(401).putHeader("WWW-Authenticate", "Bearer")
                    .putHeader("Content-Type", "application/problem+json")
                    .end(new JsonObject().put("type", ProblemType.NOT_AUTHENTICATED.uri())
                            .put("title", ProblemType.NOT_AUTHENTICATED.title()).put("status", 401)
                            .put("detail", "an OIDC bearer token or an API token is required (docs/security.md)")
                            .put("errors", new JsonArray()).encode());
        }
        return Uni.createFrom().item(true);
    }

    /** A page of the console a browser navigates to (its assets and the API answer like the API). */
    private static boolean consolePage(RoutingContext context) {
        String path = context.request().path();
        return context.request().method() == HttpMethod.GET && path != null
                && (path.equals("/console") || path.startsWith("/console/"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiTokenRequest.class);
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;  // before OIDC's bearer mechanism, which would try to parse atk_ as a JWT
    }
}
