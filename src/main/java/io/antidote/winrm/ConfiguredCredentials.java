package io.antidote.winrm;

import java.util.Optional;

/**
 * {@code antidote.credentials.<ref>.user} and {@code .password} from configuration, which the environment
 * overrides ({@code ANTIDOTE_CREDENTIALS_<REF>_PASSWORD}); see {@link CredentialsConfig}.
 */
final class ConfiguredCredentials implements CredentialSource {

    private final CredentialsConfig config;

    ConfiguredCredentials(CredentialsConfig config) {
        this.config = config;
    }

    @Override
    public Optional<Credential> find(String reference) {
        Optional<CredentialsConfig.Reference> configured = config.find(reference);
        Optional<String> user = configured.flatMap(CredentialsConfig.Reference::user);
        Optional<String> password = configured.flatMap(CredentialsConfig.Reference::password);
        if (user.isEmpty() || password.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Credential(user.get(), password.get()));
    }
}
