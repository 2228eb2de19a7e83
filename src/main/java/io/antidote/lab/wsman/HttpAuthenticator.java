package io.antidote.lab.wsman;

import io.vertx.core.http.HttpConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Picks the scheme named in the Authorization header, or lets a connection already authenticated
 * by a connection-oriented scheme (NTLM) through without one, as Windows' HTTP.sys does. The 401
 * advertises every scheme's challenge, and {@code Negotiate} even when NTLM is switched off, as a
 * Windows host always offers it.
 */
final class HttpAuthenticator {

    private final List<AuthScheme> schemes;
    private final List<String> challenges;

    HttpAuthenticator(List<AuthScheme> schemes) {
        this.schemes = List.copyOf(schemes);
        List<String> offered = new ArrayList<>();
        schemes.forEach(scheme -> offered.add(scheme.challenge()));
        if (offered.stream().noneMatch(challenge -> challenge.regionMatches(true, 0, "Negotiate", 0, 9))) {
            offered.add(0, "Negotiate");
        }
        this.challenges = List.copyOf(offered);
    }

    AuthOutcome authenticate(String authorization, HttpConnection connection) {
        if (authorization == null || authorization.isBlank()) {
            for (AuthScheme scheme : schemes) {
                Optional<AuthOutcome.Accepted> resumed = scheme.resume(connection);
                if (resumed.isPresent()) {
                    return resumed.get();
                }
            }
            return AuthOutcome.REFUSED;
        }
        String header = authorization.trim();
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        String credentials = space < 0 ? "" : header.substring(space + 1).trim();
        for (AuthScheme candidate : schemes) {
            if (candidate.accepts(scheme)) {
                return candidate.authenticate(scheme, credentials, connection);
            }
        }
        return AuthOutcome.REFUSED;
    }

    int trackedConnections() {
        return schemes.stream().mapToInt(AuthScheme::trackedConnections).sum();
    }

    List<String> challenges() {
        return challenges;
    }
}
