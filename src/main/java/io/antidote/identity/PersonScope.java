package io.antidote.identity;

import io.antidote.workflow.RunEvent;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.IdTokenCredential;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Completes a person's identity from their OIDC token: the playbooks they may request runs of come from a
 * claim ({@code antidote.auth.playbooks-claim}, a list of names or {@code "*"}); without it, none: deny by
 * default. A subject that would pass for the engine itself, or for an API token, is refused outright, so that
 * no event can be signed in a name that is not the caller's.
 */
@ApplicationScoped
public class PersonScope implements SecurityIdentityAugmentor {

    private final String playbooksClaim;

    /**
     * The actors of runs alerts requested ({@code alert:<source>}, io.antidote.alert.AlertDesk) and the keys of their
     * deduplication windows: no person may act in an alert source's name.
     */
    static final String ALERT_PREFIX = "alert:";

    PersonScope(AuthConfig config) {
        this.playbooksClaim = config.playbooksClaim();
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        String subject = jwt.getName();
        if (subject == null || subject.isBlank() || RunEvent.SYSTEM.equalsIgnoreCase(subject)
                || subject.startsWith(ApiTokens.SUBJECT_PREFIX) || subject.startsWith(ALERT_PREFIX)) {
            return Uni.createFrom().failure(new AuthenticationFailedException(
                    "the token's subject is blank or reserved ('" + RunEvent.SYSTEM + "', '" + ApiTokens.SUBJECT_PREFIX
                            + "...', '" + ALERT_PREFIX + "...')"));
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity)
                .addAttribute(Caller.PLAYBOOKS, playbooks(playbooksClaim(identity, jwt)))
                .build());
    }

    /**
     * A bearer caller's claim is in its access token, the principal. A console session's principal is its ID token,
     * while the provider puts what the API is allowed to do (the roles, which the console tenant reads from the access
     * token too, and this claim) in the access token: it is read there when the ID token does not carry it. That
     * access token came from the provider's token endpoint in the code exchange and was verified with the session.
     */
    private Object playbooksClaim(SecurityIdentity identity, JsonWebToken principal) {
        Object claim = principal.getClaim(playbooksClaim);
        AccessTokenCredential access = identity.getCredential(AccessTokenCredential.class);
        if (claim != null || identity.getCredential(IdTokenCredential.class) == null || access == null
                || access.getToken() == null) {
            return claim;
        }
        String[] parts = access.getToken().split("\\.");
        if (parts.length < 2) {
            return null;  // an opaque access token carries no claims
        }
        try {
            JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            Object value = claims.getValue(playbooksClaim);
            return value instanceof JsonArray array ? array.getList() : value;
        } catch (IllegalArgumentException | DecodeException e) {
            return null;
        }
    }

    private static Set<String> playbooks(Object claim) {
        Set<String> names = new LinkedHashSet<>();
        if (claim instanceof Collection<?> values) {
            for (Object value : values) {
                names.add(value instanceof JsonString text ? text.getString() : String.valueOf(value));
            }
        } else if (claim instanceof JsonString text) {
            names.add(text.getString());
        } else if (claim instanceof String text) {
            names.add(text);
        }
        return Set.copyOf(names);
    }
}
