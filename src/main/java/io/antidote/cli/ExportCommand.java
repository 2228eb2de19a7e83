package io.antidote.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** A run's audit export (JSON Lines, byte for byte as served), for {@code antidote verify} to check offline. */
@Command(name = "export", description = "Download a run's audit export (JSON Lines) for offline verification.")
final class ExportCommand implements Callable<Integer> {

    @Mixin
    Connection connection;

    @Parameters(paramLabel = "RUN", description = "The run's id.")
    String run;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write it (default: standard output).")
    Path output;

    private final Console console;

    ExportCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        try (InputStream export = connection.api().download("api/v1/runs/" + Api.encode(run) + "/export",
                "text/plain")) {
            if (output == null) {
                console.out().print(new String(export.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                console.out().flush();
            } else {
                try (OutputStream file = Files.newOutputStream(output)) {
                    export.transferTo(file);
                }
                console.err().println("Export of run " + run + " written to " + output);
            }
        }
        return Exit.OK;
    }
}
