package io.antidote.winrm;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;

/**
 * Resolves a credential reference when a script is about to run, from configuration: properties
 * {@code antidote.credentials.<ref>.user} and {@code .password}, which the environment overrides
 * ({@code ANTIDOTE_CREDENTIALS_<REF>_PASSWORD}, e.g. from a Kubernetes secret).
 */
@ApplicationScoped
public class CredentialResolver {

    private final Config config;

    CredentialResolver(Config config) {
        this.config = config;
    }

    public Credential resolve(String reference) {
        String user = config.getOptionalValue("antidote.credentials." + reference + ".user", String.class)
                .orElseThrow(() -> new UnresolvedCredentialException(reference));
        String password = config.getOptionalValue("antidote.credentials." + reference + ".password", String.class)
                .orElseThrow(() -> new UnresolvedCredentialException(reference));
        return new Credential(user, password);
    }

    /** Names the reference, never a value. */
    public static class UnresolvedCredentialException extends RuntimeException {
        public UnresolvedCredentialException(String reference) {
            super("credential '" + reference + "' is not configured (antidote.credentials." + reference
                    + ".user / .password)");
        }
    }
}
