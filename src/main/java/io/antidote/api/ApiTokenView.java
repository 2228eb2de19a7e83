package io.antidote.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.antidote.store.ApiTokenRow;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An API token as the API shows it: never its digest; its text ({@code token}) only in the answer that issued
 * it. {@code status}: {@code ACTIVE}, {@code EXPIRED} or {@code REVOKED}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiTokenView(UUID id, String name, String subject, List<String> roles, List<String> playbooks,
                           String status, String createdBy, Instant createdAt, Instant expiresAt, String revokedBy,
                           Instant revokedAt, String token) {

    static ApiTokenView of(ApiTokenRow row, Instant now, String token) {
        String status = row.revokedAt() != null ? "REVOKED" : row.inForceAt(now) ? "ACTIVE" : "EXPIRED";
        return new ApiTokenView(row.id(), row.name(), io.antidote.identity.ApiTokens.SUBJECT_PREFIX + row.name(),
                row.roles(), row.playbooks(), status, row.createdBy(), row.createdAt(), row.expiresAt(),
                row.revokedBy(), row.revokedAt(), token);
    }
}
