package io.antidote.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The checkpoint public keys ({@code GET /api/v1/audit/keys}), written as PEM files {@code antidote verify} reads. */
@Command(name = "keys", description = "The service's checkpoint public keys; --output-dir writes each as ID.pub (PEM).")
final class KeysCommand implements Callable<Integer> {

    @Mixin
    Connection connection;
    @Mixin
    Printer printer;

    @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR", description = "Write each key to DIR/ID.pub.")
    Path dir;

    @Override
    public Integer call() throws IOException {
        JsonNode keys = connection.api().get("api/v1/audit/keys");
        if (dir != null) {
            Files.createDirectories(dir);
        }
        for (JsonNode key : keys) {
            String id = key.path("id").asText();
            if (!id.matches("[0-9a-f]{1,64}")) {
                throw new CommandFailed(Exit.UNAVAILABLE, "the service named a key '" + id + "', not a key id");
            }
            Path file = dir == null ? null : dir.resolve(id + ".pub");
            if (file != null) {
                Files.writeString(file, key.path("pem").asText(), StandardCharsets.US_ASCII);
            }
            if (!printer.json) {
                printer.line(id + "  " + Printer.text(key, "algorithm") + (key.path("current").asBoolean() ? "  current" : "")
                        + (file == null ? "" : "  " + file));
            }
        }
        if (printer.json) {
            printer.json(keys);
        }
        return Exit.OK;
    }
}
