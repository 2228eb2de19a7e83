package io.antidote.engine;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real crash: the packaged service is killed with SIGKILL while a step runs on a lab server, then started
 * again on the same database (no Flyway clean). The run must go on by itself: the attempt whose outcome was
 * lost is closed as interrupted and, the step being idempotent, run again; the history has no gap and
 * exactly one outcome per attempt.
 *
 * <p>Runs in {@code verify} (Failsafe), once {@code target/quarkus-app/quarkus-run.jar} exists. The child
 * process uses the test profile, with a database of its own ({@link ScratchDatabase}: no other live replica
 * may adopt the killed process's run) and a playbook directory of its own.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.antidote.identity.TestIdentity.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CrashRecoveryIT {

    static final String PLAYBOOK = """
            name: crash-drill
            description: Two quick steps around a slow idempotent one, to kill the service in the middle.
            steps:
              - id: before
                timeout: 1m
                powershell: Write-Output 'before'
              - id: slow
                timeout: 2m
                idempotent: true
                powershell: |
                  Start-Sleep -Seconds 6
                  Write-Output 'slow step done'
              - id: after
                timeout: 1m
                powershell: Write-Output 'after'
            """;

    @TempDir
    Path dir;
    private final List<Process> started = new ArrayList<>();
    private ScratchDatabase database;

    @BeforeEach
    void createDatabase() throws Exception {
        database = ScratchDatabase.create("crash_recovery");
    }

    @AfterEach
    void stop() throws Exception {
        for (Process process : started) {
            process.destroyForcibly().waitFor();
        }
        database.close();
    }

    @Test
    void a_run_killed_during_a_step_goes_on_after_a_restart_with_no_gap_and_one_outcome_per_attempt() throws Exception {
        Files.writeString(dir.resolve("crash-drill.yaml"), PLAYBOOK);
        int port = freePort();

        Process first = start(port, true, "first");
        awaitReady(port);
        String runId = api(port).contentType(ContentType.JSON)
                .body(Map.of("playbook", "crash-drill", "targets", List.of("lab-ex01")))
                .post("/api/v1/runs").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> events(port, runId)
                .stream().anyMatch(e -> "StepStarted".equals(e.get("type")) && "slow".equals(e.get("step"))));

        first.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no last write
        assertThat(first.waitFor()).as("exit status of a process killed by SIGKILL").isEqualTo(128 + 9);

        start(port, false, "second");
        awaitReady(port);
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).until(() -> List.of("SUCCEEDED",
                "FAILED", "CANCELLED").contains(api(port).get("/api/v1/runs/{id}", runId).then().statusCode(200)
                .extract().<String>path("status")));

        List<Map<String, Object>> events = events(port, runId);
        assertThat(api(port).get("/api/v1/runs/{id}", runId).then().extract().<String>path("status"))
                .as("status after %s", events).isEqualTo("SUCCEEDED");
        ReplicasIT.assertGapFreeAndChained(events);
        assertThat(events).extracting(e -> e.get("type") + " " + e.get("step") + " " + e.get("attempt"))
                .as("the slow step's story").containsSubsequence("StepStarted slow 1", "StepInterrupted slow 1",
                        "StepStarted slow 2", "StepSucceeded slow 2", "StepStarted after 1");
        ReplicasIT.assertOneOutcomePerAttempt(events);
    }

    private Process start(int port, boolean fresh, String name) throws IOException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertThat(jar).as("the packaged service (mvn verify builds it before this test)").exists();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.profile=test",
                "-Dquarkus.http.port=" + port,
                "-D%test.quarkus.flyway.clean-at-start=" + fresh));
        command.addAll(database.options());
        command.addAll(List.of(
                "-Dantidote.playbooks.dir=" + dir.toAbsolutePath(),
                // The slow step sleeps for real, so that there is a moment to kill the service in.
                "-Dantidote.lab.real-time-sleep=true",
                "-jar", jar.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "crash-recovery-" + name + ".log").toFile())
                .start();
        started.add(process);
        return process;
    }

    private static void awaitReady(int port) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> api(port).get("/q/health/ready").statusCode() == 200);
    }

    private static List<Map<String, Object>> events(int port, String runId) {
        return api(port).get("/api/v1/runs/{id}/events", runId).then().statusCode(200).extract().jsonPath().getList("");
    }

    private static RequestSpecification api(int port) {
        return RestAssured.given().baseUri("http://127.0.0.1").port(port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
