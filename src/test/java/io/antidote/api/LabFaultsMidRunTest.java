package io.antidote.api;

import static io.antidote.api.ProxyLogonPlaybookSetApiTest.data;
import static io.antidote.api.ProxyLogonRemediationTest.awaitFinished;
import static io.antidote.api.ProxyLogonRemediationTest.events;
import static io.antidote.api.ProxyLogonRemediationTest.requestRun;
import static io.antidote.identity.TestIdentity.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.antidote.identity.Roles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Lab faults set on a running host through {@code /lab/hosts/{name}/faults}, in the middle of a run: the run
 * waits for an approval between two known commands, the test sets the fault, approves, and shows from the
 * host's command log and the run's events where the fault hit: exactly the Nth command, the command matching
 * the pattern, or only inside the window. Through HTTP, the engine, WinRM4j and the lab.
 */
@QuarkusTest
@TestProfile(FleetAndFaultsProfile.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LabFaultsMidRunTest {

    private static void awaitApprovalOf(String runId, String step) {
        awaitApprovalOf(runId, step, Duration.ofSeconds(60));
    }

    private static void awaitApprovalOf(String runId, String step, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> "WAITING_APPROVAL"
                .equals(given().when().get("/api/v1/runs/{id}", runId).then().statusCode(200).extract().path("status")));
        assertThat(events(runId)).as("the run waits at %s", step).anySatisfy(e -> {
            assertThat(e).containsEntry("type", "ApprovalRequested");
            assertThat(e).containsEntry("step", step);
        });
    }

    private static void approve(String runId, String step) {
        as("approver-1", Roles.APPROVER).contentType(ContentType.JSON)
                .body(Map.of("step", step, "decision", "APPROVE"))
                .when().post("/api/v1/runs/{id}/approvals", runId)
                .then().statusCode(200);
    }

    /** Targets whose WinRM circuit breaker is open now, as /q/metrics says. */
    private static double circuitsOpen() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith("antidote_winrm_circuits_open"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no antidote_winrm_circuits_open in /q/metrics"));
    }

    private static JsonPath faults(String host) {
        return given().when().get("/lab/hosts/{name}/faults", host).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath place(String host, Map<String, Object> fault) {
        return given().contentType(ContentType.JSON).body(fault)
                .when().post("/lab/hosts/{name}/faults", host)
                .then().statusCode(201).extract().jsonPath();
    }

    private static List<Map<String, Object>> commandLog(String host) {
        JsonPath log = given().when().get("/lab/hosts/{name}/commands", host).then().statusCode(200).extract().jsonPath();
        assertThat(log.getLong("dropped")).isZero();
        return log.getList("commands");
    }

    private static List<Map<String, Object>> ofStep(List<Map<String, Object>> events, String type, String step) {
        return events.stream().filter(e -> type.equals(e.get("type")) && step.equals(e.get("step"))).toList();
    }

    private static Instant at(Map<String, Object> entry, String key) {
        return Instant.parse((String) entry.get(key));
    }

    /** The numbers (from 1, as the log counts) of the commands whose script holds {@code line}. */
    private static List<Integer> numbersOf(List<Map<String, Object>> log, String line) {
        return java.util.stream.IntStream.range(0, log.size())
                .filter(i -> ((String) log.get(i).get("script")).contains(line)).map(i -> i + 1).boxed().toList();
    }

    /**
     * The run stopped at step-4, its first three steps done, step-5 never started. Step-4's command reached the
     * host and ran there, and the fault then kept every answer from the engine: not a failure but an unknown
     * outcome, whose marker the engine probed until antidote.engine.probe-for ran out, the fault still in force.
     * Step-4 changes the server and is not idempotent: it is not run again, and the target fails saying which
     * host could not be read and what it answered.
     */
    private static void assertStoppedAtStepFourWithItsOutcomeUnknown(String runId, String host, String hostSaid) {
        JsonPath run = awaitFinished(runId);
        List<Map<String, Object>> events = events(runId);
        assertThat(run.getString("status")).as("events: %s", events).isEqualTo("FAILED");
        for (String done : List.of("step-1", "step-2", "step-3")) {
            assertThat(ofStep(events, "StepSucceeded", done)).as(done).hasSize(1);
        }
        assertThat(ofStep(events, "StepStarted", "step-4")).as("attempts of step-4: not run again").hasSize(1);
        assertThat(ofStep(events, "StepOutcomeUnknown", "step-4")).as("step-4's outcome, lost after the send")
                .hasSize(1);
        List<Map<String, Object>> found = ofStep(events, "StepOutcomeFound", "step-4");
        assertThat(found).as("the probe's finding").hasSize(1);
        assertThat(data(found.get(0))).containsEntry("marker", "UNREADABLE");
        assertThat((String) data(found.get(0)).get("detail")).as("the finding names the host and what it answered")
                .contains("'" + host + "'", "after " + FleetAndFaultsProfile.PROBE_FOR + " of probes")
                .containsPattern(hostSaid);
        assertThat(ofStep(events, "StepSucceeded", "step-4")).as("step-4 succeeded").isEmpty();
        assertThat(ofStep(events, "StepFailed", "step-4")).as("step-4 recorded as failed on a guess").isEmpty();
        List<Map<String, Object>> failed = ofStep(events, "TargetFailed", "step-4");
        assertThat(failed).as("the target failed at step-4").hasSize(1);
        assertThat((String) data(failed.get(0)).get("reason")).as("why the target failed")
                .contains("'" + host + "'", "could not be read", "not idempotent", "does not run again")
                .containsPattern(hostSaid);
        assertThat(ofStep(events, "StepStarted", "step-5")).as("step-5 started").isEmpty();
    }

    @Test
    void a_fault_set_mid_run_for_the_nth_command_hits_exactly_that_command() {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        String runId = requestRun("fault-probe", host);
        awaitApprovalOf(runId, "step-3");
        long received = faults(host).getLong("commands");
        assertThat(numbersOf(commandLog(host), "fault-step-2")).as("step-2 ran, and was the last command")
                .containsExactly((int) received);

        // Step-3 will be command received + 1, step-4 received + 2: the host answers 500 from step-4 on.
        JsonPath placed = place(host, Map.of("kind", "http-status", "status", 500,
                "trigger", Map.of("atCommand", received + 2)));
        assertThat(placed.getString("state")).isEqualTo("armed");
        approve(runId, "step-3");

        assertStoppedAtStepFourWithItsOutcomeUnknown(runId, host, "HTTP 500");
        List<Map<String, Object>> log = commandLog(host);
        assertThat(log).as("the host's commands: none after the Nth, no probe got through").hasSize((int) received + 2);
        assertThat((String) log.get((int) received + 1).get("script")).as("command %d", received + 2)
                .contains("fault-step-4");
        assertThat(numbersOf(log, "fault-step-4")).as("step-4's script ran once").containsExactly((int) received + 2);
        assertThat(numbersOf(log, "fault-step-3")).containsExactly((int) received + 1);
        JsonPath after = faults(host);
        assertThat(after.getString("faults[0].state")).isEqualTo("active");
        assertThat(after.getLong("faults[0].activatedByCommand")).isEqualTo(received + 2);
        assertThat(after.getLong("faultedRequests")).as("requests answered 500 instead of the host: step-4's reply"
                + " and the probes").isGreaterThan(1);

        // A command number the host is past would never start the fault.
        given().contentType(ContentType.JSON).body(Map.of("kind", "reset", "trigger", Map.of("atCommand", received)))
                .when().post("/lab/hosts/{name}/faults", host)
                .then().statusCode(422).body("errors[0].field", equalTo("trigger.atCommand"))
                .body("errors[0].message", containsString("has received " + (received + 2) + " commands already"));
    }

    @Test
    void a_fault_set_mid_run_on_a_pattern_hits_the_command_matching_it_and_is_cleared_by_delete() {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        String runId = requestRun("fault-probe", host);
        awaitApprovalOf(runId, "step-3");

        place(host, Map.of("kind", "reset", "trigger", Map.of("matching", "fault-step-[4-5]'")));
        approve(runId, "step-3");

        assertStoppedAtStepFourWithItsOutcomeUnknown(runId, host, "connection reset|closed the connection");
        List<Map<String, Object>> log = commandLog(host);
        List<Integer> stepFour = numbersOf(log, "fault-step-4");
        assertThat(stepFour).as("step-4's command, once, and the last: no probe got through")
                .containsExactly(log.size());
        JsonPath after = faults(host);
        assertThat(after.getLong("faults[0].activatedByCommand")).as("the command that started the fault")
                .isEqualTo(stepFour.get(0).longValue());
        assertThat(numbersOf(log, "fault-step-3")).as("step-3 ran before, untouched").containsExactly(log.size() - 1);

        given().when().delete("/lab/hosts/{name}/faults", host).then().statusCode(204);
        assertThat(faults(host).getList("faults")).isEmpty();
    }

    @Test
    void a_host_whose_reset_fault_is_cleared_serves_a_new_run() {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        String runId = requestRun("fault-probe", host);
        awaitApprovalOf(runId, "step-3");
        place(host, Map.of("kind", "reset", "trigger", Map.of("matching", "fault-step-[4-5]'")));
        approve(runId, "step-3");
        assertStoppedAtStepFourWithItsOutcomeUnknown(runId, host, "connection reset|closed the connection");
        given().when().delete("/lab/hosts/{name}/faults", host).then().statusCode(204);
        // The probes that failed while the fault was in force opened the host's circuit breaker: until it closes (after
        // antidote.winrm.breaker.open-for), a step there fails fast without reaching the host, and step-1 of the new
        // run, which has no retry, would fail the run before its approval. This test used to request the new run at
        // once, and failed wherever the machine was quick enough to do so inside the breaker's window. The breaker
        // guards the fleet as designed; the host serves a new run once it has closed.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> circuitsOpen() == 0);

        String again = requestRun("fault-window-probe", host);
        awaitApprovalOf(again, "step-2");
        approve(again, "step-2");
        assertThat(awaitFinished(again).getString("status")).as("a run on the host once its faults are cleared")
                .isEqualTo("SUCCEEDED");
    }

    @Test
    void a_reply_lost_after_a_change_making_command_ran_is_an_unknown_outcome_that_the_marker_resolves_without_a_second_run() {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        String runId = requestRun("fault-reply-probe", host);
        awaitApprovalOf(runId, "step-1");

        // Step-2's command arrives and runs; every request for the next 3 s then goes unanswered, its Receive
        // included, so the engine never hears how it ended and its 5 s deadline passes.
        place(host, Map.of("kind", "hang", "duration", "3s", "trigger", Map.of("matching", "reply-step-2'")));
        approve(runId, "step-1");

        JsonPath run = awaitFinished(runId);
        List<Map<String, Object>> events = events(runId);
        assertThat(run.getString("status")).as("events: %s", events).isEqualTo("SUCCEEDED");
        assertThat(ofStep(events, "StepStarted", "step-2")).as("attempts of step-2").hasSize(1);
        List<Map<String, Object>> unknown = ofStep(events, "StepOutcomeUnknown", "step-2");
        assertThat(unknown).as("the lost reply, recorded as an unknown outcome").hasSize(1);
        assertThat((String) data(unknown.get(0)).get("reason")).as("why it is unknown").contains("may have run");
        assertThat(ofStep(events, "StepTimedOut", "step-2")).as("recorded as timed out on a guess").isEmpty();
        assertThat(ofStep(events, "StepFailed", "step-2")).as("recorded as failed on a guess").isEmpty();
        List<Map<String, Object>> found = ofStep(events, "StepOutcomeFound", "step-2");
        assertThat(found).as("what the probe found").hasSize(1);
        assertThat(data(found.get(0))).containsEntry("marker", "COMPLETED");
        assertThat((String) data(found.get(0)).get("detail")).contains("exit code 0");
        assertThat(ofStep(events, "StepSucceeded", "step-2")).as("step-2's outcome, from its marker").hasSize(1);
        assertThat(ofStep(events, "StepInterrupted", "step-2")).as("step-2 run again").isEmpty();
        assertThat(ofStep(events, "StepSucceeded", "step-3")).hasSize(1);

        List<Map<String, Object>> log = commandLog(host);
        List<Integer> stepTwo = numbersOf(log, "reply-step-2'");
        assertThat(stepTwo).as("step-2's script ran on the host exactly once").hasSize(1);
        List<Integer> probes = numbersOf(log, "markers\\" + runId + "\\step-2.1.json");
        assertThat(probes).as("commands naming step-2's marker: its own run, then the probe(s) that read it")
                .hasSizeGreaterThan(1).first().isEqualTo(stepTwo.get(0));
        assertThat(numbersOf(log, "reply-step-3'")).as("step-3, once, after the probe")
                .singleElement().matches(n -> n > probes.get(probes.size() - 1));
    }

    @Test
    void a_fault_window_set_mid_run_fails_only_the_attempts_inside_it() {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        String runId = requestRun("fault-window-probe", host);
        awaitApprovalOf(runId, "step-2");

        place(host, Map.of("kind", "refuse-connections", "trigger", Map.of("forSeconds", 8)));
        approve(runId, "step-2");

        JsonPath run = awaitFinished(runId);
        List<Map<String, Object>> events = events(runId);
        assertThat(run.getString("status")).as("events: %s", events).isEqualTo("SUCCEEDED");
        Map<String, Object> window = faults(host).getList("faults", Map.class).get(0);
        assertThat(window).containsEntry("state", "ended");
        Instant opened = at(window, "activeFrom");
        Instant closed = at(window, "endedAt");

        List<Map<String, Object>> log = commandLog(host);
        assertThat(log).as("the host's commands: one per step").hasSize(3);
        assertThat(at(log.get(0), "at")).as("step-1, before the window").isBefore(opened);
        assertThat(log.subList(1, 3)).as("step-2 and step-3, after the window").allSatisfy(entry ->
                assertThat(at(entry, "at")).isAfterOrEqualTo(closed));

        List<Map<String, Object>> failed = ofStep(events, "StepFailed", "step-2");
        assertThat(failed).as("attempts of step-2 refused inside the window").isNotEmpty();
        assertThat(failed).allSatisfy(f -> assertThat(data(f).get("reasons").toString()).contains("refused"));
        for (Map<String, Object> started : ofStep(events, "StepStarted", "step-2")) {
            boolean failedAttempt = failed.stream().anyMatch(f -> f.get("attempt").equals(started.get("attempt")));
            if (failedAttempt) {
                assertThat(at(started, "occurredAt")).as("a failed attempt started inside the window").isBefore(closed);
            } else {
                assertThat(started.get("attempt")).as("the attempt that succeeded is the last")
                        .isEqualTo(failed.size() + 1);
            }
        }
        assertThat(ofStep(events, "StepSucceeded", "step-2")).hasSize(1);
        assertThat(ofStep(events, "StepSucceeded", "step-3")).hasSize(1);
    }

    @Test
    void a_fault_the_lab_cannot_set_is_refused_naming_the_field() {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        record Case(Map<String, Object> body, String field, String says) {
        }
        List<Case> cases = List.of(
                new Case(Map.of("duration", "2s"), "kind", "required"),
                new Case(Map.of("kind", "meltdown"), "kind", "one of hang, freeze"),
                new Case(Map.of("kind", "http-status"), "status", "400-599"),
                new Case(Map.of("kind", "http-status", "status", 200), "status", "400-599"),
                new Case(Map.of("kind", "hang", "status", 500), "status", "only an http-status"),
                new Case(Map.of("kind", "latency"), "delay", "needs a delay"),
                new Case(Map.of("kind", "freeze"), "duration", "needs a duration"),
                new Case(Map.of("kind", "hang", "duration", "forever"), "duration", "such as 500ms"),
                new Case(Map.of("kind", "hang", "duration", "11m"), "duration", "at most 10m"),
                new Case(Map.of("kind", "hang", "trigger", Map.of("atCommand", 3, "matching", "x")), "trigger",
                        "one of atCommand"),
                new Case(Map.of("kind", "hang", "trigger", Map.of("atCommand", 0)), "trigger.atCommand", "1 for"),
                new Case(Map.of("kind", "hang", "trigger", Map.of("matching", "(unclosed")), "trigger.matching",
                        "not a valid regular expression"),
                new Case(Map.of("kind", "hang", "trigger", Map.of("matching", "x".repeat(257))), "trigger.matching",
                        "at most 256"),
                new Case(Map.of("kind", "hang", "trigger", Map.of("from", "tomorrow")), "trigger.from", "an instant"),
                new Case(Map.of("kind", "hang", "trigger", Map.of("until", "2020-01-01T00:00:00Z")), "trigger.until",
                        "after now"),
                new Case(Map.of("kind", "hang", "duration", "2s", "trigger",
                        Map.of("until", Instant.now().plusSeconds(60).toString())), "duration", "give no duration"),
                new Case(Map.of("kind", "hang", "trigger", Map.of("forSeconds", 0)), "trigger.forSeconds", "1 to"));
        for (Case c : cases) {
            given().contentType(ContentType.JSON).body(c.body())
                    .when().post("/lab/hosts/{name}/faults", host)
                    .then().statusCode(422).contentType("application/problem+json")
                    .body("errors[0].field", equalTo(c.field()))
                    .body("errors[0].message", containsString(c.says()));
        }
        assertThat(faults(host).getList("faults")).as("nothing was set").isEmpty();

        given().contentType(ContentType.JSON).body(Map.of("kind", "hang"))
                .when().post("/lab/hosts/{name}/faults", "t-nosuchhost")
                .then().statusCode(404);
    }
}
