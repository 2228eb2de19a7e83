package io.antidote.identity;

import io.quarkus.security.identity.SecurityIdentity;

import java.util.Set;

/**
 * Who is calling, as the security layer authenticated them: the subject events record as the actor, the roles
 * they hold and the playbooks they may request runs of ({@link #ALL_PLAYBOOKS} for every one).
 */
public record Caller(String subject, Set<String> roles, Set<String> playbooks) {

    /** The identity attribute carrying the playbooks a caller may run (a {@code Set<String>}). */
    public static final String PLAYBOOKS = "antidote.playbooks";
    public static final String ALL_PLAYBOOKS = "*";

    public Caller {
        roles = Set.copyOf(roles);
        playbooks = Set.copyOf(playbooks);
    }

    @SuppressWarnings("unchecked")
    public static Caller of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            // The permission policy lets nobody anonymous past health; reaching here is a configuration error.
            throw new io.quarkus.security.UnauthorizedException("no authenticated caller");
        }
        Object playbooks = identity.getAttribute(PLAYBOOKS);
        return new Caller(identity.getPrincipal().getName(), identity.getRoles(),
                playbooks instanceof Set<?> set ? (Set<String>) set : Set.of());
    }

    /** The name the caller goes by: an API token's name (its subject without {@code token:}), else the subject. */
    public String name() {
        return subject.startsWith(ApiTokens.SUBJECT_PREFIX) ? subject.substring(ApiTokens.SUBJECT_PREFIX.length())
                : subject;
    }

    public boolean holds(String role) {
        return roles.contains(role);
    }

    public boolean mayRun(String playbook) {
        return playbooks.contains(ALL_PLAYBOOKS) || playbooks.contains(playbook);
    }
}
