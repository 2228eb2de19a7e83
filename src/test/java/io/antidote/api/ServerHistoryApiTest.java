package io.antidote.api;

import static io.antidote.api.ProxyLogonRemediationTest.approveWhenAsked;
import static io.antidote.api.ProxyLogonRemediationTest.awaitFinished;
import static io.antidote.api.ProxyLogonRemediationTest.events;
import static io.antidote.api.ProxyLogonRemediationTest.requestRun;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * A server's history across runs, as an auditor asks for it: the last verdict any run recorded, with the
 * events behind it named by run, seq and hash, and every run that named the server; a list filtered by
 * verdict and label. Real runs of the ProxyLogon playbook against lab hosts.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ServerHistoryApiTest {

    private final List<String> hosts = new ArrayList<>();

    @AfterEach
    void deleteHosts() {
        LabHosts.delete(hosts);
    }

    @Test
    void each_server_shows_its_last_verdict_with_the_events_behind_it_and_every_run_that_named_it() {
        String clean = host("2016", "CU19", List.of());
        String compromised = host("2019", "CU8", List.of("webshell", "log-26855"));
        String untouched = host("2013", "CU23", List.of());

        String first = requestRun(clean);
        approveWhenAsked(first);
        assertThat(awaitFinished(first).getString("status")).isEqualTo("SUCCEEDED");
        // A re-run on the server the first run patched: nothing to approve, and its verdict is the newer one.
        String second = requestRun(clean);
        assertThat(awaitFinished(second).getString("status")).isEqualTo("SUCCEEDED");
        String bad = requestRun(compromised);
        approveWhenAsked(bad);
        assertThat(awaitFinished(bad).getString("status")).isEqualTo("FAILED");

        JsonPath server = given().when().get("/api/v1/servers/{name}", clean).then().statusCode(200)
                .extract().jsonPath();
        assertThat(server.getString("patch")).isEqualTo("PATCHED");
        assertThat(server.getString("compromise")).isEqualTo("CLEAN");
        assertThat(server.getString("service")).isEqualTo("IN_SERVICE");
        assertThat(server.getList("runs.runId", String.class)).as("timeline").containsExactly(first, second);
        assertThat(server.getList("runs.status", String.class)).containsExactly("SUCCEEDED", "SUCCEEDED");
        assertThat(server.getList("runs.targetEnd", String.class)).containsOnly("TargetSucceeded");

        // The evidence is the newer run's, and each reference is an event of that run, exactly.
        assertEvidenceIsOf(server, second, clean, "precheck");

        JsonPath worst = given().when().get("/api/v1/servers/{name}", compromised).then().statusCode(200)
                .extract().jsonPath();
        assertThat(worst.getString("compromise")).isEqualTo("COMPROMISED");
        assertThat(worst.getString("service")).isEqualTo("ISOLATED");
        assertThat(worst.getList("indicators", String.class)).anyMatch(i -> i.contains("CVE-2021-26855"));

        assertThat(names("verdict=COMPROMISED")).contains(compromised).doesNotContain(clean, untouched);
        assertThat(names("verdict=ISOLATED")).contains(compromised).doesNotContain(clean, untouched);
        assertThat(names("verdict=IN_SERVICE")).contains(clean).doesNotContain(compromised, untouched);
        assertThat(names("verdict=UNKNOWN")).contains(untouched).doesNotContain(clean, compromised);
        JsonPath never = given().when().get("/api/v1/servers/{name}", untouched).then().statusCode(200)
                .extract().jsonPath();
        assertThat(never.getString("patch")).isEqualTo("UNKNOWN");
        assertThat(never.getList("runs")).isEmpty();

        Map<String, String> labels = given().when().get("/api/v1/targets").then().extract().jsonPath()
                .getMap("find { it.name == '" + clean + "' }.labels");
        assertThat(labels).as("labels of a lab target").isNotEmpty();
        var label = labels.entrySet().iterator().next();
        assertThat(names("label=" + label.getKey() + "=" + label.getValue())).contains(clean);
        assertThat(names("label=" + label.getKey() + "=no-such-value")).doesNotContain(clean);
    }

    @Test
    void a_vulnerable_and_a_mitigated_server_are_listed_by_verdict_with_the_labels_their_runs_recorded() {
        String vulnerable = host("2019", "CU7", List.of());
        String mitigated = host("2016", "CU17", List.of());

        // A read-only check of a build without the fix; an old CU without its out-of-band SU, mitigated.
        String check = requestRun("proxylogon-verify", vulnerable);
        assertThat(awaitFinished(check).getString("status")).isEqualTo("FAILED");
        String mitigation = requestRun(mitigated);
        assertThat(awaitFinished(mitigation).getString("status")).isEqualTo("FAILED");

        JsonPath exposed = server(vulnerable);
        assertThat(exposed.getString("patch")).isEqualTo("VULNERABLE");
        assertEvidenceIsOf(exposed, check, vulnerable, "build");
        JsonPath interim = server(mitigated);
        assertThat(interim.getString("patch")).isEqualTo("MITIGATED");
        assertThat(interim.getString("service")).isEqualTo("ISOLATED");
        assertThat(interim.getList("reasons", String.class)).contains("mitigated, not fixed");
        assertEvidenceIsOf(interim, mitigation, mitigated, "mitigate-services");

        assertThat(names("verdict=VULNERABLE")).contains(vulnerable).doesNotContain(mitigated);
        assertThat(names("verdict=MITIGATED")).contains(mitigated).doesNotContain(vulnerable);
        assertThat(names("verdict=ISOLATED")).contains(mitigated);
        assertThat(names("verdict=PATCHED")).doesNotContain(vulnerable, mitigated);

        // The labels are those the run recorded: the server keeps them once it has left the inventory.
        Map<String, String> labels = given().when().get("/api/v1/targets").then().extract().jsonPath()
                .getMap("find { it.name == '" + mitigated + "' }.labels");
        assertThat(labels).containsEntry("cu", "CU17");
        LabHosts.delete(List.of(mitigated));
        assertThat(given().when().get("/api/v1/targets").then().extract().jsonPath().getList("name", String.class))
                .as("the inventory after the host is gone").doesNotContain(mitigated);
        assertThat(server(mitigated).getMap("labels")).isEqualTo(labels);
        assertThat(names("verdict=MITIGATED&label=cu=CU17&label=version=2016")).contains(mitigated);
        assertThat(names("label=cu=CU17")).contains(mitigated).doesNotContain(vulnerable);
        assertThat(names("verdict=VULNERABLE&label=cu=CU17")).doesNotContain(mitigated, vulnerable);
        assertThat(names("label=cu=CU7&label=version=2019")).contains(vulnerable).doesNotContain(mitigated);
    }

    /** The server's evidence is events of that run on that server, exactly, ending with its verdict. */
    private static void assertEvidenceIsOf(JsonPath server, String runId, String name, String step) {
        List<Map<String, Object>> evidence = server.getList("evidence");
        assertThat(evidence).last().satisfies(e -> assertThat(e).containsEntry("type", "TargetVerdictRecorded"));
        assertThat(evidence).as("evidence of %s", name).anySatisfy(e -> assertThat(e)
                .containsEntry("type", "StepSucceeded").containsEntry("step", step));
        List<Map<String, Object>> stored = events(runId);
        for (Map<String, Object> ref : evidence) {
            assertThat(ref.get("runId")).isEqualTo(runId);
            Map<String, Object> event = stored.get(((Number) ref.get("seq")).intValue() - 1);
            assertThat(event).as("event at seq %s", ref.get("seq")).containsEntry("hash", ref.get("hash"))
                    .containsEntry("type", ref.get("type")).containsEntry("target", name);
        }
    }

    private static JsonPath server(String name) {
        return given().when().get("/api/v1/servers/{name}", name).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void a_bad_filter_names_its_parameter_and_an_unknown_server_is_not_found() {
        given().when().get("/api/v1/servers?verdict=FIXED").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", org.hamcrest.Matchers.equalTo("verdict"));
        given().when().get("/api/v1/servers?label=nokey").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", org.hamcrest.Matchers.equalTo("label"));
        given().when().get("/api/v1/servers/{name}", "no-such-server").then().statusCode(404)
                .contentType("application/problem+json");
    }

    private String host(String version, String cu, List<String> compromise) {
        String name = LabHosts.create(version, cu, compromise, List.of());
        hosts.add(name);
        return name;
    }

    private static List<String> names(String query) {
        return given().when().get("/api/v1/servers?" + query).then().statusCode(200).extract().jsonPath()
                .getList("name", String.class);
    }
}
