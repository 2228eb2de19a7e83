package io.antidote.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL cluster of the test's own, on a port of its own, that a test may stop and start: an outage
 * test must never stop the machine's cluster, which other tests and people use. Initialised into a
 * temporary directory as the {@code postgres} OS user (PostgreSQL refuses to run as root), with trust
 * authentication on loopback only. Without the PostgreSQL 15 binaries the application is pointed at the
 * usual test database and {@link #available()} says so, for the test to skip itself.
 */
public class OwnPostgres implements QuarkusTestResourceLifecycleManager {

    static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private static Path dataDir;
    private static int port;

    /** Whether the binaries exist, and so whether the cluster was started. */
    static boolean available() {
        return Files.isExecutable(BIN.resolve("pg_ctl")) && Files.isExecutable(BIN.resolve("initdb"));
    }

    @Override
    public Map<String, String> start() {
        if (!available()) {
            return Map.of();
        }
        try {
            port = freePort();
            dataDir = Files.createTempDirectory("antidote-own-pg");
            run(List.of("chown", "postgres", dataDir.toString()));
            asPostgres(BIN.resolve("initdb").toString(), "-D", dataDir.resolve("data").toString(), "-U", "postgres",
                    "-A", "trust", "--no-sync");
            up();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String reactive = "postgresql://127.0.0.1:" + port + "/postgres";
        String jdbc = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        // Profiled keys too: they would otherwise win over plain ones (the test profile names its database).
        return Map.of("quarkus.datasource.reactive.url", reactive, "quarkus.datasource.jdbc.url", jdbc,
                "%test.quarkus.datasource.reactive.url", reactive, "%test.quarkus.datasource.jdbc.url", jdbc);
    }

    @Override
    public void stop() {
        if (dataDir != null) {
            down();
        }
    }

    /** Starts the cluster and waits until it takes connections. */
    static void up() {
        asPostgres(BIN.resolve("pg_ctl").toString(), "-D", dataDir.resolve("data").toString(), "-w", "-t", "60",
                "-l", dataDir.resolve("server.log").toString(),
                "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dataDir, "start");
    }

    /** Stops the cluster at once: open connections are cut, as in an outage. */
    static void down() {
        asPostgres(BIN.resolve("pg_ctl").toString(), "-D", dataDir.resolve("data").toString(), "-w", "-t", "60",
                "-m", "fast", "stop");
    }

    private static void asPostgres(String... command) {
        List<String> line = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        line.addAll(List.of(command));
        run(line);
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("failed: " + String.join(" ", command));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
