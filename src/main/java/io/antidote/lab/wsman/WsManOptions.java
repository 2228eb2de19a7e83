package io.antidote.lab.wsman;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * How a lab host authenticates and listens, as a Windows host's WinRM service configuration would
 * say it ({@code Auth/Basic}, {@code Auth/Negotiate}, {@code AllowUnencrypted}, an HTTPS listener).
 *
 * @param authentication the schemes accepted; at least one
 * @param allowUnencryptedNtlm whether an NTLM-authenticated request over plain HTTP may carry a
 *     plaintext body; false, as Windows' default {@code AllowUnencrypted=false}, refuses it with
 *     HTTP 400. Basic over HTTP is always allowed in the lab, and over HTTPS nothing is refused.
 * @param tls the HTTPS listener's key and certificate, or null for plain HTTP
 */
public record WsManOptions(Set<Authentication> authentication, boolean allowUnencryptedNtlm, WsManTls tls) {

    /** The HTTP authentication schemes a lab host can accept. */
    public enum Authentication {
        /** HTTP Basic, sent pre-emptively. */
        BASIC,
        /** NTLM (sent by clients as {@code Negotiate} or {@code NTLM}), with MS-WSMV message encryption. */
        NTLM
    }

    public WsManOptions {
        Objects.requireNonNull(authentication, "authentication");
        if (authentication.isEmpty()) {
            throw new IllegalArgumentException("a lab host must accept at least one authentication scheme");
        }
        authentication = Set.copyOf(authentication);
    }

    /** Basic and NTLM over plain HTTP, NTLM bodies encrypted: a Windows host set up for the lab. */
    public static WsManOptions labDefaults() {
        return new WsManOptions(EnumSet.allOf(Authentication.class), false, null);
    }

    public WsManOptions withAuthentication(Authentication first, Authentication... more) {
        return new WsManOptions(EnumSet.of(first, more), allowUnencryptedNtlm, tls);
    }

    public WsManOptions withUnencryptedNtlmAllowed(boolean allowed) {
        return new WsManOptions(authentication, allowed, tls);
    }

    /** Listens with HTTPS (Windows' port 5986 listener) instead of plain HTTP. */
    public WsManOptions withTls(WsManTls tls) {
        return new WsManOptions(authentication, allowUnencryptedNtlm, Objects.requireNonNull(tls, "tls"));
    }

    public boolean https() {
        return tls != null;
    }

    boolean accepts(Authentication scheme) {
        return authentication.contains(scheme);
    }
}
