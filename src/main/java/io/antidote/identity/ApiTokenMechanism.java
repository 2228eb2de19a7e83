package io.antidote.identity;

import io.antidote.contract.ProblemType;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
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
 */
@ApplicationScoped
public class ApiTokenMechanism implements HttpAuthenticationMechanism {

    public static final String TOKEN_HEADER = "X-Antidote-Token";
    private static final String BEARER = "Bearer ";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String token = token(context);
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

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiTokenRequest.class);
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;  // before OIDC's bearer mechanism, which would try to parse atk_ as a JWT
    }
}
