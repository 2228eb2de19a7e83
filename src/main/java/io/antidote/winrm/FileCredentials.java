package io.antidote.winrm;

import io.antidote.winrm.CredentialResolver.UnresolvedCredentialException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Credentials in files, read every time one is needed so that a rotated secret is picked up:
 * {@code antidote.credentials.<ref>.file} names either a directory holding {@code username} (or
 * {@code user}) and {@code password} files, as a Kubernetes secret mount does, or one file with the lines
 * {@code user=...} and {@code password=...}. A trailing line break is not part of a value.
 */
final class FileCredentials implements CredentialSource {

    private final Function<String, Optional<String>> locations;

    /** @param locations the configured path for a reference, if any */
    FileCredentials(Function<String, Optional<String>> locations) {
        this.locations = locations;
    }

    @Override
    public Optional<Credential> find(String reference) {
        return locations.apply(reference).map(location -> read(reference, Path.of(location)));
    }

    private static Credential read(String reference, Path location) {
        try {
            if (Files.isDirectory(location)) {
                Path user = Files.exists(location.resolve("username")) ? location.resolve("username") : location.resolve("user");
                return new Credential(value(Files.readString(user)), value(Files.readString(location.resolve("password"))));
            }
            String user = null;
            String password = null;
            for (String line : Files.readAllLines(location)) {
                if (line.startsWith("user=")) {
                    user = line.substring("user=".length());
                } else if (line.startsWith("password=")) {
                    password = line.substring("password=".length());
                }
            }
            if (user == null || password == null) {
                throw new UnresolvedCredentialException(reference, "the file " + location
                        + " must hold a user= line and a password= line");
            }
            return new Credential(user, password);
        } catch (IOException e) {
            // The exception names the path, never what was read.
            throw new UnresolvedCredentialException(reference, "cannot read " + location + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static String value(String text) {
        return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }
}
