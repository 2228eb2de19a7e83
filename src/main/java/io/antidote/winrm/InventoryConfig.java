package io.antidote.winrm;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;

import java.util.Map;
import java.util.Optional;

/**
 * Targets from configuration: {@code antidote.targets.<name>.address=...}. For a target the inventory file
 * also lists, each property set here overrides that field of the file's entry (labels are merged), so the
 * environment can change one field: {@code ANTIDOTE_TARGETS_EX01_ADDRESS=10.0.0.9}.
 */
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
        Optional<String> scheme();

        /** basic (https only), ntlm (default), negotiate or kerberos. */
        Optional<String> auth();

        /** Reference to a credential resolved at execution time (antidote.credentials.<ref>.*). */
        Optional<String> credential();

        /** False turns TLS certificate validation off for this target only (logged as a warning). */
        Optional<Boolean> verifyCertificate();

        /** Labels such as version, dag, site, role. */
        Map<String, String> labels();
    }
}
