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
import io.quarkus.test.junit.QuarkusTestProfile;
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
@TestProfile(LabFaultsMidRunTest.FaultProbes.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LabFaultsMidRunTest {

    public static class FaultProbes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // A circuit opened by the window's refusals must not outlast the window by much.
            return Map.of("antidote.playbooks.dir", "src/test/resources/playbooks-faults",
                    "antidote.winrm.breaker.open-for", "PT0.5S");
        }
    }

    private static void awaitApprovalOf(String runId, String step) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> "WAITING_APPROVAL"
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

    /** The run stopped at step-4, its first three steps done, step-5 never started. */
    private static void assertFailedAtStepFour(String runId) {
        JsonPath run = awaitFinished(runId);
        List<Map<String, Object>> events = events(runId);
        assertThat(run.getString("status")).as("events: %s", events).isEqualTo("FAILED");
        for (String done : List.of("step-1", "step-2", "step-3")) {
            assertThat(ofStep(events, "StepSucceeded", done)).as(done).hasSize(1);
        }
        assertThat(ofStep(events, "StepStarted", "step-4")).as("attempts of step-4").hasSize(1);
        assertThat(ofStep(events, "StepSucceeded", "step-4")).as("step-4 succeeded").isEmpty();
        assertThat(ofStep(events, "TargetFailed", "step-4")).as("the target failed at step-4").hasSize(1);
        assertThat(ofStep(events, "StepStarted", "step-5")).as("step-5 started").isEmpty();
    }

    @Test
    @org.junit.jupiter.api.Disabled("Open (issue 11 pt 3 x pt 6): since step markers, an HTTP 500 or a reset after the Command was sent is an unknown outcome resolved by a probe, not a StepFailed; what this test expects must be decided again with the markers")
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

        assertFailedAtStepFour(runId);
        List<Map<String, Object>> log = commandLog(host);
        assertThat(log).as("the host's commands: none after the Nth").hasSize((int) received + 2);
        assertThat((String) log.get((int) received + 1).get("script")).as("command %d", received + 2)
                .contains("fault-step-4");
        assertThat(numbersOf(log, "fault-step-3")).containsExactly((int) received + 1);
        JsonPath after = faults(host);
        assertThat(after.getString("faults[0].state")).isEqualTo("active");
        assertThat(after.getLong("faults[0].activatedByCommand")).isEqualTo(received + 2);
        assertThat(after.getLong("faultedRequests")).as("requests answered 500 instead of the host").isPositive();
        assertThat(data(ofStep(events(runId), "StepFailed", "step-4").get(0)).get("reasons").toString())
                .contains("500");

        // A command number the host is past would never start the fault.
        given().contentType(ContentType.JSON).body(Map.of("kind", "reset", "trigger", Map.of("atCommand", received)))
                .when().post("/lab/hosts/{name}/faults", host)
                .then().statusCode(422).body("errors[0].field", equalTo("trigger.atCommand"))
                .body("errors[0].message", containsString("has received " + (received + 2) + " commands already"));
    }

    @Test
    @org.junit.jupiter.api.Disabled("Open (issue 11 pt 3 x pt 6): since step markers, an HTTP 500 or a reset after the Command was sent is an unknown outcome resolved by a probe, not a StepFailed; what this test expects must be decided again with the markers")
    void a_fault_set_mid_run_on_a_pattern_hits_the_command_matching_it_and_is_cleared_by_delete() {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        String runId = requestRun("fault-probe", host);
        awaitApprovalOf(runId, "step-3");

        place(host, Map.of("kind", "reset", "trigger", Map.of("matching", "fault-step-[4-5]'")));
        approve(runId, "step-3");

        assertFailedAtStepFour(runId);
        List<Map<String, Object>> log = commandLog(host);
        List<Integer> stepFour = numbersOf(log, "fault-step-4");
        assertThat(stepFour).as("step-4's command, once, and the last").containsExactly(log.size());
        JsonPath after = faults(host);
        assertThat(after.getLong("faults[0].activatedByCommand")).as("the command that started the fault")
                .isEqualTo(stepFour.get(0).longValue());
        assertThat(numbersOf(log, "fault-step-3")).as("step-3 ran before, untouched").containsExactly(log.size() - 1);

        given().when().delete("/lab/hosts/{name}/faults", host).then().statusCode(204);
        assertThat(faults(host).getList("faults")).isEmpty();
        String again = requestRun("fault-window-probe", host);
        awaitApprovalOf(again, "step-2");
        approve(again, "step-2");
        assertThat(awaitFinished(again).getString("status")).as("a run on the host once its faults are cleared")
                .isEqualTo("SUCCEEDED");
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
