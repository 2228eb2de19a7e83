package io.antidote.api;

import io.antidote.identity.Roles;
import static io.antidote.identity.TestIdentity.as;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * The step library and label selection through every layer: HTTP, the catalogue, PostgreSQL, the engine
 * and WinRM4j against lab hosts. A hostile value set on a library step's input arrives verbatim as data;
 * a run selected by labels acts on exactly the matching hosts and records their names; a library edit
 * reloads its users under a new digest and never changes a run already requested; a broken library step
 * is reported in both files while the previous version stays in force.
 */
@QuarkusTest
@TestProfile(TempPlaybooksProfile.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StepLibraryApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String labHost(String dag) {
        String name = "t-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "version", "2016", "cu", "CU19", "dag", dag))
                .when().post("/lab/hosts")
                .then().statusCode(201);
        return name;
    }

    private static String uniqueDag() {
        return "D" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    @SuppressWarnings("unchecked")
    void a_run_selected_by_label_runs_a_library_step_whose_hostile_input_arrives_verbatim_on_each_matching_host()
            throws Exception {
        String dag = uniqueDag();
        String first = labHost(dag);
        String second = labHost(dag);
        String other = labHost(uniqueDag());
        String hostile = "x'; Stop-Service MSExchangeIS; '\u2019$(Stop-Service W3SVC)`n\u001b[2J\"${env:PATH}\" # <#";
        Map<String, Object> before = LabHosts.model(first);

        String runId = given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "library-probe", "targetLabels", Map.of("dag", dag, "lab", "true"),
                        "params", Map.of("value", hostile)))
                .when().post("/api/v1/runs")
                .then().statusCode(202).extract().path("id");
        JsonPath run = ProxyLogonRemediationTest.awaitFinished(runId);
        List<Map<String, Object>> events = ProxyLogonRemediationTest.events(runId);

        assertThat(run.getString("status")).as("events: %s", events).isEqualTo("SUCCEEDED");
        Map<?, ?> plan = (Map<?, ?>) ((Map<?, ?>) events.get(0).get("data")).get("plan");
        assertThat(events.get(0).get("type")).isEqualTo("RunRequested");
        assertThat((List<Object>) plan.get("targets")).as("the targets recorded at request time")
                .containsExactlyInAnyOrder(first, second).doesNotContain(other);
        assertThat(plan.get("digest")).isEqualTo(given().when().get("/api/v1/playbooks/library-probe").then()
                .statusCode(200).extract().path("digest"));
        List<Map<String, Object>> succeeded = events.stream().filter(e -> "StepSucceeded".equals(e.get("type"))).toList();
        assertThat(succeeded).extracting(e -> e.get("target")).containsExactlyInAnyOrder(first, second);
        for (Map<String, Object> event : succeeded) {
            Map<String, Object> output = (Map<String, Object>) event.get("data");
            assertThat((String) output.get("stderr")).as("errors on %s", event.get("target")).isEmpty();
            JsonNode echoed = JSON.readTree(((String) output.get("stdout")).strip());
            assertThat(new String(Base64.getDecoder().decode(echoed.get("utf8").textValue()), StandardCharsets.UTF_8))
                    .as("the input %s received", event.get("target")).isEqualTo(hostile);
            assertThat(echoed.get("tag").textValue()).isEqualTo("from-playbook");
        }
        assertThat(LabHosts.model(first)).as("the lab host after the run").isEqualTo(before);
    }

    @Test
    void a_dry_run_shows_the_targets_the_labels_resolve_to_and_the_library_script_with_its_inputs() {
        String dag = uniqueDag();
        String first = labHost(dag);
        String second = labHost(dag);

        JsonPath plan = given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "library-probe", "targets", List.of("lab-ex01"),
                        "targetLabels", Map.of("dag", dag), "params", Map.of("value", "v'1"), "dryRun", true))
                .when().post("/api/v1/runs")
                .then().statusCode(200).extract().jsonPath();

        assertThat(plan.getList("targets.name")).containsExactly("lab-ex01", first.compareTo(second) < 0 ? first : second,
                first.compareTo(second) < 0 ? second : first);
        assertThat(plan.getString("targets[0].steps[0].script")).startsWith(
                "param(\n  [string]$value = 'v''1',\n  [string]$tag = 'from-playbook'\n)\n$utf8 = ");
    }

    @Test
    void a_label_selector_matching_nothing_is_a_422_naming_the_field_and_nothing_is_written() {
        long before = RunRequestValidationTest.eventCount();

        given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "library-probe", "targetLabels", Map.of("dag", "nowhere-" + uniqueDag()),
                        "params", Map.of("value", "v")))
                .when().post("/api/v1/runs")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("targetLabels"))
                .body("errors[0].message", containsString("no target in the inventory has the labels dag=nowhere-"));
        given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "library-probe", "params", Map.of("value", "v")))
                .when().post("/api/v1/runs")
                .then().statusCode(422)
                .body("errors[0].field", equalTo("targets"))
                .body("errors[0].message", containsString("declares no default targets"));
        assertThat(RunRequestValidationTest.eventCount()).isEqualTo(before);
    }

    @Test
    void a_request_naming_no_targets_uses_the_playbooks_default_names_and_labels() {
        JsonPath plan = given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "default-targets-probe", "dryRun", true))
                .when().post("/api/v1/runs")
                .then().statusCode(200).extract().jsonPath();

        List<String> targets = plan.getList("targets.name");
        assertThat(targets).startsWith("lab-ex01").contains("lab-ex03").doesNotContain("lab-ex02");
        for (String target : targets.subList(1, targets.size())) {
            assertThat(given().when().get("/api/v1/targets").then().extract().jsonPath()
                    .getString("find { it.name == '" + target + "' }.labels.version")).isEqualTo("2013");
        }
        given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "default-targets-probe", "targets", List.of("lab-ex02"), "dryRun", true))
                .when().post("/api/v1/runs")
                .then().statusCode(200).body("targets.name", equalTo(List.of("lab-ex02")));
    }

    @Test
    void the_library_is_listed_with_its_users() {
        given().when().get("/api/v1/steps").then().statusCode(200)
                .body("find { it.name == 'echo-input' }.usedBy", hasItem("library-probe"))
                .body("find { it.name == 'echo-input' }.inputs.name", equalTo(List.of("value", "tag")));
        given().when().get("/api/v1/steps/echo-input").then().statusCode(200)
                .body("powershell", containsString("ConvertTo-Json"));
        given().when().get("/api/v1/steps/nope").then().statusCode(404);
        given().when().get("/api/v1/playbooks/library-probe").then().statusCode(200)
                .body("steps[0].uses", equalTo("echo-input"))
                .body("library[0].name", equalTo("echo-input"));
    }

    @Test
    void a_library_edit_reloads_its_users_never_changes_a_requested_run_and_a_broken_edit_keeps_the_old_version()
            throws Exception {
        Path step = TempPlaybooksProfile.DIR.resolve("steps/echo-input.yaml");
        Path user = TempPlaybooksProfile.DIR.resolve("held-library-probe.yaml");
        String oldDigest = digest("held-library-probe");
        String host = labHost(uniqueDag());
        String runId = given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "held-library-probe", "targets", List.of(host)))
                .when().post("/api/v1/runs")
                .then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                "WAITING_APPROVAL".equals(given().when().get("/api/v1/runs/{id}", runId).then().extract().path("status")));

        try {
            Files.writeString(step, TempPlaybooksProfile.ECHO_STEP.replace("tag = $tag", "tag = 'edited'"));
            String newDigest = awaitDigestOtherThan("held-library-probe", oldDigest);
            // Issue 13: the approver role lets a caller decide only steps whose playbook role it also holds.
            as("vic", Roles.APPROVER).contentType(ContentType.JSON).body(Map.of("step", "echo", "decision", "APPROVE"))
                    .when().post("/api/v1/runs/{id}/approvals", runId).then().statusCode(403)
                    .contentType("application/problem+json").body("detail", containsString("role 'ops'"));
            given().contentType(ContentType.JSON).body(Map.of("step", "echo", "decision", "APPROVE"))
                    .when().post("/api/v1/runs/{id}/approvals", runId).then().statusCode(200);
            JsonPath run = ProxyLogonRemediationTest.awaitFinished(runId);
            List<Map<String, Object>> events = ProxyLogonRemediationTest.events(runId);
            assertThat(run.getString("status")).as("events: %s", events).isEqualTo("SUCCEEDED");
            String stdout = events.stream().filter(e -> "StepSucceeded".equals(e.get("type")))
                    .map(e -> (String) ((Map<?, ?>) e.get("data")).get("stdout")).findFirst().orElseThrow();
            assertThat(JSON.readTree(stdout.strip()).get("tag").textValue())
                    .as("the run requested before the library edit runs the version it was requested with")
                    .isEqualTo("library");
            assertThat(run.getString("playbookDigest")).isEqualTo(oldDigest).isNotEqualTo(newDigest);

            Files.writeString(step, TempPlaybooksProfile.ECHO_STEP.replace("type: string", "type: text"));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    given().when().get("/api/v1/playbooks/errors").then().statusCode(200)
                            .body("file", hasItem(step.toString())).body("file", hasItem(user.toString())));
            given().when().get("/api/v1/playbooks/errors").then()
                    .body("find { it.file == '" + step + "' }.errors[0].line", equalTo(4))
                    .body("find { it.file == '" + step + "' }.errors[0].message", containsString("found 'text'"))
                    .body("find { it.file == '" + user + "' }.inForce.digest", equalTo(newDigest))
                    .body("find { it.file == '" + user + "' }.errors[0].line", equalTo(5))
                    .body("find { it.file == '" + user + "' }.errors[0].message",
                            containsString("library step 'echo-input' in step 'echo' has errors in " + step))
                    .body("find { it.file == '" + user + "' }.errors[1].file", equalTo(step.toString()));
            given().when().get("/api/v1/playbooks/held-library-probe").then().statusCode(200)
                    .body("digest", equalTo(newDigest))
                    .body("pendingErrors.file", hasItem(step.toString()));
        } finally {
            Files.writeString(step, TempPlaybooksProfile.ECHO_STEP);
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(digest("held-library-probe")).isEqualTo(oldDigest));
    }

    private static String digest(String playbook) {
        return given().when().get("/api/v1/playbooks/{name}", playbook).then().statusCode(200).extract().path("digest");
    }

    private static String awaitDigestOtherThan(String playbook, String digest) {
        String[] seen = new String[1];
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            seen[0] = digest(playbook);
            return !seen[0].equals(digest);
        });
        return seen[0];
    }
}
