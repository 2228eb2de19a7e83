package io.antidote.lab.wsman;

import java.util.Optional;

/**
 * One HTTP authentication scheme a lab host accepts. Basic is stateless; NTLM (to come) needs a
 * per-connection handshake and will grow this interface with a connection and a continuation
 * challenge.
 */
interface AuthScheme {

    /** The scheme's token as it opens an Authorization header, e.g. {@code Basic}. */
    String name();

    /** The {@code WWW-Authenticate} value offered in a 401. */
    String challenge();

    /** The user name when the credentials (the header after the scheme token) are right. */
    Optional<String> authenticate(String credentials);
}
