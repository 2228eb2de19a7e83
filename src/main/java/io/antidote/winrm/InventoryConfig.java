package io.antidote.winrm;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

import java.util.Map;
import java.util.Optional;

/** Targets from configuration: {@code antidote.targets.<name>.address=...}. */
@ConfigMapping(prefix = "antidote.targets")
public interface InventoryConfig {

    /** Every configured target, by name. */
    @WithParentName
    Map<String, Entry> targets();

    interface Entry {
        /** Host name or IP address of the WinRM listener (optional here so that a gap is reported, not fatal). */
        Optional<String> address();

        /** Listener port; 5986 for HTTPS, 5985 for HTTP when not set. */
        Optional<Integer> port();

        /** HTTPS by default; plain HTTP only where a target explicitly says so. */
        @WithDefault("https")
        String scheme();

        /** basic, ntlm, negotiate or kerberos. */
        @WithDefault("ntlm")
        String auth();

        /** Reference to a credential resolved at execution time (antidote.credentials.<ref>.*). */
        Optional<String> credential();

        /** False turns TLS certificate validation off for this target only (logged as a warning). */
        @WithDefault("true")
        boolean verifyCertificate();

        /** Labels such as version, dag, site, role. */
        Map<String, String> labels();
    }
}
