package io.antidote.api;

import static io.antidote.api.DagOrderApiTest.MAINTENANCE_OFF;
import static io.antidote.api.DagOrderApiTest.MAINTENANCE_ON;
import static io.antidote.api.ProxyLogonRemediationTest.approveWhenAsked;
import static io.antidote.api.ProxyLogonRemediationTest.awaitFinished;
import static io.antidote.api.ProxyLogonRemediationTest.events;
import static io.antidote.api.ProxyLogonRemediationTest.requestRun;
import static io.antidote.identity.TestIdentity.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.antidote.identity.Roles;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, point 5, after a failure: a remediation whose patch fails leaves its DAG member in maintenance (the
 * step is kept on failure), and the DAG stays held for that server across runs. A run on another member of the
 * DAG waits, saying which member and which run hold it, and touches nothing; a new run on the member left in
 * maintenance takes the DAG over and goes on, or an admin's release of that member ends its maintenance; only then
 * does the other member go into maintenance. The hosts' command logs are the witness.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DagKeptMaintenanceApiTest {

    @Test
    void a_member_left_in_maintenance_by_a_failed_run_keeps_its_dag_until_a_new_run_on_it_succeeds() {
        String dag = "DAG-" + UUID.randomUUID().toString().substring(0, 8);
        // msiexec refuses the first install and installs when asked again: the first run fails in maintenance.
        String ex01 = LabHosts.createInDag(dag, "2016", "CU19", List.of("refuse-update-once"));
        String ex02 = LabHosts.createInDag(dag, "2019", "CU8");

        String failed = failInMaintenance(ex01);
        String other = requestRun(ex02);
        String why = awaitWaiting(other);
        assertThat(why).as("the reason the run on %s waits", ex02)
                .contains("'dag=" + dag + "'", "'" + ex01 + "'", failed, "'maintenance'");
        assertThat(LabHosts.commands(ex02)).as("commands sent to %s while %s is in maintenance", ex02, ex01)
                .isEmpty();

        String rerun = requestRun(ex01);
        approveWhenAsked(rerun);
        JsonPath second = awaitFinished(rerun);
        assertThat(second.getString("status")).as("the re-run on %s: %s", ex01, events(rerun)).isEqualTo("SUCCEEDED");
        assertThat(events(rerun)).as("the re-run took the DAG over").noneMatch(e -> "TargetWaiting".equals(e.get("type")));
        assertThat(LabHosts.componentStates(LabHosts.model(ex01)).values()).containsOnly("Active");

        approveWhenAsked(other);
        JsonPath last = awaitFinished(other);
        assertThat(last.getString("status")).as("the run on %s: %s", ex02, events(other)).isEqualTo("SUCCEEDED");
        assertThat(last.getString("targets[0].verdict.patch")).isEqualTo("PATCHED");
        assertThat(firstAt(ex02, MAINTENANCE_ON)).as("%s went into maintenance before %s left it", ex02, ex01)
                .isAfter(lastAt(ex01, MAINTENANCE_OFF));
        LabHosts.delete(List.of(ex01, ex02));
    }

    @Test
    void an_admins_release_of_the_member_left_in_maintenance_ends_its_maintenance_and_lets_the_dag_go() {
        String dag = "DAG-" + UUID.randomUUID().toString().substring(0, 8);
        String ex01 = LabHosts.createInDag(dag, "2016", "CU19", List.of("refuse-update"));
        String ex02 = LabHosts.createInDag(dag, "2019", "CU8");

        String failed = failInMaintenance(ex01);
        String other = requestRun(ex02);
        assertThat(awaitWaiting(other)).contains("'" + ex01 + "'", failed);
        assertThat(LabHosts.commands(ex02)).isEmpty();

        as("admin-1", Roles.ADMIN).contentType(ContentType.JSON)
                .body(Map.of("reason", "patched by hand under CHG-12, scanned clean"))
                .when().post("/api/v1/runs/{id}/targets/{target}/release", failed, ex01)
                .then().statusCode(200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> "IN_SERVICE"
                .equals(given().when().get("/api/v1/runs/{id}", failed).then().statusCode(200)
                        .extract().path("targets[0].verdict.service")));
        Map<String, Object> released = LabHosts.model(ex01);
        assertThat(LabHosts.componentStates(released).values()).as("components of %s after the release", ex01)
                .containsOnly("Active");
        assertThat(released).containsEntry("isolated", false);
        List<String> releaseSteps = events(failed).stream()
                .filter(e -> "StepSucceeded".equals(e.get("type"))).map(e -> String.valueOf(e.get("step")))
                .toList();
        assertThat(releaseSteps).as("steps of the failed run").endsWith("leave-maintenance", "restore");

        approveWhenAsked(other);
        JsonPath last = awaitFinished(other);
        assertThat(last.getString("status")).as("the run on %s: %s", ex02, events(other)).isEqualTo("SUCCEEDED");
        assertThat(firstAt(ex02, MAINTENANCE_ON)).isAfter(lastAt(ex01, MAINTENANCE_OFF));
        LabHosts.delete(List.of(ex01, ex02));
    }

    /** Runs the remediation on the host, approves its patch, and checks it failed with the host in maintenance. */
    private static String failInMaintenance(String host) {
        String run = requestRun(host);
        approveWhenAsked(run);
        JsonPath first = awaitFinished(run);
        assertThat(first.getString("status")).as("the first run on %s: %s", host, events(run)).isEqualTo("FAILED");
        assertThat(LabHosts.componentStates(LabHosts.model(host))).as("components of %s", host)
                .containsEntry("ServerWideOffline", "Inactive");
        return run;
    }

    /** The reason of the run's TargetWaiting, once it is recorded; the run is still at work, nothing started. */
    private static String awaitWaiting(String run) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> events(run).stream().anyMatch(e -> "TargetWaiting".equals(e.get("type"))));
        // Time for a wrong start to show: the wait must last.
        await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
        List<Map<String, Object>> events = events(run);
        assertThat(events).as("events of the waiting run").noneMatch(e -> "TargetStarted".equals(e.get("type")));
        return events.stream().filter(e -> "TargetWaiting".equals(e.get("type"))).findFirst()
                .map(e -> String.valueOf(e.get("data"))).orElseThrow();
    }

    private static Instant firstAt(String host, String line) {
        return LabHosts.commands(host).stream().filter(c -> String.valueOf(c.get("script")).contains(line))
                .map(c -> Instant.parse(String.valueOf(c.get("at")))).findFirst()
                .orElseThrow(() -> new AssertionError(host + " never ran " + line));
    }

    private static Instant lastAt(String host, String line) {
        return LabHosts.commands(host).stream().filter(c -> String.valueOf(c.get("script")).contains(line))
                .map(c -> Instant.parse(String.valueOf(c.get("at")))).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError(host + " never ran " + line));
    }
}
