package io.antidote.api;

import static io.antidote.api.ProxyLogonRemediationTest.awaitFinished;
import static io.antidote.api.ProxyLogonRemediationTest.events;
import static io.antidote.identity.TestIdentity.as;
import static io.antidote.identity.TestIdentity.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.antidote.identity.Roles;
import io.antidote.identity.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;

import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Alerts in through the API (issue 15 point 2), end to end: an EDR's alert requests a run of real lab hosts through
 * the rules of playbooks/rules (and the test rule of src/test/resources/alert-rules), every alert is recorded with
 * its decision, a flood of identical alerts starts exactly one run (the host's command log shows the playbook ran
 * once), and malformed or hostile alerts are refused naming their fields.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AlertsApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @Inject
    Pool pool;

    /** A credential of the source itself: an alert may only name its sender as its source. */
    static String sourceToken(String source) {
        return TestTokens.person(source, Roles.ALERT_SOURCE);
    }

    static Map<String, Object> alert(String source, String externalId, String server, String type, String severity) {
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("source", source);
        alert.put("externalId", externalId);
        alert.put("server", server);
        alert.put("type", type);
        alert.put("severity", severity);
        alert.put("occurredAt", Instant.now().minusSeconds(30).toString());
        alert.put("summary", "seen by the test");
        return alert;
    }

    static ValidatableResponse send(Map<String, Object> body) {
        return bearer(sourceToken((String) body.getOrDefault("source", "edr"))).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/alerts").then();
    }

    @Test
    void a_webshell_alert_requests_the_remediation_which_waits_for_a_person_before_touching_the_server() {
        String host = LabHosts.create("2019", "CU8", List.of("webshell"), List.of());
        try {
            JsonPath matched = send(alert("defender", "INC-" + host, host, "webshell", "critical"))
                    .statusCode(202).header("Location", org.hamcrest.Matchers.containsString("/api/v1/alerts/"))
                    .extract().jsonPath();
            assertThat(matched.getString("decision")).isEqualTo("MATCHED");
            assertThat(matched.getString("rule")).isEqualTo("proxylogon-webshell");
            assertThat(matched.getString("reason")).contains("proxylogon-remediation").contains("approves");
            assertThat(matched.getString("receivedBy")).isEqualTo("defender");
            String runId = matched.getString("runId");

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> "WAITING_APPROVAL"
                    .equals(RestAssured.given().get("/api/v1/runs/{id}", runId).then().extract().path("status")));
            JsonPath run = RestAssured.given().get("/api/v1/runs/{id}", runId).then().statusCode(200).extract().jsonPath();
            assertThat(run.getString("playbook")).isEqualTo("proxylogon-remediation");
            assertThat(run.getString("ticket")).as("the alert's id is the run's ticket").isEqualTo("INC-" + host);
            List<Map<String, Object>> events = events(runId);
            assertThat(events.get(0)).as("requested in the source's name, not a person's")
                    .containsEntry("type", "RunRequested").containsEntry("actor", "alert:defender");
            assertThat(events).filteredOn(e -> "ApprovalRequested".equals(e.get("type")))
                    .singleElement().satisfies(e -> assertThat(e).containsEntry("step", "precheck"));
            assertThat(LabHosts.commands(host)).as("commands that reached the host before anyone approved").isEmpty();

            JsonPath again = send(alert("sentinel", "SEN-" + host, host, "CVE-2021-26855", "high"))
                    .statusCode(202).extract().jsonPath();
            assertThat(again.getString("decision")).isEqualTo("DEDUPLICATED");
            assertThat(again.getString("runId")).isEqualTo(runId);

            as("approver-1", Roles.APPROVER).contentType(ContentType.JSON)
                    .body(Map.of("step", "precheck", "decision", "APPROVE", "comment", "alert checked"))
                    .when().post("/api/v1/runs/{id}/approvals", runId).then().statusCode(200);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(LabHosts.commands(host)).as("the host's commands once approved")
                            .isNotEmpty());

            List<Map<String, Object>> recorded = as("audrey", Roles.AUDITOR).queryParam("runId", runId)
                    .when().get("/api/v1/alerts").then().statusCode(200).extract().jsonPath().getList("");
            assertThat(recorded).extracting(a -> a.get("decision")).containsExactlyInAnyOrder("MATCHED", "DEDUPLICATED");
            as("carol", Roles.ADMIN).contentType(ContentType.JSON).body(Map.of("mode", "FINISH_STEP"))
                    .when().post("/api/v1/runs/{id}/cancel", runId).then().statusCode(200);
            awaitFinished(runId);
        } finally {
            LabHosts.delete(List.of(host));
        }
    }

    @Test
    void malformed_and_hostile_alerts_are_refused_naming_each_field_recorded_and_start_nothing() throws Exception {
        long refusedBefore = count("select count(*) from alert where decision = 'REFUSED'");
        bearer(sourceToken("edr")).contentType(ContentType.JSON).body("<alert>webshell</alert>").when().post("/api/v1/alerts")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("body"));

        Map<String, Object> hostile = new HashMap<>(alert("edr", "HOSTILE-1", "lab-ex01; rm -rf /", "webshell\u0000",
                "urgent"));
        hostile.put("occurredAt", "yesterday");
        hostile.put("playbook", "proxylogon-mitigation-rollback");
        List<String> fields = send(hostile).statusCode(422).contentType("application/problem+json")
                .extract().jsonPath().getList("errors.field", String.class);
        assertThat(fields).containsExactlyInAnyOrder("playbook", "server", "type", "severity", "occurredAt");

        assertThat(send(new HashMap<>(Map.of("type", "webshell"))).statusCode(422).extract().jsonPath()
                .getList("errors.field", String.class))
                .containsExactlyInAnyOrder("source", "externalId", "server", "severity", "occurredAt");

        Map<String, Object> future = alert("edr", "FUTURE-1", "lab-ex01", "webshell", "high");
        future.put("occurredAt", Instant.now().plus(Duration.ofHours(2)).toString());
        String detail = send(future).statusCode(422).extract().jsonPath().getString("detail");
        assertThat(detail).contains("occurredAt").contains("ahead");

        assertThat(count("select count(*) from alert where decision = 'REFUSED'") - refusedBefore)
                .as("refused alerts recorded").isEqualTo(4);
        assertThat(count("select count(*) from alert where decision = 'REFUSED' and received_by = 'edr'"
                + " and external_id = 'HOSTILE-1' and reason like '%server%'")).isEqualTo(1);
        assertThat(RestAssured.given().queryParam("ticket", "HOSTILE-1").get("/api/v1/runs").then().statusCode(200)
                .extract().jsonPath().getList("items")).as("runs of refused alerts").isEmpty();
    }

    @Test
    void an_api_token_sends_alerts_only_in_its_own_name_and_the_record_shows_who_sent_each() {
        String name = "defender-" + UUID.randomUUID().toString().substring(0, 8);
        String token = as("root", Roles.ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", name, "roles", List.of(Roles.ALERT_SOURCE), "playbooks", List.of(),
                        "expiresAt", Instant.now().plusSeconds(600).toString()))
                .when().post("/api/v1/tokens").then().statusCode(201).extract().path("token");

        JsonPath own = bearer(token).contentType(ContentType.JSON).body(alert(name, "OWN-" + name, "not-in-inventory",
                "webshell", "high")).when().post("/api/v1/alerts").then().statusCode(202).extract().jsonPath();
        assertThat(own.getString("source")).isEqualTo(name);
        assertThat(own.getString("receivedBy")).as("the token that sent it").isEqualTo("token:" + name);

        JsonPath posing = bearer(token).contentType(ContentType.JSON).body(alert("sentinel", "POSE-" + name,
                "not-in-inventory", "webshell", "high")).when().post("/api/v1/alerts").then().statusCode(422)
                .contentType("application/problem+json").extract().jsonPath();
        assertThat(posing.getList("errors.field", String.class)).containsExactly("source");
        assertThat(posing.getString("errors[0].message")).contains("'sentinel'").contains("'" + name + "'");
        List<Map<String, Object>> recorded = as("audrey", Roles.AUDITOR).queryParam("source", "sentinel")
                .queryParam("decision", "REFUSED").when().get("/api/v1/alerts").then().statusCode(200)
                .extract().jsonPath().getList("");
        assertThat(recorded).as("the refused alert, its claimed source beside the token that sent it")
                .filteredOn(a -> ("POSE-" + name).equals(a.get("externalId"))).singleElement()
                .satisfies(a -> assertThat(a).containsEntry("receivedBy", "token:" + name)
                        .containsEntry("source", "sentinel").containsEntry("runId", null));
    }

    @Test
    void an_alert_no_rule_matches_or_about_an_unknown_server_is_recorded_as_ignored() {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        try {
            JsonPath unknown = send(alert("defender", "UNK-1", "not-in-inventory", "webshell", "critical"))
                    .statusCode(202).extract().jsonPath();
            assertThat(unknown.getString("decision")).isEqualTo("IGNORED");
            assertThat(unknown.getString("reason")).contains("not-in-inventory").contains("inventory");
            JsonPath low = send(alert("defender", "LOW-1", host, "webshell", "low")).statusCode(202).extract().jsonPath();
            assertThat(low.getString("decision")).as("below every rule's severity").isEqualTo("IGNORED");
            assertThat(low.getString("reason")).contains("no rule matches");
            assertThat(low.getString("runId")).isNull();
            String id = low.getString("id");
            as("audrey", Roles.AUDITOR).when().get("/api/v1/alerts/{id}", id).then().statusCode(200)
                    .body("decision", org.hamcrest.Matchers.equalTo("IGNORED"));
        } finally {
            LabHosts.delete(List.of(host));
        }
    }

    @Test
    void a_flood_of_a_thousand_identical_concurrent_alerts_starts_one_run_and_the_server_runs_the_playbook_once()
            throws Exception {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        try {
            String body = JSON.writeValueAsString(alert("test-edr", "FLOOD-" + host, host, "ioc-found", "critical"));
            String token = sourceToken("test-edr");
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            URI uri = URI.create("http://localhost:" + RestAssured.port + "/api/v1/alerts");
            ExecutorService senders = Executors.newFixedThreadPool(64);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            try {
                for (int i = 0; i < 1000; i++) {
                    answers.add(senders.submit(() -> {
                        start.await();
                        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120))
                                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    }));
                }
                start.countDown();
                Map<String, Integer> decisions = new HashMap<>();
                Set<String> runs = new java.util.HashSet<>();
                for (Future<HttpResponse<String>> answer : answers) {
                    HttpResponse<String> response = answer.get();
                    assertThat(response.statusCode()).as("answer %s", response.body()).isEqualTo(202);
                    JsonNode decided = JSON.readTree(response.body());
                    decisions.merge(decided.get("decision").asText(), 1, Integer::sum);
                    runs.add(decided.get("runId").asText());
                }
                assertThat(decisions).as("decisions of the flood").isEqualTo(Map.of("MATCHED", 1, "DEDUPLICATED", 999));
                assertThat(runs).as("runs the flood's alerts name").hasSize(1);
                String runId = runs.iterator().next();

                assertThat(awaitFinished(runId).getString("status")).isEqualTo("SUCCEEDED");
                assertThat(RestAssured.given().queryParam("ticket", "FLOOD-" + host).get("/api/v1/runs").then()
                        .statusCode(200).extract().jsonPath().getList("items.id")).as("runs with the alert's ticket")
                        .containsExactly(runId);
                List<String> scripts = RestAssured.given().get("/lab/hosts/{name}/commands", host).then().statusCode(200)
                        .extract().jsonPath().getList("commands.script", String.class);
                assertThat(scripts.stream().filter(s -> s.contains("clean: no indicators of compromise")).count())
                        .as("times the host ran the scan's verdict step").isEqualTo(1L);
                assertThat(count("select count(*) from alert where external_id = 'FLOOD-" + host + "' and run_id = '"
                        + runId + "'")).as("alerts recorded against the run").isEqualTo(1000);
                assertThat(count("select count(*) from alert where external_id = 'FLOOD-" + host
                        + "' and decision = 'MATCHED'")).isEqualTo(1);

                JsonPath later = send(alert("test-edr", "FLOOD-" + host, host, "ioc-found", "critical"))
                        .statusCode(202).extract().jsonPath();
                assertThat(later.getString("decision")).as("after the run ended, within the window")
                        .isEqualTo("DEDUPLICATED");
            } finally {
                senders.shutdownNow();
            }
        } finally {
            LabHosts.delete(List.of(host));
        }
    }

    private long count(String sql) {
        return pool.query(sql).execute().await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

}
