package io.antidote.api;

import io.antidote.identity.Roles;
import io.antidote.playbook.Sha256;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.antidote.identity.TestIdentity.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 17, the approver's page: {@code GET /api/v1/runs/{id}/approvals} shows the script a waiting step will send,
 * rendered by the engine's own code, with its digest. The lab host's command log, not the service's word, is the
 * proof that what was shown is exactly what ran; the secret is masked as the dry run masks it.
 */
@QuarkusTest
@TestProfile(TempPlaybooksProfile.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WaitingApprovalScriptApiTest {

    private static final String TOKEN = "Appr0val-Secret-" + UUID.randomUUID();

    @Test
    void the_approver_sees_the_exact_script_the_host_then_receives_with_its_digest_and_the_secret_masked() {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        Map<String, Object> request = Map.of("playbook", "approval-script-probe", "targets", List.of(host),
                "params", Map.of("token", TOKEN, "note", "it's CHG-17"));
        JsonPath dryRun = as("requester", Roles.OPERATOR).contentType(ContentType.JSON)
                .body(with(request, "dryRun", true)).when().post("/api/v1/runs")
                .then().statusCode(200).extract().jsonPath();
        String dryScript = dryRun.getString("targets[0].steps.find { it.id == 'apply' }.script");

        String runId = as("requester", Roles.OPERATOR).contentType(ContentType.JSON).body(request)
                .when().post("/api/v1/runs").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> "WAITING_APPROVAL"
                .equals(given().when().get("/api/v1/runs/{id}", runId).then().statusCode(200).extract().path("status")));

        List<Map<String, Object>> waiting = as("viewer-17", Roles.VIEWER).when()
                .get("/api/v1/runs/{id}/approvals", runId).then().statusCode(200).extract().jsonPath().getList("");
        assertThat(waiting).hasSize(1);
        Map<String, Object> apply = waiting.get(0);
        assertThat(apply).containsEntry("target", host).containsEntry("step", "apply").containsEntry("role", "approver")
                .containsEntry("attempt", 1).containsEntry("playbookDigest", dryRun.getString("digest"));
        String script = (String) apply.get("script");
        assertThat(apply.get("scriptDigest")).as("the digest is the digest of the script shown")
                .isEqualTo(Sha256.hex(script));
        assertThat(script).doesNotContain(TOKEN)
                .contains("[string]$steps_look_seen = 'seen it'")
                .contains("[string]$note = 'it''s CHG-17'");
        // The dry run's declaration of each parameter, the secret's placeholder included, is the one shown now.
        for (String line : dryScript.lines().filter(l -> l.contains("$token =") || l.contains("$note =")).toList()) {
            assertThat(script).as("the dry run's line %s", line).contains(line.strip());
        }
        assertThat(dryScript).contains("$token = '***'");

        as("approver-17", Roles.APPROVER).contentType(ContentType.JSON)
                .body(Map.of("step", "apply", "decision", "APPROVE")).when().post("/api/v1/runs/{id}/approvals", runId)
                .then().statusCode(200);
        assertThat(ProxyLogonRemediationTest.awaitFinished(runId).getString("status")).isEqualTo("SUCCEEDED");
        assertThat(as("viewer-17", Roles.VIEWER).when().get("/api/v1/runs/{id}/approvals", runId)
                .then().statusCode(200).extract().jsonPath().getList("")).as("nothing waits any more").isEmpty();
        List<String> received = LabHosts.commands(host).stream().map(c -> (String) c.get("script")).toList();
        assertThat(received).as("the host received exactly the script the approver was shown").contains(script);
    }

    @Test
    void the_scripts_of_a_run_are_for_those_who_may_read_the_run() {
        as("a-machine", Roles.ALERT_SOURCE).when().get("/api/v1/runs/{id}/approvals", UUID.randomUUID())
                .then().statusCode(403);
        given().when().get("/api/v1/runs/{id}/approvals", UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
    }

    private static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> copy = new java.util.HashMap<>(body);
        copy.put(key, value);
        return copy;
    }
}
