package io.antidote.winrm;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * An Exchange server Antidote may act on: where its WinRM listener is, how to authenticate, and the
 * labels used to select and order targets (version, DAG, site, role). The credential is a reference,
 * resolved only when a script runs, so that no secret travels with a target.
 */
public record Target(String name, String address, int port, Scheme scheme, AuthScheme auth, String credential,
                     Map<String, String> labels, boolean verifyCertificate) {

    /** Target names end up in events, URLs and log lines: keep them to host-name characters. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,62}");

    public Target {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("target name must match " + NAME.pattern());
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("target '" + name + "': port must be between 1 and 65535");
        }
        labels = Map.copyOf(labels);
    }

    /** A target whose HTTPS certificate is validated, as every target's is unless it says otherwise. */
    public Target(String name, String address, int port, Scheme scheme, AuthScheme auth, String credential,
                  Map<String, String> labels) {
        this(name, address, port, scheme, auth, credential, labels, true);
    }

    public enum Scheme { HTTP, HTTPS }

    /** As WinRM4j names them (its AuthSchemes constants). */
    public enum AuthScheme {
        BASIC("Basic"), NTLM("NTLM"), NEGOTIATE("Negotiate"), KERBEROS("Kerberos");

        private final String winRm4jName;

        AuthScheme(String winRm4jName) {
            this.winRm4jName = winRm4jName;
        }

        public String winRm4jName() {
            return winRm4jName;
        }
    }
}
