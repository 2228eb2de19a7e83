package io.antidote.api;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, point 5, end to end: two remediation runs requested at once on two members of one DAG (the lab
 * hosts' {@code dag}, their targets' label) never have both servers in maintenance, because the database holds
 * the DAG for one member's whole change window; the other run records that it waits and goes on when the first
 * member is released. The hosts' own command logs are the witness: when each was put in maintenance and when it
 * was back, and when each was first and last touched.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DagOrderApiTest {

    /** Lines only the maintenance step's script, and only the leave-maintenance step's script, hold. */
    static final String MAINTENANCE_ON = "-Component ServerWideOffline -State Inactive";
    static final String MAINTENANCE_OFF = "-Component ServerWideOffline -State Active";

    @Test
    void two_runs_requested_at_once_on_two_members_of_one_dag_put_them_in_maintenance_one_after_the_other_and_both_succeed() {
        String dag = "DAG-" + UUID.randomUUID().toString().substring(0, 8);
        String ex01 = LabHosts.createInDag(dag, "2016", "CU19");
        String ex02 = LabHosts.createInDag(dag, "2019", "CU8");

        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> requestRun(ex01));
        CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> requestRun(ex02));
        Map<String, String> runs = Map.of(ex01, first.join(), ex02, second.join());
        Map<String, JsonPath> finished = approveUntilBothFinished(runs);

        for (String host : List.of(ex01, ex02)) {
            JsonPath run = finished.get(host);
            assertThat(run.getString("status")).as("run on %s: %s", host, events(runs.get(host)))
                    .isEqualTo("SUCCEEDED");
            assertThat(run.getString("targets[0].verdict.patch")).isEqualTo("PATCHED");
            assertThat(run.getString("targets[0].verdict.service")).isEqualTo("IN_SERVICE");
            Map<String, Object> model = LabHosts.model(host);
            assertThat(model).as("lab host %s", host).containsEntry("patched", true).containsEntry("isolated", false);
            assertThat(LabHosts.componentStates(model).values()).as("components of %s", host)
                    .containsOnly("Active");
        }

        Window w01 = window(ex01);
        Window w02 = window(ex02);
        Window earlier = w01.maintenanceOn().isBefore(w02.maintenanceOn()) ? w01 : w02;
        Window later = earlier == w01 ? w02 : w01;
        assertThat(later.maintenanceOn()).as("%s went into maintenance while %s was still in it (%s, %s)",
                later.host(), earlier.host(), earlier, later).isAfter(earlier.backInService());
        assertThat(later.firstCommand()).as("%s was touched before the run on %s was over (%s, %s)", later.host(),
                earlier.host(), earlier, later).isAfter(earlier.lastCommand());

        // The later run recorded that it waited for the DAG, not for its own server.
        List<Map<String, Object>> waited = events(runs.get(later.host())).stream()
                .filter(e -> "TargetWaiting".equals(e.get("type"))).toList();
        assertThat(waited).as("the later run's waiting").hasSize(1);
        assertThat(waited.get(0).get("data").toString()).contains("a member of its group 'dag=" + dag + "'");
        assertThat(events(runs.get(earlier.host()))).as("the earlier run's events")
                .noneMatch(e -> "TargetWaiting".equals(e.get("type")));
        LabHosts.delete(List.of(ex01, ex02));
    }

    /**
     * When a host went into maintenance, when the command after its leave-maintenance reached it (by then it was
     * back: steps run one after the other), and its first and last commands.
     */
    record Window(String host, Instant firstCommand, Instant maintenanceOn, Instant backInService,
                  Instant lastCommand) {
    }

    static Window window(String host) {
        List<Map<String, Object>> commands = LabHosts.commands(host);
        List<Instant> at = new ArrayList<>();
        Instant on = null;
        int off = -1;
        for (int i = 0; i < commands.size(); i++) {
            String script = String.valueOf(commands.get(i).get("script"));
            at.add(Instant.parse(String.valueOf(commands.get(i).get("at"))));
            if (script.contains(MAINTENANCE_ON)) {
                assertThat(on).as("%s put in maintenance twice", host).isNull();
                on = at.get(i);
            }
            if (script.contains(MAINTENANCE_OFF)) {
                off = i;
            }
        }
        assertThat(on).as("%s put in maintenance", host).isNotNull();
        assertThat(off).as("%s taken out of maintenance", host).isGreaterThanOrEqualTo(0).isLessThan(commands.size() - 1);
        return new Window(host, at.get(0), on, at.get(off + 1), at.get(at.size() - 1));
    }

    /** Approves each run's patch when it asks, until both runs ended; the later one asks only once it started. */
    static Map<String, JsonPath> approveUntilBothFinished(Map<String, String> runs) {
        Map<String, JsonPath> finished = new HashMap<>();
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(250)).until(() -> {
            for (Map.Entry<String, String> run : runs.entrySet()) {
                JsonPath now = given().when().get("/api/v1/runs/{id}", run.getValue()).then().statusCode(200)
                        .extract().jsonPath();
                String status = now.getString("status");
                if ("WAITING_APPROVAL".equals(status)) {
                    as("approver-1", Roles.APPROVER).contentType(ContentType.JSON)
                            .body(Map.of("step", "patch", "decision", "APPROVE"))
                            .when().post("/api/v1/runs/{id}/approvals", run.getValue())
                            .then().statusCode(200);
                } else if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(status)) {
                    finished.put(run.getKey(), now);
                }
            }
            return finished.size() == runs.size();
        });
        return finished;
    }
}
