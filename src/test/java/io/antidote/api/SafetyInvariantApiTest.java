package io.antidote.api;

import io.antidote.identity.Roles;
import io.antidote.identity.TestIdentity;
import static io.antidote.identity.TestIdentity.as;
import static io.antidote.api.ProxyLogonRemediationTest.approveWhenAsked;
import static io.antidote.api.ProxyLogonRemediationTest.awaitFinished;
import static io.antidote.api.ProxyLogonRemediationTest.events;
import static io.antidote.api.ProxyLogonRemediationTest.requestRun;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, point 1, end to end: whatever path a remediation run takes (a cancel while the patch waits for
 * approval, a failed patch, a compromised server), a server the run did not verify fixed and clean stays
 * isolated on the lab host, the restore script never reaches it (its command log is the witness), and the
 * target's verdict in {@code GET /api/v1/runs/{id}} says why. Only an audited release reopens it.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SafetyInvariantApiTest {

    /** A line only the restore step's script holds. */
    static final String RESTORE_LINE = "| Remove-NetFirewallRule";

    static List<String> scripts(String host) {
        return given().when().get("/lab/hosts/{name}/commands", host).then().statusCode(200)
                .extract().jsonPath().getList("commands.script", String.class);
    }

    static void assertIsolatedAndNeverRestored(String host) {
        assertThat(LabHosts.model(host)).containsEntry("isolated", true);
        assertThat(scripts(host)).as("scripts run on %s", host).isNotEmpty().noneMatch(s -> s.contains(RESTORE_LINE));
    }

    @Test
    void a_cancel_while_the_patch_waits_for_approval_keeps_the_server_isolated_until_someone_releases_it() {
        String host = LabHosts.create("2019", "CU8", List.of(), List.of());
        String runId = requestRun(host);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> "WAITING_APPROVAL"
                .equals(given().when().get("/api/v1/runs/{id}", runId).then().statusCode(200).extract().path("status")));

        as("carol", Roles.ADMIN).contentType(ContentType.JSON).body(Map.of())
                .when().post("/api/v1/runs/{id}/cancel", runId).then().statusCode(200);
        JsonPath run = awaitFinished(runId);

        assertThat(run.getString("status")).isEqualTo("CANCELLED");
        assertThat(run.getString("targets[0].verdict.patch")).isEqualTo("VULNERABLE");
        assertThat(run.getString("targets[0].verdict.compromise")).isEqualTo("CLEAN");
        assertThat(run.getString("targets[0].verdict.service")).isEqualTo("ISOLATED");
        assertThat(run.getList("targets[0].verdict.reasons", String.class))
                .contains("kept isolated: this run did not verify it fixed and clean", "cancelled by request");
        assertIsolatedAndNeverRestored(host);
        assertThat(LabHosts.model(host)).containsEntry("patched", false);

        as("admin-1", Roles.ADMIN).contentType(ContentType.JSON).body(Map.of("reason", " "))
                .when().post("/api/v1/runs/{id}/targets/{target}/release", runId, host)
                .then().statusCode(422).contentType("application/problem+json");
        assertIsolatedAndNeverRestored(host);

        as("admin-1", Roles.ADMIN).contentType(ContentType.JSON)
                .body(Map.of("reason", "patched by hand under CHG-7, scanned clean"))
                .when().post("/api/v1/runs/{id}/targets/{target}/release", runId, host)
                .then().statusCode(200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> "IN_SERVICE"
                .equals(given().when().get("/api/v1/runs/{id}", runId).then().statusCode(200)
                        .extract().path("targets[0].verdict.service")));
        assertThat(LabHosts.model(host)).containsEntry("isolated", false);
        assertThat(scripts(host).stream().filter(s -> s.contains(RESTORE_LINE)).count()).isEqualTo(1L);
        Map<String, Object> released = events(runId).stream().filter(e -> "TargetReleased".equals(e.get("type")))
                .findFirst().orElseThrow();
        assertThat(released).containsEntry("actor", "admin-1").containsEntry("target", host);
        assertThat(released.get("data").toString()).contains("patched by hand under CHG-7, scanned clean");
        as("admin-1", Roles.ADMIN).contentType(ContentType.JSON).body(Map.of("reason", "again"))
                .when().post("/api/v1/runs/{id}/targets/{target}/release", runId, host)
                .then().statusCode(409);
        LabHosts.delete(List.of(host));
    }

    @Test
    void a_failed_patch_leaves_the_server_isolated_and_its_verdict_vulnerable() {
        String host = LabHosts.create("2019", "CU8", List.of(), List.of("refuse-update"));
        String runId = requestRun(host);
        approveWhenAsked(runId);
        JsonPath run = awaitFinished(runId);

        assertThat(run.getString("status")).isEqualTo("FAILED");
        assertThat(run.getString("targets[0].verdict.patch")).isEqualTo("VULNERABLE");
        assertThat(run.getString("targets[0].verdict.service")).isEqualTo("ISOLATED");
        assertThat(String.join("\n", run.getList("targets[0].verdict.reasons", String.class)))
                .contains("step 'patch' failed");
        assertIsolatedAndNeverRestored(host);
        LabHosts.delete(List.of(host));
    }

    @Test
    void a_compromised_server_stays_isolated_and_its_verdict_names_every_indicator() {
        String host = LabHosts.create("2019", "CU8", List.of("webshell", "log-26855"), List.of());
        String runId = requestRun(host);
        approveWhenAsked(runId);
        JsonPath run = awaitFinished(runId);

        assertThat(run.getString("status")).isEqualTo("FAILED");
        assertThat(run.getString("targets[0].verdict.patch")).isEqualTo("PATCHED");
        assertThat(run.getString("targets[0].verdict.compromise")).isEqualTo("COMPROMISED");
        assertThat(run.getString("targets[0].verdict.service")).isEqualTo("ISOLATED");
        assertThat(run.getList("targets[0].verdict.indicators", String.class))
                .anyMatch(i -> i.contains(".aspx")).anyMatch(i -> i.contains("CVE-2021-26855"));
        assertIsolatedAndNeverRestored(host);
        LabHosts.delete(List.of(host));
    }
}
