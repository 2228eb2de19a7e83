package io.antidote.winrm;

import java.util.Optional;

/**
 * One place credentials live (configuration, mounted secret files, a vault...). Implement it as a CDI bean
 * to add a source: {@link CredentialResolver} asks every source in turn. Implementations never put a
 * secret value in an exception message or a log line.
 */
public interface CredentialSource {

    /** The credential this source holds under the reference, or empty when it holds none. */
    Optional<Credential> find(String reference);
}
