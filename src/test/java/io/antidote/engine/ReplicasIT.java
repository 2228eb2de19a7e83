package io.antidote.engine;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replicas for real: orchestrator processes started from the packaged jar on one database, and the lab hosts
 * in a process of their own (engine off), so that an orchestrator can be killed while the hosts keep their
 * state and their command logs. Each replica knows the three lab hosts from configuration.
 *
 * <p>In order: a replica starting while another carries a run leaves that run alone; an approval and a cancel
 * sent to the replica that does not carry the run take effect on its owner; the owner killed with
 * SIGKILL in the middle of a step, a survivor adopts its run within 30 s and the run succeeds with no
 * change-making script run twice; a rolling update (a new replica up, the old one sent SIGTERM in the middle
 * of a step) drains the step, records its outcome, and the new replica finishes the run with no step run
 * twice and nothing failed. Heartbeat 1 s and expiry 4 s here (3 s and 15 s in production), drain time 20 s.
 *
 * <p>Runs in {@code verify} (Failsafe), once {@code target/quarkus-app/quarkus-run.jar} exists; the
 * processes share a database of their own ({@link ScratchDatabase}), on the test profile's server: no other
 * replica may adopt what they let go.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.antidote.identity.TestIdentity.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReplicasIT {

    static final List<String> HOSTS = List.of("lab-ex01", "lab-ex02", "lab-ex03");
    /** The production default. */
    static final Duration DRAIN_TIME = Duration.ofSeconds(20);

    /**
     * Quick changes around a slow read-only survey: long enough to start a replica during it (a replica takes
     * up to a minute to start on a loaded 2-core machine), or to kill one.
     */
    static String playbook(String name, String survey) {
        return String.join("\n",
                "name: " + name,
                "description: Two changes around a slow read-only survey, on every host at once.",
                "strategy:",
                "  batchSize: 100%",
                "steps:",
                "  - id: mark",
                "    timeout: 1m",
                "    powershell: Write-Output 'owner-drill-mark'",
                "  - id: survey",
                "    timeout: 3m",
                "    idempotent: true",
                "    powershell: |",
                survey.indent(6).stripTrailing(),
                "      Write-Output 'owner-drill-survey'",
                "  - id: fix",
                "    timeout: 1m",
                "    powershell: Write-Output 'owner-drill-fix'",
                "");
    }

    /** Isolate, then a patch that waits for an approval, then restore: a command to the run lands at the gate. */
    static final String GATED = String.join("\n",
            "name: gated",
            "description: Isolate, a patch an approver lets through, restore; on every host at once.",
            "strategy:",
            "  batchSize: 100%",
            "steps:",
            "  - id: isolate",
            "    timeout: 1m",
            "    powershell: Write-Output 'owner-drill-isolate'",
            "  - id: patch",
            "    timeout: 1m",
            "    approval:",
            "      role: approver",
            "    powershell: Write-Output 'owner-drill-patch'",
            "  - id: restore",
            "    timeout: 1m",
            "    powershell: Write-Output 'owner-drill-restore'",
            "");

    private Orchestrators processes;
    private int labPort;
    private int firstHostPort;

    @BeforeAll
    void startLabAndFirstReplica() throws Exception {
        Path dir = Files.createTempDirectory("antidote-replicas");
        // The lab sleeps for real at most 30 s per Start-Sleep.
        Files.writeString(dir.resolve("long-survey.yaml"), playbook("long-survey",
                "Start-Sleep -Seconds 30\nStart-Sleep -Seconds 30"));
        Files.writeString(dir.resolve("survey.yaml"), playbook("survey", "Start-Sleep -Seconds 10"));
        Files.writeString(dir.resolve("gated.yaml"), GATED);
        processes = Orchestrators.create("replicas", dir);
        firstHostPort = Orchestrators.freeConsecutivePorts(HOSTS.size());
        labPort = processes.startLab(firstHostPort);
        startReplica("a");
        processes.awaitReady("a");
    }

    @AfterAll
    void stopAll() throws Exception {
        processes.close();
    }

    @Test
    @Order(1)
    void a_replica_starting_while_another_carries_a_run_leaves_that_run_alone() throws Exception {
        Map<String, List<String>> before = scripts();
        String run = request(port("a"), "long-survey");
        awaitStepStarted(port("a"), run, "survey", HOSTS.size());

        startReplica("b");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> log("b").contains("heartbeat every"));
        // A fixed window, not a wait for a condition: b looks for runs to adopt three times in it, and must
        // leave a's run alone every time.
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
        assertThat(types(events(port("a"), run)))
                .as("a's run once b has looked for runs to adopt (the survey must still be running then; if "
                        + "not, b started too late for this test to show anything)")
                .noneMatch(t -> t.startsWith("StepSucceeded survey") || t.startsWith("StepInterrupted"));
        awaitReady(port("b"));

        awaitFinished(port("a"), run, Duration.ofSeconds(120));
        List<Map<String, Object>> events = events(port("a"), run);
        assertThat(status(port("a"), run)).as("status after %s", types(events)).isEqualTo("SUCCEEDED");
        assertThat(types(events)).as("events of the run").noneMatch(t -> t.startsWith("StepInterrupted"));
        assertOneOutcomePerAttempt(events);
        Map<String, List<String>> after = scripts();
        for (String host : HOSTS) {
            for (String step : List.of("mark", "survey", "fix")) {
                assertThat(ran(before, after, host, step)).as("times %s ran %s", host, step).isEqualTo(1);
            }
        }
        assertThat(log("b")).as("b's log").doesNotContain("Resuming run " + run).doesNotContain(run + " could not");
    }

    @Test
    @Order(2)
    void approve_and_cancel_sent_to_the_replica_that_does_not_carry_the_run_take_effect_on_its_owner() {
        int a = port("a");
        int b = port("b");
        Map<String, List<String>> before = scripts();

        String approved = request(a, "gated");
        awaitWaitingApproval(a, approved);
        // The owner's decider refuses the requester's own approval; b answers its refusal, as a would have.
        api(b).contentType(ContentType.JSON).body(Map.of("step", "patch", "decision", "APPROVE"))
                .post("/api/v1/runs/{id}/approvals", approved)
                .then().statusCode(403).body("type", org.hamcrest.Matchers.endsWith("not-allowed"))
                .body("detail", org.hamcrest.Matchers.containsString("requested this run"));
        io.antidote.identity.TestIdentity.as("approver-1", io.antidote.identity.Roles.APPROVER)
                .baseUri("http://127.0.0.1").port(b).contentType(ContentType.JSON)
                .body(Map.of("step", "patch", "decision", "APPROVE", "comment", "sent to b"))
                .post("/api/v1/runs/{id}/approvals", approved)
                .then().statusCode(200).body("id", org.hamcrest.Matchers.equalTo(approved));
        awaitFinished(a, approved, Duration.ofSeconds(60));
        List<Map<String, Object>> approvedEvents = events(a, approved);
        assertThat(status(a, approved)).as("status after %s", types(approvedEvents)).isEqualTo("SUCCEEDED");
        assertThat(approvedEvents).as("approvals recorded, with who approved")
                .filteredOn(e -> "ApprovalGranted".equals(e.get("type"))).hasSize(HOSTS.size())
                .allSatisfy(e -> {
                    assertThat(e).containsEntry("actor", "approver-1");
                    assertThat(((Map<?, ?>) e.get("data")).get("comment")).isEqualTo("sent to b");
                });
        assertGapFreeAndChained(approvedEvents);

        String cancelled = request(a, "gated");
        awaitWaitingApproval(a, cancelled);
        api(b).contentType(ContentType.JSON).body(Map.of()).post("/api/v1/runs/{id}/cancel", cancelled)
                .then().statusCode(200).body("id", org.hamcrest.Matchers.equalTo(cancelled));
        awaitFinished(a, cancelled, Duration.ofSeconds(30));
        List<Map<String, Object>> cancelledEvents = events(a, cancelled);
        assertThat(status(a, cancelled)).as("status after %s", types(cancelledEvents)).isEqualTo("CANCELLED");
        assertThat(cancelledEvents).filteredOn(e -> "CancelRequested".equals(e.get("type"))).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("actor", io.antidote.identity.TestIdentity.TESTER));
        assertThat(types(cancelledEvents)).as("the cancelled run's events").noneMatch(t -> t.startsWith("StepStarted patch")
                || t.startsWith("StepStarted restore"));

        // The hosts' command logs: both runs isolated each host; only the approved one patched and restored it,
        // the cancelled one left it isolated, unpatched, not returned to service.
        Map<String, List<String>> after = scripts();
        for (String host : HOSTS) {
            assertThat(ran(before, after, host, "isolate")).as("times %s was isolated", host).isEqualTo(2);
            assertThat(ran(before, after, host, "patch")).as("times %s was patched", host).isEqualTo(1);
            assertThat(ran(before, after, host, "restore")).as("times %s was returned to service", host).isEqualTo(1);
            List<String> since = after.get(host).subList(before.get(host).size(), after.get(host).size());
            assertThat(since.get(since.size() - 1)).as("%s's last command: the cancelled run's isolation", host)
                    .contains("owner-drill-isolate");
        }
        try {
            assertThat(log("a")).as("a's log: it decided both commands b received")
                    .contains("Run " + approved + ": DecideApproval of approver-1, received by another replica, applied")
                    .contains("Run " + cancelled + ": Cancel of " + io.antidote.identity.TestIdentity.TESTER
                            + ", received by another replica, applied");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @Order(3)
    void the_runs_of_a_killed_replica_are_adopted_within_30_s_and_succeed_with_no_change_made_twice() throws Exception {
        Map<String, List<String>> before = scripts();
        String run = request(port("a"), "survey");
        awaitStepStarted(port("a"), run, "survey", HOSTS.size());
        // The kill must land while the survey runs on the hosts, not between its StepStarted and the command
        // reaching them: the hosts' command logs are the witness.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Map<String, List<String>> now = scripts();
            return HOSTS.stream().allMatch(host -> ran(before, now, host, "survey") == 1);
        });

        Instant killedAt = Instant.now();
        processes.kill("a");

        int b = port("b");
        awaitFinished(b, run, Duration.ofSeconds(90));
        List<Map<String, Object>> events = events(b, run);
        assertThat(status(b, run)).as("status after %s", types(events)).isEqualTo("SUCCEEDED");
        assertGapFreeAndChained(events);
        assertOneOutcomePerAttempt(events);
        // The survivor's first word on the lost attempt: interrupted, or (a marker to probe) outcome unknown.
        Instant adopted = events.stream().filter(e -> List.of("StepInterrupted", "StepOutcomeUnknown").contains(e.get("type")))
                .map(e -> Instant.parse((String) e.get("occurredAt"))).min(Instant::compareTo).orElseThrow();
        assertThat(Duration.between(killedAt, adopted)).as("from the kill to the survivor's recovery")
                .isLessThan(Duration.ofSeconds(30));
        assertThat(log("b")).as("b's log").contains("Resuming run " + run);

        Map<String, List<String>> after = scripts();
        for (String host : HOSTS) {
            assertThat(ran(before, after, host, "mark")).as("times %s ran the change 'mark'", host).isEqualTo(1);
            assertThat(ran(before, after, host, "fix")).as("times %s ran the change 'fix'", host).isEqualTo(1);
        }
        // The survey runs inside a marker: if its probe found it finished on the host, that outcome is recorded
        // and it does not run again; otherwise it runs again (it is idempotent). Either way once more at most.
        for (String host : HOSTS) {
            boolean foundFinished = events.stream().anyMatch(e -> "StepSucceeded".equals(e.get("type"))
                    && "survey".equals(e.get("step")) && host.equals(e.get("target"))
                    && ((Number) e.get("attempt")).intValue() == 1);
            assertThat(ran(before, after, host, "survey")).as("times %s ran the survey (its probe found it %s)",
                    host, foundFinished ? "finished" : "not finished").isEqualTo(foundFinished ? 1 : 2);
        }
        assertThat(types(events)).as("the run's story").containsSubsequence("StepStarted survey 1",
                "StepStarted fix 1", "StepSucceeded fix 1");
    }

    @Test
    @Order(4)
    void sigterm_in_the_middle_of_a_step_drains_it_records_its_outcome_and_a_new_replica_finishes_the_run()
            throws Exception {
        startReplica("c");
        awaitReady(port("c"));
        Map<String, List<String>> before = scripts();
        int b = port("b");
        String run = request(b, "survey");
        awaitStepStarted(b, run, "survey", HOSTS.size());

        Instant terminatedAt = Instant.now();
        Process old = processes.process("b");
        old.destroy(); // SIGTERM, as Kubernetes does in a rolling update
        assertThat(old.waitFor(DRAIN_TIME.toSeconds() + 15, java.util.concurrent.TimeUnit.SECONDS))
                .as("b stopped within its drain time and the rest of its shutdown").isTrue();
        Instant stoppedAt = Instant.now();
        assertThat(log("b")).as("b's log").contains("every step in flight finished and its outcome is stored")
                .contains("let its runs go");

        int c = port("c");
        awaitFinished(c, run, Duration.ofSeconds(60));
        List<Map<String, Object>> events = events(c, run);
        assertThat(status(c, run)).as("status after %s", types(events)).isEqualTo("SUCCEEDED");
        assertGapFreeAndChained(events);
        assertOneOutcomePerAttempt(events);
        assertThat(types(events)).as("events of the run").noneMatch(t -> t.startsWith("StepInterrupted")
                || t.startsWith("StepFailed") || t.startsWith("StepTimedOut") || t.startsWith("TargetFailed"));
        List<Instant> surveyed = events.stream()
                .filter(e -> "StepSucceeded".equals(e.get("type")) && "survey".equals(e.get("step")))
                .map(e -> Instant.parse((String) e.get("occurredAt"))).toList();
        assertThat(surveyed).as("survey outcomes, recorded by b while it drained").hasSize(HOSTS.size())
                .allSatisfy(at -> assertThat(at).isBetween(terminatedAt, stoppedAt));
        assertThat(log("c")).as("c's log: it adopted the run b let go").contains("Resuming run " + run);
        Map<String, List<String>> after = scripts();
        for (String host : HOSTS) {
            for (String step : List.of("mark", "survey", "fix")) {
                assertThat(ran(before, after, host, step)).as("times %s ran %s", host, step).isEqualTo(1);
            }
        }
    }

    // --- processes ---

    private void startReplica(String name) throws IOException {
        List<String> options = new ArrayList<>(List.of("-D%test.antidote.engine.drain-time=" + DRAIN_TIME.toSeconds() + "s"));
        for (int i = 0; i < HOSTS.size(); i++) {
            options.addAll(Orchestrators.labTarget(HOSTS.get(i), firstHostPort + i));
        }
        processes.startReplica(name, options);
    }

    private int port(String name) {
        return processes.port(name);
    }

    private String log(String name) throws IOException {
        return processes.log(name);
    }

    private static void awaitReady(int port) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> api(port).get("/q/health/ready").statusCode() == 200);
    }

    // --- runs ---

    private static String request(int port, String playbook) {
        return api(port).contentType(ContentType.JSON)
                .body(Map.of("playbook", playbook, "targets", HOSTS))
                .post("/api/v1/runs").then().statusCode(202).extract().path("id");
    }

    private static void awaitStepStarted(int port, String run, String step, int targets) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> events(port, run)
                .stream().filter(e -> "StepStarted".equals(e.get("type")) && step.equals(e.get("step"))).count()
                == targets);
    }

    /** Every host waits at the gate: an approval without a target then lets them all through at once. */
    private static void awaitWaitingApproval(int port, String run) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> events(port, run)
                .stream().filter(e -> "ApprovalRequested".equals(e.get("type"))).count() == HOSTS.size());
    }

    private static void awaitFinished(int port, String run, Duration within) {
        try {
            await().atMost(within).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(status(port, run)));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("run " + run + " not finished within " + within + "; its events: "
                    + types(events(port, run)), e);
        }
    }

    private static String status(int port, String run) {
        return api(port).get("/api/v1/runs/{id}", run).then().statusCode(200).extract().path("status");
    }

    static List<Map<String, Object>> events(int port, String run) {
        return api(port).get("/api/v1/runs/{id}/events", run).then().statusCode(200).extract().jsonPath().getList("");
    }

    private static List<String> types(List<Map<String, Object>> events) {
        return events.stream().map(e -> e.get("type") + (e.get("step") == null ? "" : " " + e.get("step")
                + " " + e.get("attempt"))).toList();
    }

    static void assertGapFreeAndChained(List<Map<String, Object>> events) {
        String previous = "0".repeat(64);
        for (int i = 0; i < events.size(); i++) {
            Map<String, Object> e = events.get(i);
            assertThat(((Number) e.get("seq")).longValue()).as("seq of event %d", i).isEqualTo(i + 1L);
            assertThat(e.get("prevHash")).as("prevHash of seq %d", i + 1).isEqualTo(previous);
            previous = (String) e.get("hash");
        }
    }

    static void assertOneOutcomePerAttempt(List<Map<String, Object>> events) {
        Map<String, Integer> outcomes = new HashMap<>();
        for (Map<String, Object> e : events) {
            if (List.of("StepSucceeded", "StepFailed", "StepTimedOut", "StepInterrupted").contains(e.get("type"))) {
                outcomes.merge(e.get("target") + "/" + e.get("step") + "#" + e.get("attempt"), 1, Integer::sum);
            }
        }
        long attempts = events.stream().filter(e -> "StepStarted".equals(e.get("type"))).count();
        assertThat(outcomes).as("one outcome per attempt").hasSize((int) attempts).allSatisfy((k, n) ->
                assertThat(n).as("outcomes of %s", k).isEqualTo(1));
    }

    // --- the lab's command logs ---

    /** Every script each host has received so far, oldest first. */
    private Map<String, List<String>> scripts() {
        Map<String, List<String>> scripts = new HashMap<>();
        for (String host : HOSTS) {
            scripts.put(host, api(labPort).get("/lab/hosts/{name}/commands", host).then().statusCode(200)
                    .extract().jsonPath().getList("commands.script", String.class));
        }
        return scripts;
    }

    /** How many times the host ran the drill's step between the two looks at its command log. */
    private static int ran(Map<String, List<String>> before, Map<String, List<String>> after, String host, String step) {
        String line = "Write-Output 'owner-drill-" + step + "'";
        return (int) (after.get(host).stream().filter(s -> s.contains(line)).count()
                - before.get(host).stream().filter(s -> s.contains(line)).count());
    }

    private static RequestSpecification api(int port) {
        return Orchestrators.api(port);
    }
}
