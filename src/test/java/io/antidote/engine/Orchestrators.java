package io.antidote.engine;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Service processes for real, started from the packaged jar on one database of their own
 * ({@link ScratchDatabase}): a lab process (engine off) whose hosts outlive any orchestrator, and orchestrator
 * replicas that can be killed and started again. Each process logs to {@code target/<purpose>-<name>.log}.
 *
 * <p>Every replica signs with one key made here, as a deployment mounts one: with a key of its own each, a
 * survivor could not verify a dead owner's checkpoints and would refuse to extend its runs. Heartbeat 1 s and
 * expiry 4 s (3 s and 15 s in production), so that adoption is quick enough to test.
 */
final class Orchestrators implements AutoCloseable {

    private final String purpose;
    private final ScratchDatabase database;
    private final Path playbooks;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Path signingKey;
    private final String publicKey;

    private Orchestrators(String purpose, ScratchDatabase database, Path playbooks, Path signingKey,
                          String publicKey) {
        this.purpose = purpose;
        this.database = database;
        this.playbooks = playbooks;
        this.signingKey = signingKey;
        this.publicKey = publicKey;
    }

    /** @param playbooks the directory every replica reads its playbooks from */
    static Orchestrators create(String purpose, Path playbooks) throws SQLException, IOException {
        KeyPair pair;
        try {
            pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java 17 runtime has Ed25519", e);
        }
        Path key = Files.createTempFile(purpose + "-signing", ".key",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(key, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
        return new Orchestrators(purpose, ScratchDatabase.create(purpose), playbooks, key,
                Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
    }

    /**
     * The lab in a process of its own, engine off; it cleans the database once, replicas then share it as it is.
     * Start-Sleep sleeps for real there, so that steps take time to kill a replica in.
     *
     * @param firstHostPort where the lab's own fleet (lab-ex01 to lab-ex03) listens, one port after another
     */
    int startLab(int firstHostPort) throws IOException {
        int port = freePort();
        start("lab", port, List.of(
                "-D%test.quarkus.flyway.clean-at-start=true",
                "-Dantidote.engine.enabled=false",
                "-D%test.antidote.lab.first-port=" + firstHostPort,
                "-Dantidote.lab.real-time-sleep=true"));
        awaitReady("lab");
        return port;
    }

    /**
     * An orchestrator replica, lab off, on a free port.
     *
     * @param options more system properties: its targets, settings of the test's own
     */
    void startReplica(String name, List<String> options) throws IOException {
        List<String> all = new ArrayList<>(List.of(
                "-D%test.quarkus.flyway.clean-at-start=false",
                "-D%test.antidote.lab.enabled=false",
                "-Dantidote.playbooks.dir=" + playbooks.toAbsolutePath(),
                "-D%test.antidote.engine.ownership.heartbeat-interval=1s",
                "-D%test.antidote.engine.ownership.expiry=4s",
                "-Dantidote.audit.signing-key-file=" + signingKey.toAbsolutePath(),
                "-Dantidote.audit.public-key=" + publicKey));
        all.addAll(options);
        start(name, freePort(), all);
    }

    /** The system properties that make {@code name} a target at a lab host on {@code port}. */
    static List<String> labTarget(String name, int port) {
        String prefix = "-Dantidote.targets." + name + ".";
        return List.of(prefix + "address=127.0.0.1", prefix + "port=" + port, prefix + "scheme=http",
                prefix + "auth=ntlm", prefix + "credential=lab");
    }

    private void start(String name, int port, List<String> options) throws IOException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertThat(jar).as("the packaged service (mvn verify builds it before this test)").exists();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.profile=test",
                "-Dquarkus.http.port=" + port));
        command.addAll(database.options());
        command.addAll(options);
        command.addAll(List.of("-jar", jar.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logFile(name).toFile())
                .start();
        processes.put(name, process);
        ports.put(name, port);
    }

    int port(String name) {
        return ports.get(name);
    }

    /** Every process started, killed or not, in the order they started. */
    List<String> names() {
        return List.copyOf(processes.keySet());
    }

    Process process(String name) {
        return processes.get(name);
    }

    /** SIGKILL: no shutdown hook, no last write; its lease just expires. */
    void kill(String name) throws InterruptedException {
        Process process = processes.get(name);
        process.destroyForcibly();
        assertThat(process.waitFor()).as("exit status of %s, killed by SIGKILL", name).isEqualTo(128 + 9);
    }

    private Path logFile(String name) {
        return Path.of("target", purpose + "-" + name + ".log");
    }

    String log(String name) throws IOException {
        return Files.readString(logFile(name));
    }

    void awaitReady(String name) {
        int port = port(name);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> api(port).get("/q/health/ready").statusCode() == 200);
    }

    /** Whether the process is alive and answers ready now. */
    boolean ready(String name) {
        if (!processes.get(name).isAlive()) {
            return false;
        }
        try {
            return api(port(name)).get("/q/health/ready").statusCode() == 200;
        } catch (Exception notListening) {
            // RestAssured throws the socket's ConnectException unchecked, undeclared.
            return false;
        }
    }

    static RequestSpecification api(int port) {
        return RestAssured.given().baseUri("http://127.0.0.1").port(port);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The first of {@code n} consecutive ports free now, for the lab's hosts. */
    static int freeConsecutivePorts(int n) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = freePort();
            boolean free = true;
            for (int i = 1; i < n && free; i++) {
                try (ServerSocket ignored = new ServerSocket(first + i)) {
                    free = true;
                } catch (IOException taken) {
                    free = false;
                }
            }
            if (free) {
                return first;
            }
        }
        throw new IOException("no " + n + " consecutive free ports found");
    }

    @Override
    public void close() throws Exception {
        for (Process process : processes.values()) {
            process.destroyForcibly().waitFor();
        }
        Files.deleteIfExists(signingKey);
        database.close();
    }
}
