package io.antidote.lab.wsman;

import io.vertx.core.http.HttpConnection;
import java.util.Optional;

/**
 * One HTTP authentication scheme a lab host accepts. Basic is stateless; NTLM authenticates the
 * TCP connection over a handshake of several requests, so every call names the connection.
 * Called on the endpoint's event loop only.
 */
interface AuthScheme {

    /** Whether this scheme reads Authorization headers opened by this token (e.g. {@code Basic}). */
    boolean accepts(String headerScheme);

    /** The {@code WWW-Authenticate} value offered in a 401. */
    String challenge();

    /**
     * Reads the credentials of one Authorization header.
     *
     * @param headerScheme the scheme token as the client spelled it
     * @param credentials what followed the token, possibly empty
     */
    AuthOutcome authenticate(String headerScheme, String credentials, HttpConnection connection);

    /** A connection this scheme already authenticated, for requests that carry no Authorization header. */
    default Optional<AuthOutcome.Accepted> resume(HttpConnection connection) {
        return Optional.empty();
    }

    /** Connections this scheme holds state for; it must drop them when they close. */
    default int trackedConnections() {
        return 0;
    }
}
