package io.antidote.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One API token as stored: its digest, never the token. {@code revokedAt} is null while it is in force. */
public record ApiTokenRow(UUID id, String name, String tokenHash, List<String> roles, List<String> playbooks,
                          String createdBy, Instant createdAt, Instant expiresAt, String revokedBy, Instant revokedAt) {

    public ApiTokenRow {
        roles = List.copyOf(roles);
        playbooks = List.copyOf(playbooks);
    }

    public boolean inForceAt(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt);
    }
}
