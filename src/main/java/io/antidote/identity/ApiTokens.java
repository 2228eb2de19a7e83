package io.antidote.identity;

import io.antidote.engine.InvalidRequestException;
import io.antidote.store.ApiTokenRow;
import io.antidote.store.ApiTokenStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * API tokens for machines: issued by an admin with roles, playbooks and an expiry, shown once, stored only
 * as a SHA-256 digest ({@code V8__api_token.sql}), revoked by an admin. A token is {@code atk_} and 256
 * random bits in base64url, so that it can never be mistaken for a JWT (which has dots) nor guessed.
 */
@ApplicationScoped
public class ApiTokens {

    public static final String PREFIX = "atk_";
    /** The subject a token acts as: what events record as the actor. No OIDC subject is expected to look so. */
    public static final String SUBJECT_PREFIX = "token:";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern PLAYBOOK = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern SHAPE = Pattern.compile("atk_[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A token just issued: the only time its text exists outside the caller's hands. */
    public record Issued(ApiTokenRow row, String token) {
    }

    /** What an admin asks for. */
    public record Request(String name, List<String> roles, List<String> playbooks, Instant expiresAt) {
    }

    private final ApiTokenStore store;
    private final Duration maxLifetime;

    ApiTokens(ApiTokenStore store, AuthConfig config) {
        this.store = store;
        this.maxLifetime = config.apiTokenMaxLifetime();
    }

    /** Validates the request (422 naming each field) and stores the new token's digest. */
    public Uni<Issued> issue(Request request, String issuedBy, Instant now) {
        List<InvalidRequestException.Violation> violations = new ArrayList<>();
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            violations.add(new InvalidRequestException.Violation("name",
                    "1 to 64 of lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"));
        }
        Set<String> roles = new LinkedHashSet<>();
        if (request.roles() == null || request.roles().isEmpty()) {
            violations.add(new InvalidRequestException.Violation("roles", "at least one of " + Roles.ALL));
        } else {
            for (int i = 0; i < request.roles().size(); i++) {
                String role = request.roles().get(i);
                if (!Roles.ALL.contains(role)) {
                    violations.add(new InvalidRequestException.Violation("roles[" + i + "]", "one of " + Roles.ALL));
                } else {
                    roles.add(role);
                }
            }
        }
        Set<String> playbooks = new LinkedHashSet<>();
        if (request.playbooks() != null) {
            for (int i = 0; i < request.playbooks().size(); i++) {
                String playbook = request.playbooks().get(i);
                if (playbook == null || !(Caller.ALL_PLAYBOOKS.equals(playbook) || PLAYBOOK.matcher(playbook).matches())) {
                    violations.add(new InvalidRequestException.Violation("playbooks[" + i + "]",
                            "a playbook name, or '*' for every playbook"));
                } else {
                    playbooks.add(playbook);
                }
            }
        }
        if (roles.contains(Roles.OPERATOR) && playbooks.isEmpty()) {
            violations.add(new InvalidRequestException.Violation("playbooks",
                    "an operator token names the playbooks it may run ('*' for every one)"));
        }
        if (request.expiresAt() == null || !request.expiresAt().isAfter(now)) {
            violations.add(new InvalidRequestException.Violation("expiresAt", "a time in the future is required"));
        } else if (request.expiresAt().isAfter(now.plus(maxLifetime))) {
            violations.add(new InvalidRequestException.Violation("expiresAt",
                    "at most " + maxLifetime.toDays() + " days from now (antidote.auth.api-token.max-lifetime)"));
        }
        if (!violations.isEmpty()) {
            return Uni.createFrom().failure(new InvalidRequestException(violations));
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiTokenRow row = new ApiTokenRow(UUID.randomUUID(), request.name(), digest(token), List.copyOf(roles),
                List.copyOf(playbooks), issuedBy, now, request.expiresAt(), null, null);
        return store.insert(row).replaceWith(new Issued(row, token));
    }

    /** The token's row if the text is one in force now; empty for unknown, expired and revoked tokens. */
    public Uni<Optional<ApiTokenRow>> find(String token) {
        if (token == null || !SHAPE.matcher(token).matches()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return store.byHash(digest(token));
    }

    public Uni<List<ApiTokenRow>> all() {
        return store.all();
    }

    public Uni<Optional<ApiTokenRow>> byId(UUID id) {
        return store.byId(id);
    }

    public Uni<Boolean> revoke(UUID id, String revokedBy, Instant now) {
        return store.revoke(id, revokedBy, now);
    }

    static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
