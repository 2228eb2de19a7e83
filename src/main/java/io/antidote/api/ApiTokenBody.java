package io.antidote.api;

import java.time.Instant;
import java.util.List;

/** An admin's request for a new API token: {@code POST /api/v1/tokens}. */
public record ApiTokenBody(String name, List<String> roles, List<String> playbooks, Instant expiresAt) {
}
