package io.antidote.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends result lines to target/benchmarks/results.txt (and stdout), for bench/run.sh to collect. */
final class BenchReport {

    static final Path FILE = Path.of("target", "benchmarks", "results.txt");

    private BenchReport() {
    }

    static void line(String text) {
        System.out.println("BENCH " + text);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, text + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + FILE, e);
        }
    }
}
