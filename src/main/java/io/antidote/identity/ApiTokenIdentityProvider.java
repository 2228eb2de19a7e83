package io.antidote.identity;

import io.antidote.engine.Clock;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.LinkedHashSet;

/** Turns an API token into the identity of the machine it was issued to, if it is in force. */
@ApplicationScoped
public class ApiTokenIdentityProvider implements IdentityProvider<ApiTokenRequest> {

    private final ApiTokens tokens;
    private final Clock clock;

    ApiTokenIdentityProvider(ApiTokens tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    public Class<ApiTokenRequest> getRequestType() {
        return ApiTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiTokenRequest request, AuthenticationRequestContext context) {
        return tokens.find(request.token()).map(found -> {
            if (found.isEmpty()) {
                throw new AuthenticationFailedException("unknown API token");
            }
            var row = found.get();
            Instant now = clock.now();
            if (row.revokedAt() != null) {
                throw new AuthenticationFailedException("API token '" + row.name() + "' (" + row.id()
                        + ") was revoked by '" + row.revokedBy() + "' at " + row.revokedAt());
            }
            if (!row.inForceAt(now)) {
                throw new AuthenticationFailedException("API token '" + row.name() + "' (" + row.id()
                        + ") expired at " + row.expiresAt());
            }
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(ApiTokens.SUBJECT_PREFIX + row.name()))
                    .addRoles(new LinkedHashSet<>(row.roles()))
                    .addAttribute(Caller.PLAYBOOKS, java.util.Set.copyOf(row.playbooks()))
                    .build();
        });
    }
}
