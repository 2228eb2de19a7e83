package io.antidote.winrm;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Resolves a credential reference when a script is about to run, asking each {@link CredentialSource} in
 * turn: configuration ({@code antidote.credentials.<ref>.user/.password}, overridden by the environment),
 * then files ({@code antidote.credentials.<ref>.file}), then any {@link CredentialSource} bean. Errors name
 * the reference, never a value.
 */
@ApplicationScoped
public class CredentialResolver {

    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final List<CredentialSource> sources;

    @Inject
    CredentialResolver(CredentialsConfig config, Instance<CredentialSource> more) {
        List<CredentialSource> all = new ArrayList<>();
        all.add(new ConfiguredCredentials(config));
        all.add(new FileCredentials(ref -> config.find(ref).flatMap(CredentialsConfig.Reference::file)));
        more.forEach(all::add);
        this.sources = List.copyOf(all);
    }

    private CredentialResolver(List<CredentialSource> sources) {
        this.sources = List.copyOf(sources);
    }

    public static CredentialResolver of(CredentialSource... sources) {
        return new CredentialResolver(List.of(sources));
    }

    /** A file-backed source for tests and embedding: the reference's file or directory, if any. */
    public static CredentialSource files(java.util.function.Function<String, Optional<String>> locations) {
        return new FileCredentials(locations);
    }

    public Credential resolve(String reference) {
        if (reference == null || !REFERENCE.matcher(reference).matches()) {
            throw new UnresolvedCredentialException(String.valueOf(reference), "not a valid credential reference");
        }
        for (CredentialSource source : sources) {
            Optional<Credential> found = source.find(reference);
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new UnresolvedCredentialException(reference, "not configured (antidote.credentials." + reference
                + ".user / .password, or .file)");
    }

    /** Names the reference, never a value. */
    public static class UnresolvedCredentialException extends RuntimeException {
        public UnresolvedCredentialException(String reference) {
            this(reference, "not configured");
        }

        public UnresolvedCredentialException(String reference, String why) {
            super("credential '" + (REFERENCE.matcher(reference).matches() ? reference : "(invalid reference)")
                    + "': " + why);
        }
    }
}
