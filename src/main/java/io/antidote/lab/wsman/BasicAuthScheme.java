package io.antidote.lab.wsman;

import io.vertx.core.http.HttpConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP Basic against the host's one user. Compares digests of the user and password so the
 * comparison takes the same time whatever the guess, its length included. User names compare
 * case-insensitively, as Windows accounts do.
 */
final class BasicAuthScheme implements AuthScheme {

    private final byte[] userDigest;
    private final byte[] passwordDigest;

    BasicAuthScheme(WsManCredentials credentials) {
        this.userDigest = sha256(credentials.user().toLowerCase(Locale.ROOT));
        this.passwordDigest = sha256(credentials.password());
    }

    @Override
    public boolean accepts(String headerScheme) {
        return "Basic".equalsIgnoreCase(headerScheme);
    }

    @Override
    public String challenge() {
        return "Basic realm=\"WSMAN\"";
    }

    @Override
    public AuthOutcome authenticate(String headerScheme, String credentials, HttpConnection connection) {
        return check(credentials)
                .<AuthOutcome>map(user -> new AuthOutcome.Accepted(user, null, false))
                .orElse(AuthOutcome.REFUSED);
    }

    private Optional<String> check(String credentials) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(credentials.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String user = decoded.substring(0, colon);
        boolean userMatches = MessageDigest.isEqual(userDigest, sha256(user.toLowerCase(Locale.ROOT)));
        boolean passwordMatches = MessageDigest.isEqual(passwordDigest, sha256(decoded.substring(colon + 1)));
        return userMatches & passwordMatches ? Optional.of(user) : Optional.empty();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
