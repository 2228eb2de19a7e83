package io.antidote.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.antidote.playbook.ScriptRenderer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * The playbook language as the API exposes it: hostile parameter values reach a lab host over WinRM4j
 * as data, dry-runs show exactly what would be sent and write nothing, the schema is served, and an
 * edited playbook never changes a run already requested while an invalid edit is reported and ignored.
 */
@QuarkusTest
@TestProfile(TempPlaybooksProfile.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PlaybookLanguageApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> hostileValues() {
        return Stream.of(
                Arguments.of("a single quote", "'"),
                Arguments.of("a closing quote then a command", "'; Stop-Service MSExchangeIS; '"),
                Arguments.of("typographic quotes", "\u2018\u2019\u201A\u201B\u201C\u201D\u201E"),
                Arguments.of("a typographic quote then a command", "x\u2019; Stop-Service MSExchangeIS; \u2018"),
                Arguments.of("a double-quoted subexpression", "\"$(Stop-Service W3SVC)\""),
                Arguments.of("a semicolon and a pipe", "a; Get-Service | Stop-Service"),
                Arguments.of("a subexpression", "$(Stop-Service W3SVC)"),
                Arguments.of("a braced variable", "${env:COMPUTERNAME}"),
                Arguments.of("backticks", "`n`t``'` `$x"),
                Arguments.of("newlines", "line one\nStop-Service W3SVC\r\nline three\rend"),
                Arguments.of("a hash", "# not a comment"),
                Arguments.of("a block comment", "<# not a comment #> Stop-Service W3SVC"),
                Arguments.of("a here-string", "@'\nStop-Service W3SVC\n'@"),
                Arguments.of("an escape sequence and a bell", "\u001b[2J\u0007'; Stop-Service W3SVC; '"),
                Arguments.of("C1 controls and DEL", "\u0085\u009b\u007f"),
                Arguments.of("an empty string", ""),
                Arguments.of("a 1,500 character string", "x'\u2019;$(".repeat(300)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileValues")
    void a_hostile_parameter_value_reaches_the_host_verbatim_as_data_and_nothing_else_runs(String description,
                                                                                          String value) throws Exception {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        Map<String, Object> before = LabHosts.model(host);

        String runId = given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "injection-probe", "targets", List.of(host), "params", Map.of("value", value)))
                .when().post("/api/v1/runs")
                .then().statusCode(202).extract().path("id");
        JsonPath run = ProxyLogonRemediationTest.awaitFinished(runId);
        List<Map<String, Object>> events = ProxyLogonRemediationTest.events(runId);

        assertThat(run.getString("status")).as("run of %s, events: %s", description,
                events.stream().map(e -> e.get("type") + " " + e.get("data")).map(t -> t.substring(0, Math.min(300, t.length())))
                        .toList()).isEqualTo("SUCCEEDED");
        Map<?, ?> succeeded = events.stream().filter(e -> "StepSucceeded".equals(e.get("type")))
                .map(e -> (Map<?, ?>) e.get("data")).findFirst().orElseThrow();
        assertThat((String) succeeded.get("stderr")).as("errors on the host").isEmpty();
        String stdout = ((String) succeeded.get("stdout")).strip();
        assertThat(stdout.lines().count()).as("the script printed one line and nothing else").isEqualTo(1);
        JsonNode echoed = JSON.readTree(stdout);
        String received = new String(java.util.Base64.getDecoder().decode(echoed.get("utf8").textValue()),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(received).as("the value the script received").isEqualTo(value);
        assertThat(echoed.get("length").intValue()).isEqualTo(value.length());
        assertThat(LabHosts.model(host)).as("the lab host after the run").isEqualTo(before);
    }

    @Test
    void a_dry_run_answers_with_each_targets_rendered_scripts_and_writes_nothing() {
        long before = RunRequestValidationTest.eventCount();
        String value = "C:\\Patches'; Stop-Service W3SVC; '";

        JsonPath plan = given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "injection-probe", "targets", List.of("lab-ex01", "lab-ex02"),
                        "params", Map.of("value", value), "dryRun", true))
                .when().post("/api/v1/runs")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("playbook", equalTo("injection-probe"))
                .extract().jsonPath();

        assertThat(plan.getString("digest")).hasSize(64);
        assertThat(plan.getList("targets.name")).containsExactly("lab-ex01", "lab-ex02");
        assertThat(plan.getList("targets[1].steps.id")).containsExactly("echo");
        assertThat(plan.getString("targets[0].steps[0].script"))
                .as("the exact script a host would get")
                .isEqualTo("param(\n  [string]$value = " + ScriptRenderer.stringLiteral(value) + ",\n  $token = $null\n)\n"
                        + "$utf8 = [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($value))\n"
                        + "[pscustomobject]@{ utf8 = $utf8; length = $value.Length } | ConvertTo-Json -Compress\n");
        assertThat(RunRequestValidationTest.eventCount()).as("events written by a dry-run").isEqualTo(before);
    }

    @Test
    void a_dry_run_is_validated_like_a_real_request() {
        long before = RunRequestValidationTest.eventCount();
        given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "injection-probe", "targets", List.of("lab-ex01", "ex01'; Stop-Service W3SVC #"),
                        "params", Map.of("value", 3), "dryRun", true))
                .when().post("/api/v1/runs")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("targets[1]"));
        given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "injection-probe", "targets", List.of("lab-ex01"),
                        "params", Map.of("value", 3), "dryRun", true))
                .when().post("/api/v1/runs")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("params.value"));
        assertThat(RunRequestValidationTest.eventCount()).isEqualTo(before);
    }

    @Test
    void a_nul_character_in_a_value_is_refused_naming_the_parameter_and_nothing_is_written() {
        long before = RunRequestValidationTest.eventCount();
        given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "injection-probe", "targets", List.of("lab-ex01"),
                        "params", Map.of("value", "before\0'; Stop-Service W3SVC; '")))
                .when().post("/api/v1/runs")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("params.value"))
                .body("errors[0].message", containsString("NUL"));
        assertThat(RunRequestValidationTest.eventCount()).isEqualTo(before);
    }

    @Test
    void a_dry_run_shows_a_secret_as_stars_and_never_its_value() {
        String body = given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "injection-probe", "targets", List.of("lab-ex01"), "dryRun", true,
                        "params", Map.of("value", "v", "token", "hunter2-s3cr3t")))
                .when().post("/api/v1/runs")
                .then().statusCode(200).extract().asString();

        assertThat(body).as("the dry-run answer").doesNotContain("hunter2-s3cr3t")
                .contains("[string]$token = '***'");
    }

    @Test
    void the_schema_is_served_as_json_schema() {
        given().when().get("/api/v1/playbooks/schema")
                .then().statusCode(200).contentType("application/schema+json")
                .body("$schema", equalTo("https://json-schema.org/draft/2020-12/schema"))
                .body("required", equalTo(List.of("name", "steps")));
    }

    @Test
    void an_edit_never_changes_a_requested_run_and_an_invalid_edit_is_reported_while_the_old_version_runs()
            throws Exception {
        Path file = TempPlaybooksProfile.DIR.resolve("reload-probe.yaml");
        String oldDigest = given().when().get("/api/v1/playbooks/reload-probe").then().statusCode(200)
                .extract().path("digest");
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());

        String firstRun = requestRun("reload-probe", host);
        Files.writeString(file, TempPlaybooksProfile.RELOAD_PROBE.replace("version one", "version two"));
        String newDigest = awaitDigestOtherThan("reload-probe", oldDigest);

        assertThat(stepOutput(firstRun)).as("the run requested before the edit").isEqualTo("version one");
        assertThat(requestedDigest(firstRun)).isEqualTo(oldDigest);
        String secondRun = requestRun("reload-probe", host);
        assertThat(stepOutput(secondRun)).as("a run requested after the edit").isEqualTo("version two");
        assertThat(requestedDigest(secondRun)).isEqualTo(newDigest);

        Files.writeString(file, TempPlaybooksProfile.RELOAD_PROBE.replace("version one", "version three")
                .replace("    powershell:", "    timout: 5m\n    powershell:"));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                given().when().get("/api/v1/playbooks/errors").then().statusCode(200)
                        .body("file", hasItem(file.toString())));

        given().when().get("/api/v1/playbooks/errors").then()
                .body("find { it.file == '" + file + "' }.inForce.digest", equalTo(newDigest))
                .body("find { it.file == '" + file + "' }.errors[0].line", equalTo(5))
                .body("find { it.file == '" + file + "' }.errors[0].column", equalTo(5))
                .body("find { it.file == '" + file + "' }.errors[0].message", containsString("unknown key 'timout'"));
        given().when().get("/api/v1/playbooks/reload-probe").then().statusCode(200)
                .body("digest", equalTo(newDigest))
                .body("pendingErrors[0].message", containsString("unknown key 'timout'"));
        String thirdRun = requestRun("reload-probe", host);
        assertThat(stepOutput(thirdRun)).as("a run requested while the file is invalid").isEqualTo("version two");

        Files.writeString(file, TempPlaybooksProfile.RELOAD_PROBE);
        awaitDigestOtherThan("reload-probe", newDigest);
        given().when().get("/api/v1/playbooks/errors").then().body("file", org.hamcrest.Matchers.not(hasItem(file.toString())));
    }

    private static String requestRun(String playbook, String host) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("playbook", playbook, "targets", List.of(host)))
                .when().post("/api/v1/runs")
                .then().statusCode(202).extract().path("id");
    }

    private static String awaitDigestOtherThan(String playbook, String digest) {
        String[] seen = new String[1];
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            seen[0] = given().when().get("/api/v1/playbooks/{name}", playbook).then().statusCode(200)
                    .extract().path("digest");
            return !seen[0].equals(digest);
        });
        return seen[0];
    }

    private static String stepOutput(String runId) {
        JsonPath run = ProxyLogonRemediationTest.awaitFinished(runId);
        List<Map<String, Object>> events = ProxyLogonRemediationTest.events(runId);
        assertThat(run.getString("status")).as("events: %s", events).isEqualTo("SUCCEEDED");
        return events.stream().filter(e -> "StepSucceeded".equals(e.get("type")))
                .map(e -> ((String) ((Map<?, ?>) e.get("data")).get("stdout")).strip()).findFirst().orElseThrow();
    }

    private static String requestedDigest(String runId) {
        Map<?, ?> data = (Map<?, ?>) ProxyLogonRemediationTest.events(runId).get(0).get("data");
        return (String) ((Map<?, ?>) data.get("plan")).get("digest");
    }
}
