package io.antidote.winrm;

import org.eclipse.microprofile.config.Config;

import java.util.Optional;

/**
 * {@code antidote.credentials.<ref>.user} and {@code .password} from configuration, which the environment
 * overrides ({@code ANTIDOTE_CREDENTIALS_<REF>_PASSWORD}).
 */
final class ConfiguredCredentials implements CredentialSource {

    private final Config config;

    ConfiguredCredentials(Config config) {
        this.config = config;
    }

    @Override
    public Optional<Credential> find(String reference) {
        Optional<String> user = config.getOptionalValue("antidote.credentials." + reference + ".user", String.class);
        Optional<String> password = config.getOptionalValue("antidote.credentials." + reference + ".password", String.class);
        if (user.isEmpty() || password.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Credential(user.get(), password.get()));
    }
}
