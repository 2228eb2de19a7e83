package io.antidote.api;

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
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code when} conditions and outputs through every layer: HTTP API, PostgreSQL events, WinRM4j to lab
 * hosts. A step captures the host's Exchange build and a hostile string; a step whose condition holds
 * only on Exchange 2019 CU8 runs there and is skipped on 2016 CU19; the last step receives the captured
 * values verbatim as data. A secret the host echoed is masked before it becomes an output.
 */
@QuarkusTest
@TestProfile(TempPlaybooksProfile.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StepOutputsApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String HOSTILE = "'; Stop-Service W3SVC; '$(Stop-Service MSExchangeIS)`n\"${env:COMPUTERNAME}\""
            + " # <# x #> @'\nline two\ttab\r\nend\u2019; Stop-Service W3SVC; \u2018";
    static final String TOKEN = "s3cret-T0ken-" + System.nanoTime();
    static final String BUILD_2016_CU19 = "15.01.2176.002";
    static final String BUILD_2019_CU8 = "15.02.0792.003";

    @Test
    void a_step_is_skipped_where_its_condition_is_false_and_later_steps_receive_earlier_outputs_verbatim()
            throws Exception {
        String ex2016 = LabHosts.create("2016", "CU19", List.of(), List.of());
        String ex2019 = LabHosts.create("2019", "CU8", List.of(), List.of());
        Map<String, Object> before2016 = LabHosts.model(ex2016);
        Map<String, Object> before2019 = LabHosts.model(ex2019);

        String runId = given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "outputs-probe", "targets", List.of(ex2016, ex2019),
                        "params", Map.of("hostile", HOSTILE, "token", TOKEN)))
                .when().post("/api/v1/runs")
                .then().statusCode(202).extract().path("id");
        JsonPath run = ProxyLogonRemediationTest.awaitFinished(runId);
        List<Map<String, Object>> events = ProxyLogonRemediationTest.events(runId);
        String raw = given().when().get("/api/v1/runs/{id}/events", runId).then().statusCode(200).extract().asString();

        assertThat(run.getString("status")).as("run, events: %s", events.stream()
                .map(e -> e.get("type") + " " + e.get("target") + " " + e.get("data")).toList()).isEqualTo("SUCCEEDED");
        assertThat(raw).as("the secret anywhere in the events").doesNotContain(TOKEN);

        List<Map<String, Object>> skipped = events.stream().filter(e -> "StepSkipped".equals(e.get("type"))).toList();
        assertThat(skipped).as("StepSkipped events").hasSize(1);
        assertThat(skipped.get(0).get("target")).isEqualTo(ex2016);
        Map<?, ?> skip = (Map<?, ?>) skipped.get(0).get("data");
        assertThat(skipped.get(0).get("step")).as("the skipped step, in the envelope").isEqualTo("only-exchange-2019");
        assertThat(skip.containsKey("step")).as("data of StepSkipped has a step: %s", skip).isFalse();
        assertThat(skip.get("condition")).isEqualTo("steps.precheck.build equals \"" + BUILD_2019_CU8 + "\"");
        assertThat(skip.get("values")).isEqualTo(Map.of("steps.precheck.build", BUILD_2016_CU19));
        assertThat(stepsStarted(events, ex2016)).containsExactly("precheck", "receive");
        assertThat(stepsStarted(events, ex2019)).containsExactly("precheck", "only-exchange-2019", "receive");

        Map<?, ?> precheck2016 = succeeded(events, ex2016, "precheck");
        Map<String, Object> expectedOutputs = new HashMap<>();
        expectedOutputs.put("build", BUILD_2016_CU19);
        expectedOutputs.put("hostile", HOSTILE.replace('\u2019', '?').replace('\u2018', '?'));
        expectedOutputs.put("tokenEcho", "token=***");
        // Sanity: the lab's console code page turns non-ASCII output into '?', as a real host's does.
        assertThat(precheck2016.get("outputs")).as("outputs recorded with precheck on %s", ex2016)
                .isEqualTo(expectedOutputs);
        String hostileAsCaptured = (String) expectedOutputs.get("hostile");

        JsonNode received2016 = JSON.readTree(((String) succeeded(events, ex2016, "receive").get("stdout")).strip());
        JsonNode received2019 = JSON.readTree(((String) succeeded(events, ex2019, "receive").get("stdout")).strip());
        assertThat(received2016.get("build").textValue()).isEqualTo(BUILD_2016_CU19);
        assertThat(received2019.get("build").textValue()).isEqualTo(BUILD_2019_CU8);
        for (JsonNode received : List.of(received2016, received2019)) {
            assertThat(new String(Base64.getDecoder().decode(received.get("hostile").textValue()),
                    StandardCharsets.UTF_8)).as("the hostile output as the last step received it")
                    .isEqualTo(hostileAsCaptured);
            assertThat(received.get("tokenEcho").textValue()).as("a secret never becomes an output")
                    .isEqualTo("token=***");
        }
        assertThat(received2016.get("ran").isNull()).as("the output of a skipped step is $null").isTrue();
        assertThat(received2019.get("ran").booleanValue()).as("the output of the step that ran").isTrue();

        assertThat(LabHosts.model(ex2016)).as("%s after the run: nothing hostile ran", ex2016).isEqualTo(before2016);
        assertThat(LabHosts.model(ex2019)).as("%s after the run: nothing hostile ran", ex2019).isEqualTo(before2019);

        // The run detail view shows the skipped step and what each step captured.
        assertThat(run.getString("targets.find { it.name == '" + ex2016 + "' }.steps.find { it.id == 'only-exchange-2019' }.status"))
                .isEqualTo("SKIPPED");
        assertThat(run.getString("targets.find { it.name == '" + ex2019 + "' }.steps.find { it.id == 'only-exchange-2019' }.status"))
                .isEqualTo("SUCCEEDED");
        assertThat(run.getMap("targets.find { it.name == '" + ex2019 + "' }.steps.find { it.id == 'precheck' }.outputs"))
                .containsEntry("build", BUILD_2019_CU8).containsEntry("tokenEcho", "token=***");
        // So does the run list, written with each append.
        JsonPath list = given().queryParam("playbook", "outputs-probe").queryParam("size", 100)
                .when().get("/api/v1/runs").then().statusCode(200).extract().jsonPath();
        assertThat(list.getString("items.find { it.id == '" + runId + "' }.status")).isEqualTo("SUCCEEDED");
    }

    @Test
    void a_dry_run_shows_each_steps_condition_its_declared_outputs_and_the_outputs_it_will_receive() {
        // Counted by its own ticket, not across the store: runs of earlier test classes may still be moving.
        String ticket = "DRY-" + java.util.UUID.randomUUID();
        JsonPath plan = given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "outputs-probe", "targets", List.of("lab-ex01"), "ticket", ticket,
                        "params", Map.of("hostile", HOSTILE, "token", TOKEN), "dryRun", true))
                .when().post("/api/v1/runs")
                .then().statusCode(200).contentType(ContentType.JSON)
                .extract().jsonPath();

        // The documented shape (docs/api.md), key for key.
        assertThat(plan.getMap("")).containsOnlyKeys("playbook", "digest", "targets");
        assertThat(plan.getString("playbook")).isEqualTo("outputs-probe");
        assertThat(plan.getString("digest")).matches("[0-9a-f]{64}");
        assertThat(plan.getList("targets.name")).containsExactly("lab-ex01");
        assertThat(plan.getMap("targets[0]")).containsOnlyKeys("name", "steps");
        assertThat(plan.getMap("targets[0].steps[0]")).containsOnlyKeys("id", "description", "timeout", "script",
                "when", "outputs", "receives");
        assertThat(plan.getString("targets[0].steps[0].timeout")).startsWith("PT");
        assertThat(plan.getList("targets[0].steps.id")).containsExactly("precheck", "only-exchange-2019", "receive");
        assertThat(plan.getString("targets[0].steps[0].when")).isNull();
        assertThat(plan.getString("targets[0].steps[1].when"))
                .isEqualTo("steps.precheck.build equals \"" + BUILD_2019_CU8 + "\"");
        assertThat(plan.getMap("targets[0].steps[0].outputs"))
                .isEqualTo(Map.of("build", "build", "hostile", "hostile", "tokenEcho", "tokenEcho"));
        assertThat(plan.getMap("targets[0].steps[0].receives")).isEmpty();
        assertThat(plan.getMap("targets[0].steps[1].receives")).containsOnlyKeys("$steps_precheck_build",
                "$steps_precheck_hostile", "$steps_precheck_tokenEcho");
        Map<String, Object> receives = plan.getMap("targets[0].steps[2].receives");
        assertThat(receives).containsOnlyKeys("$steps_precheck_build", "$steps_precheck_hostile",
                "$steps_precheck_tokenEcho", "$steps_only_exchange_2019_ran");
        assertThat((String) receives.get("$steps_only_exchange_2019_ran"))
                .contains("output 'ran' of step 'only-exchange-2019'").contains("$null if it was skipped");
        assertThat(plan.prettify()).as("the dry-run answer").doesNotContain(TOKEN);
        assertThat(RunRequestValidationTest.eventsMentioning(ticket)).as("events written by a dry-run").isZero();
    }

    @Test
    void a_secret_the_host_echoed_is_masked_in_output_and_in_the_reasons_a_failed_check_gives() {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        String runId = given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "secret-echo-probe", "targets", List.of(host), "params", Map.of("token", TOKEN)))
                .when().post("/api/v1/runs")
                .then().statusCode(202).extract().path("id");
        assertThat(ProxyLogonRemediationTest.awaitFinished(runId).getString("status")).isEqualTo("FAILED");
        String raw = given().when().get("/api/v1/runs/{id}/events", runId).then().statusCode(200).extract().asString();
        assertThat(raw).as("the secret anywhere in the events").doesNotContain(TOKEN);
        Map<?, ?> failed = ProxyLogonRemediationTest.events(runId).stream()
                .filter(e -> "StepFailed".equals(e.get("type"))).map(e -> (Map<?, ?>) e.get("data"))
                .findFirst().orElseThrow();
        assertThat((String) failed.get("stdout")).contains("token=***");
        assertThat(failed.get("reasons").toString()).as("the failed check's reason").contains("token=***");
    }

    private static List<String> stepsStarted(List<Map<String, Object>> events, String target) {
        return events.stream().filter(e -> "StepStarted".equals(e.get("type")) && target.equals(e.get("target")))
                .map(e -> (String) e.get("step")).toList();
    }

    private static Map<?, ?> succeeded(List<Map<String, Object>> events, String target, String step) {
        return events.stream().filter(e -> "StepSucceeded".equals(e.get("type")) && target.equals(e.get("target"))
                        && step.equals(e.get("step")))
                .map(e -> (Map<?, ?>) e.get("data")).findFirst().orElseThrow();
    }
}
