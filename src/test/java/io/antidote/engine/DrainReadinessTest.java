package io.antidote.engine;

import static io.antidote.identity.TestIdentity.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.antidote.identity.Roles;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 pt 4: readiness goes DOWN as soon as the drain on SIGTERM begins, while a step is still in flight,
 * not once the drain is over; the step in flight still has its outcome recorded. The drain is the engine's own
 * stop observer, called as Quarkus calls it; this class has a profile of its own, so the stopped engine is not
 * the one the other tests use. Through HTTP, the engine, WinRM4j and a lab host whose reply is held by a freeze.
 */
@QuarkusTest
@TestProfile(DrainReadinessTest.LongDrain.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DrainReadinessTest {

    public static class LongDrain implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("antidote.playbooks.dir", "src/test/resources/playbooks-faults",
                    "antidote.engine.drain-time", "90s");
        }
    }

    @Inject
    RunEngine engine;

    private static String status(String runId) {
        return given().when().get("/api/v1/runs/{id}", runId).then().statusCode(200).extract().path("status");
    }

    private static List<Map<String, Object>> events(String runId, String type, String step) {
        List<Map<String, Object>> all = given().when().get("/api/v1/runs/{id}/events", runId).then().statusCode(200)
                .extract().jsonPath().getList("");
        return all.stream().filter(e -> type.equals(e.get("type")) && step.equals(e.get("step"))).toList();
    }

    private static JsonPath readiness(int status) {
        return given().when().get("/q/health/ready").then().statusCode(status).extract().jsonPath();
    }

    @Test
    void readiness_goes_down_when_the_drain_begins_while_a_step_is_still_in_flight() throws Exception {
        String host = "t-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(Map.of("name", host, "version", "2016", "cu", "CU19"))
                .when().post("/lab/hosts").then().statusCode(201);
        String runId = given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "fault-probe", "targets", List.of(host), "ticket", "INC-" + host))
                .when().post("/api/v1/runs").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> "WAITING_APPROVAL".equals(status(runId)));

        // Step-3's command runs on the host; its reply is held for 20 s.
        given().contentType(ContentType.JSON)
                .body(Map.of("kind", "freeze", "duration", "20s", "trigger", Map.of("matching", "fault-step-3'")))
                .when().post("/lab/hosts/{name}/faults", host).then().statusCode(201);
        as("approver-1", Roles.APPROVER).contentType(ContentType.JSON)
                .body(Map.of("step", "step-3", "decision", "APPROVE"))
                .when().post("/api/v1/runs/{id}/approvals", runId).then().statusCode(200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> "active".equals(
                given().when().get("/lab/hosts/{name}/faults", host).then().statusCode(200).extract()
                        .path("faults[0].state")));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(readiness(200).getString("checks.find { it.name == 'accepting new steps' }.status"))
                        .isEqualTo("UP"));

        Thread drain = new Thread(() -> engine.drainOnStop(new ShutdownEvent()), "test-drain");
        drain.start();
        try {
            JsonPath down = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> given().when().get("/q/health/ready").then().extract(), r -> r.statusCode() == 503)
                    .jsonPath();
            assertThat(down.getString("checks.find { it.name == 'accepting new steps' }.status")).isEqualTo("DOWN");
            assertThat(down.getInt("checks.find { it.name == 'accepting new steps' }.data.stepsInFlight"))
                    .as("step-3, still held by the frozen host").isEqualTo(1);
            assertThat(drain.isAlive()).as("the drain still waits for step-3").isTrue();
            assertThat(events(runId, "StepSucceeded", "step-3")).as("step-3 not over yet").isEmpty();
        } finally {
            drain.join(Duration.ofSeconds(120).toMillis());
        }
        assertThat(drain.isAlive()).as("the drain is over").isFalse();
        assertThat(events(runId, "StepSucceeded", "step-3")).as("the step in flight, recorded during the drain")
                .hasSize(1);
        assertThat(events(runId, "StepStarted", "step-4")).as("a step started during the drain").isEmpty();
        readiness(503);
    }
}
