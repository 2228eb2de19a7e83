package io.antidote.lab.wsman;

/** What the credentials of one request earn it. */
sealed interface AuthOutcome {

    /** Refused: a 401 offering every scheme, with an empty body. */
    AuthOutcome REFUSED = new Refused(false);

    /**
     * Refused at the end of a failed handshake: the 401, then the connection is closed. WinRM4j,
     * after a refused NTLM AUTHENTICATE, sends one more request that declares a body it never
     * writes; on a kept-alive connection its next request would be read as that body.
     */
    AuthOutcome REFUSED_AND_CLOSED = new Refused(true);

    /**
     * The request may proceed.
     *
     * @param user the authenticated user
     * @param sessionSecurity the connection's NTLM sealing, or null when it has none (Basic, or NTLM without SEAL)
     * @param encryptionExpected whether a Windows host would insist on an encrypted body over plain HTTP (NTLM)
     */
    record Accepted(String user, NtlmSessionSecurity sessionSecurity, boolean encryptionExpected) implements AuthOutcome {
    }

    /** A handshake in progress: a 401 carrying this one {@code WWW-Authenticate} value. */
    record Continue(String wwwAuthenticate) implements AuthOutcome {
    }

    record Refused(boolean closeConnection) implements AuthOutcome {
    }
}
