package io.antidote.winrm;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code antidote.credentials.<ref>.*}: credentials by reference, resolved when a script is about to run
 * ({@link CredentialResolver}). A reference named in a properties file may be overridden from the environment
 * ({@code ANTIDOTE_CREDENTIALS_EX01_PASSWORD}); one given only in the environment is found there when it is
 * letters and digits, or, with {@code -}, {@code _} or {@code .} in it, in its quoted form
 * ({@code ANTIDOTE_CREDENTIALS__EXCHANGE_ADMINS__PASSWORD}), which {@link #find} matches by that form.
 */
@ConfigMapping(prefix = "antidote.credentials")
public interface CredentialsConfig {

    /** Every configured reference, by name. */
    @WithParentName
    Map<String, Reference> references();

    interface Reference {
        /** The user, with {@code password}. */
        Optional<String> user();

        /** Its password: from the environment or a secret source, never a file in the image. */
        Optional<String> password();

        /** A Kubernetes secret mount (a directory) or a file with {@code user=} and {@code password=} lines. */
        Optional<String> file();
    }

    /**
     * The reference by its own name or, failing that, by its name in the environment's form (upper case, every
     * character not a letter or digit an underscore), as the environment cannot spell {@code -} or {@code .}.
     */
    default Optional<Reference> find(String reference) {
        Reference exact = references().get(reference);
        if (exact != null) {
            return Optional.of(exact);
        }
        String wanted = environmentForm(reference);
        var alike = references().entrySet().stream().filter(e -> environmentForm(e.getKey()).equals(wanted))
                .map(Map.Entry::getValue).toList();
        // Two references that the environment cannot tell apart: neither is taken for the other.
        return alike.size() == 1 ? Optional.of(alike.get(0)) : Optional.empty();
    }

    private static String environmentForm(String name) {
        return name.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
