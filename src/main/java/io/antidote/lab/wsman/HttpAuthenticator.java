package io.antidote.lab.wsman;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Picks the scheme named in the Authorization header. The 401 advertises every scheme's challenge
 * plus {@code Negotiate}, as a Windows host does, even though Negotiate is not accepted yet.
 */
final class HttpAuthenticator {

    private final List<AuthScheme> schemes;
    private final List<String> challenges;

    HttpAuthenticator(List<AuthScheme> schemes) {
        this.schemes = List.copyOf(schemes);
        List<String> offered = new ArrayList<>();
        schemes.forEach(scheme -> offered.add(scheme.challenge()));
        if (schemes.stream().noneMatch(scheme -> scheme.name().equalsIgnoreCase("Negotiate"))) {
            offered.add("Negotiate");
        }
        this.challenges = List.copyOf(offered);
    }

    /** The authenticated user, or empty for a 401. */
    Optional<String> authenticate(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String header = authorization.trim();
        int space = header.indexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        String scheme = header.substring(0, space).toLowerCase(Locale.ROOT);
        for (AuthScheme candidate : schemes) {
            if (candidate.name().toLowerCase(Locale.ROOT).equals(scheme)) {
                return candidate.authenticate(header.substring(space + 1));
            }
        }
        return Optional.empty();
    }

    List<String> challenges() {
        return challenges;
    }
}
