package io.antidote.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import java.util.Set;

/**
 * The server and token {@code antidote login} stored. The file is created readable by its owner only (0600, in a
 * 0700 directory) before the token is written into it, so that the token is never readable by anyone else, not
 * even for a moment; the token itself is never printed.
 */
record Settings(URI server, String token) {

    static final Settings NONE = new Settings(null, null);

    static Settings read(Path file) {
        if (!Files.isRegularFile(file)) {
            return NONE;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new CommandFailed(Exit.USAGE, "cannot read " + file + ": " + e.getMessage());
        }
        String server = properties.getProperty("server");
        return new Settings(server == null ? null : URI.create(server), properties.getProperty("token"));
    }

    void write(Path file) {
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path temporary = Files.createTempFile(dir, ".config", ".tmp", PosixFilePermissions.asFileAttribute(ownerOnly));
            try {
                Properties properties = new Properties();
                properties.setProperty("server", server.toString());
                properties.setProperty("token", token);
                try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                    properties.store(writer, "antidote login: the server and its API token (keep this file private)");
                }
                try {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
            Files.setPosixFilePermissions(file, ownerOnly);
        } catch (IOException | UnsupportedOperationException e) {
            throw new CommandFailed(Exit.FAILED, "cannot write " + file + ": " + e.getMessage());
        }
    }
}
