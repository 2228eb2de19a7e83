package io.antidote.api;

import static io.antidote.api.ProxyLogonRemediationTest.approveWhenAsked;
import static io.antidote.api.ProxyLogonRemediationTest.awaitFinished;
import static io.antidote.api.ProxyLogonRemediationTest.events;
import static io.antidote.api.ProxyLogonRemediationTest.requestRun;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.antidote.identity.Roles;
import io.antidote.identity.TestIdentity;
import io.antidote.store.WebhookDeliveries;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Signed callbacks end to end (issue 15 point 1): an admin subscribes a real HTTP receiver started here, real
 * runs against lab hosts produce events, and the receiver, which refuses the first attempts of every message
 * and is down for a while, ends up with every matching event exactly once, signed as docs/webhooks.md says,
 * while the delivery log shows the retries kept in the database.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WebhooksApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    Pool pool;

    @Inject
    WebhookDeliveries deliveries;

    static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    static JsonPath subscribe(String url, List<String> events, List<String> statuses, String secret) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", url);
        body.put("events", events);
        body.put("statuses", statuses);
        body.put("secret", secret);
        body.put("description", "test receiver");
        return given().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/webhooks")
                .then().statusCode(201).extract().jsonPath();
    }

    static List<Map<String, Object>> log(String subscription) {
        return given().when().get("/api/v1/webhooks/{id}/deliveries", subscription)
                .then().statusCode(200).extract().jsonPath().getList("");
    }

    @Test
    void every_matching_event_reaches_a_receiver_that_fails_at_first_exactly_once_in_effect_and_signed() throws Exception {
        String secret = newSecret();
        try (WebhookReceiver receiver = new WebhookReceiver(secret, 2)) {
            receiver.down = true;
            JsonPath created = subscribe(receiver.url(), List.of("TargetVerdictRecorded"),
                    List.of("SUCCEEDED", "FAILED"), secret);
            String subscription = created.getString("id");
            assertThat(created.getString("secret")).as("the secret is never served back").isEqualTo("whsec_********");
            String listed = given().when().get("/api/v1/webhooks").then().statusCode(200).extract().asString();
            assertThat(listed).contains(subscription).doesNotContain(secret.substring(6));
            try {
                String healthy = LabHosts.create("2016", "CU19", List.of(), List.of());
                String refusing = LabHosts.create("2016", "CU19", List.of(), List.of("http-401"));
                String good = requestRun(healthy);
                approveWhenAsked(good);
                assertThat(awaitFinished(good).getString("status")).isEqualTo("SUCCEEDED");
                String bad = requestRun(refusing);
                assertThat(awaitFinished(bad).getString("status")).isEqualTo("FAILED");

                Map<String, Map<String, Object>> expected = new HashMap<>();
                for (String run : List.of(good, bad)) {
                    for (Map<String, Object> event : events(run)) {
                        if (Set.of("TargetVerdictRecorded", "RunSucceeded", "RunFailed").contains(event.get("type"))) {
                            expected.put((String) event.get("eventId"), event);
                        }
                    }
                }
                assertThat(expected.values()).as("both runs ended and gave verdicts")
                        .anySatisfy(e -> assertThat(e).containsEntry("type", "RunSucceeded"))
                        .anySatisfy(e -> assertThat(e).containsEntry("type", "RunFailed"))
                        .anySatisfy(e -> assertThat(e).containsEntry("type", "TargetVerdictRecorded"));

                // While the receiver is down, the deliveries wait in the table with their failed attempts.
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                        assertThat(log(subscription)).as("the delivery log while the receiver answers 503")
                                .filteredOn(d -> expected.containsKey((String) d.get("eventId")))
                                .hasSize(expected.size())
                                .allSatisfy(d -> {
                                    assertThat(d).containsEntry("status", "PENDING").containsEntry("lastStatus", 503)
                                            .containsEntry("lastError", "HTTP 503");
                                    assertThat((Integer) d.get("attempts")).isGreaterThanOrEqualTo(2);
                                }));
                receiver.down = false;

                Map<String, String> webhookIdOfEvent = new HashMap<>();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    webhookIdOfEvent.clear();
                    for (Map.Entry<String, String> accepted : receiver.accepted.entrySet()) {
                        String eventId = JSON.readTree(accepted.getValue()).path("data").path("event").path("id").asText();
                        assertThat(webhookIdOfEvent.put(eventId, accepted.getKey()))
                                .as("one webhook-id per event: %s", eventId).isNull();
                    }
                    assertThat(webhookIdOfEvent.keySet()).as("the events the receiver acted on")
                            .containsAll(expected.keySet());
                });
                assertThat(receiver.attempts).as("every attempt arrived signed and was verified as the docs say")
                        .allSatisfy(a -> assertThat(a.answered()).isNotEqualTo(401));
                for (String eventId : expected.keySet()) {
                    String id = webhookIdOfEvent.get(eventId);
                    List<WebhookReceiver.Attempt> tries = receiver.attempts.stream().filter(a -> a.id().equals(id)).toList();
                    assertThat(tries).as("attempts of %s: refused while down and twice more, then accepted", id)
                            .hasSizeGreaterThanOrEqualTo(5)
                            .extracting(WebhookReceiver.Attempt::body).containsOnly(tries.get(0).body());
                    assertThat(tries.get(tries.size() - 1).answered()).isEqualTo(204);
                }

                // The payloads carry what a ticket system needs.
                Map<String, JsonNode> bodies = expected.keySet().stream().collect(Collectors.toMap(e -> e,
                        e -> read(receiver.accepted.get(webhookIdOfEvent.get(e)))));
                JsonNode succeeded = bodies.values().stream()
                        .filter(b -> b.path("type").asText().equals("run.RunSucceeded")).findFirst().orElseThrow();
                assertThat(succeeded.at("/data/runId").asText()).isEqualTo(good);
                assertThat(succeeded.at("/data/ticket").asText()).isEqualTo("INC-" + healthy);
                assertThat(succeeded.at("/data/status").asText()).isEqualTo("SUCCEEDED");
                assertThat(succeeded.at("/data/previousStatus").asText()).isEqualTo("RUNNING");
                assertThat(succeeded.at("/data/playbook").asText()).isEqualTo("proxylogon-remediation");
                assertThat(succeeded.at("/data/link").asText()).endsWith("/api/v1/runs/" + good);
                assertThat(succeeded.at("/data/targets/0/name").asText()).isEqualTo(healthy);
                assertThat(succeeded.at("/data/targets/0/verdict/patch").asText()).isEqualTo("PATCHED");
                assertThat(succeeded.at("/data/targets/0/verdict/compromise").asText()).isEqualTo("CLEAN");
                assertThat(succeeded.at("/data/targets/0/verdict/service").asText()).isEqualTo("IN_SERVICE");
                JsonNode failed = bodies.values().stream()
                        .filter(b -> b.path("type").asText().equals("run.RunFailed")).findFirst().orElseThrow();
                assertThat(failed.at("/data/runId").asText()).isEqualTo(bad);
                assertThat(failed.at("/data/status").asText()).isEqualTo("FAILED");
                assertThat(failed.at("/data/ticket").asText()).isEqualTo("INC-" + refusing);
                assertThat(bodies.values()).as("no payload carries the run's parameters")
                        .allSatisfy(b -> assertThat(b.path("data").has("params")).isFalse());

                // A receiver holding the wrong secret, or a body changed on the way, does not verify.
                WebhookReceiver.Attempt sample = receiver.attempts.get(receiver.attempts.size() - 1);
                assertThat(receiver.verifies(sample.id(), sample.timestamp(), sample.signature(), sample.body())).isTrue();
                assertThat(receiver.verifies(sample.id(), sample.timestamp(), sample.signature(), sample.body() + " "))
                        .isFalse();
                try (WebhookReceiver other = new WebhookReceiver(newSecret(), 0)) {
                    assertThat(other.verifies(sample.id(), sample.timestamp(), sample.signature(), sample.body())).isFalse();
                }

                List<Map<String, Object>> delivered = log(subscription).stream()
                        .filter(d -> expected.containsKey((String) d.get("eventId"))).toList();
                assertThat(delivered).as("the delivery log").hasSize(expected.size()).allSatisfy(d -> {
                    assertThat(d).containsEntry("status", "DELIVERED").containsEntry("lastStatus", 204)
                            .containsEntry("lastError", null);
                    assertThat(webhookIdOfEvent.get((String) d.get("eventId"))).isEqualTo(d.get("id"));
                    assertThat((Integer) d.get("attempts")).isGreaterThanOrEqualTo(5);
                });

                // A replay by hand sends the same message again; the receiver recognises it and acts once.
                Map<String, Object> replayed = delivered.stream()
                        .filter(d -> "RunSucceeded".equals(d.get("eventType"))).findFirst().orElseThrow();
                String replayedId = (String) replayed.get("id");
                int triesBefore = receiver.tries.get(replayedId).get();
                given().when().post("/api/v1/webhooks/{id}/deliveries/{delivery}/replay", subscription, replayedId)
                        .then().statusCode(202).body("status", org.hamcrest.Matchers.equalTo("PENDING"));
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(receiver.tries.get(replayedId).get()).isEqualTo(triesBefore + 1));
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log(subscription))
                        .filteredOn(d -> replayedId.equals(d.get("id"))).singleElement().satisfies(d -> {
                            assertThat(d).containsEntry("status", "DELIVERED");
                            assertThat(d.get("attempts")).isEqualTo((Integer) replayed.get("attempts") + 1);
                        }));
                assertThat(receiver.accepted).as("the replay changed nothing the receiver acted on")
                        .containsEntry(replayedId, receiver.attempts.stream().filter(a -> a.id().equals(replayedId))
                                .findFirst().orElseThrow().body());
                assertThat(receiver.accepted.keySet().stream().filter(webhookIdOfEvent::containsValue))
                        .hasSize(expected.size());
            } finally {
                given().when().delete("/api/v1/webhooks/{id}", subscription).then().statusCode(200)
                        .body("status", org.hamcrest.Matchers.equalTo("DISABLED"));
            }
            given().when().delete("/api/v1/webhooks/{id}", subscription).then().statusCode(409)
                    .contentType("application/problem+json");
            given().when().post("/api/v1/webhooks/{id}/deliveries/{delivery}/replay", subscription,
                            log(subscription).get(0).get("id"))
                    .then().statusCode(409).contentType("application/problem+json");
        }
    }

    @Test
    void a_delivery_whose_sender_died_mid_request_is_sent_again_and_a_dead_one_comes_back_by_replay() throws Exception {
        String secret = newSecret();
        try (WebhookReceiver receiver = new WebhookReceiver(secret, 0)) {
            String subscription = subscribe(receiver.url(), List.of("RunSucceeded"), List.of(), secret).getString("id");
            try {
                // The row a sender leaves when it dies after its claim: the attempt counted, due when the claim lapses.
                UUID claimed = insertClaimed(subscription, Duration.ofSeconds(2));
                Thread.sleep(500);
                assertThat(receiver.attempts).as("nobody sends a claimed delivery before its claim lapses")
                        .noneMatch(a -> a.id().equals(claimed.toString()));
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(receiver.accepted).containsKey(claimed.toString()));
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log(subscription))
                        .filteredOn(d -> claimed.toString().equals(d.get("id"))).singleElement()
                        .satisfies(d -> assertThat(d).containsEntry("status", "DELIVERED").containsEntry("attempts", 2)));

                // An attempt that fails with its next one due past the window makes the delivery dead.
                UUID dying = insertClaimed(subscription, Duration.ofHours(1));
                assertThat(deliveries.failed(dying, 503, "HTTP 503", Duration.ofHours(2), Duration.ofHours(1))
                        .await().atMost(Duration.ofSeconds(10))).as("dead").isTrue();
                assertThat(log(subscription)).filteredOn(d -> dying.toString().equals(d.get("id"))).singleElement()
                        .satisfies(d -> assertThat(d).containsEntry("status", "DEAD").containsEntry("lastError", "HTTP 503"));
                given().queryParam("status", "DEAD").when().get("/api/v1/webhooks/{id}/deliveries", subscription)
                        .then().statusCode(200).body("id", org.hamcrest.Matchers.contains(dying.toString()));
                given().when().post("/api/v1/webhooks/{id}/deliveries/{delivery}/replay", subscription, dying)
                        .then().statusCode(202).body("status", org.hamcrest.Matchers.equalTo("PENDING"));
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(receiver.accepted).containsKey(dying.toString()));
                given().queryParam("status", "LOST").when().get("/api/v1/webhooks/{id}/deliveries", subscription)
                        .then().statusCode(400).contentType("application/problem+json")
                        .body("errors.field", org.hamcrest.Matchers.contains("status"));
            } finally {
                given().when().delete("/api/v1/webhooks/{id}", subscription).then().statusCode(200);
            }
        }
    }

    /** A delivery as a sender's claim leaves it: one attempt counted, not due before {@code claim} has passed. */
    private UUID insertClaimed(String subscription, Duration claim) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("insert into webhook_delivery (id, subscription_id, event_id, run_id, event_type, payload, "
                        + "status, attempts, created_at, window_start, next_attempt_at, last_attempt_at) values "
                        + "($1, $2, $3, $4, 'RunSucceeded', $5, 'PENDING', 1, now(), now(), "
                        + "now() + make_interval(secs => $6), now())")
                .execute(Tuple.tuple(List.of(id, UUID.fromString(subscription), UUID.randomUUID(), UUID.randomUUID(),
                        "{\"type\":\"run.RunSucceeded\",\"data\":{\"status\":\"SUCCEEDED\"}}",
                        (double) claim.toSeconds())))
                .await().atMost(Duration.ofSeconds(10));
        return id;
    }

    @Test
    void a_bad_subscription_is_refused_naming_the_field_and_nothing_is_written() {
        int before = given().when().get("/api/v1/webhooks").then().statusCode(200).extract().jsonPath().getList("").size();
        String secret = newSecret();
        Map<String, List<Object>> cases = new LinkedHashMap<>();
        cases.put("url", List.of("ftp://tickets.example.org/in", List.of("TargetVerdictRecorded"), List.of(), secret));
        cases.put("url ", List.of("file:///etc/passwd", List.of("TargetVerdictRecorded"), List.of(), secret));
        cases.put("url  ", List.of("https://user:pw@tickets.example.org/in", List.of(), List.of("FAILED"), secret));
        cases.put("secret", List.of("https://tickets.example.org/in", List.of(), List.of("FAILED"), "whsec_c2hvcnQ="));
        cases.put("secret ", List.of("https://tickets.example.org/in", List.of(), List.of("FAILED"), "hunter2-hunter2"));
        cases.put("events[1]", List.of("https://tickets.example.org/in", List.of("RunSucceeded", "Nope"), List.of(), secret));
        cases.put("statuses[0]", List.of("https://tickets.example.org/in", List.of(), List.of("DONE"), secret));
        cases.put("events", List.of("https://tickets.example.org/in", List.of(), List.of(), secret));
        cases.forEach((field, c) -> {
            Map<String, Object> body = new HashMap<>();
            body.put("url", c.get(0));
            body.put("events", c.get(1));
            body.put("statuses", c.get(2));
            body.put("secret", c.get(3));
            String answer = given().contentType(ContentType.JSON).body(body).when().post("/api/v1/webhooks")
                    .then().statusCode(422).contentType("application/problem+json")
                    .body("errors.field", org.hamcrest.Matchers.hasItem(field.trim()))
                    .extract().asString();
            assertThat(answer).as("the refusal of %s never quotes the secret", field)
                    .doesNotContain(((String) c.get(3)).substring(6));
        });
        given().contentType(ContentType.JSON).body(Map.of("url", "https://x.example.org", "secret", secret,
                        "statuses", List.of("FAILED"), "colour", "red"))
                .when().post("/api/v1/webhooks").then().statusCode(400).contentType("application/problem+json");
        assertThat(given().when().get("/api/v1/webhooks").then().statusCode(200).extract().jsonPath().getList(""))
                .as("nothing written").hasSize(before);
    }

    @Test
    void only_an_admin_manages_subscriptions_and_an_auditor_reads_them() {
        String body = "{\"url\":\"https://tickets.example.org/in\",\"statuses\":[\"FAILED\"],\"secret\":\"" + newSecret() + "\"}";
        for (String role : List.of(Roles.OPERATOR, Roles.APPROVER, Roles.AUDITOR, Roles.VIEWER)) {
            TestIdentity.as("someone", role).contentType(ContentType.JSON).body(body)
                    .when().post("/api/v1/webhooks").then().statusCode(403);
            TestIdentity.as("someone", role).when().delete("/api/v1/webhooks/{id}", "0b9a1f9e-0000-4000-8000-000000000000")
                    .then().statusCode(403);
        }
        for (String role : List.of(Roles.OPERATOR, Roles.APPROVER, Roles.VIEWER)) {
            TestIdentity.as("someone", role).when().get("/api/v1/webhooks").then().statusCode(403);
        }
        String secret = newSecret();
        String id = subscribe("https://tickets.example.org/audited", List.of(), List.of("FAILED"), secret).getString("id");
        try {
            String listed = TestIdentity.as("someone", Roles.AUDITOR).when().get("/api/v1/webhooks").then()
                    .statusCode(200).extract().asString();
            assertThat(listed).as("an auditor reads the subscription, its secret masked").contains(id)
                    .doesNotContain(secret.substring("whsec_".length()));
            TestIdentity.as("someone", Roles.AUDITOR).when().get("/api/v1/webhooks/{id}/deliveries", id).then()
                    .statusCode(200);
        } finally {
            given().when().delete("/api/v1/webhooks/{id}", id).then().statusCode(200);
        }
        TestIdentity.anonymous().when().get("/api/v1/webhooks").then().statusCode(401);
        given().when().get("/api/v1/webhooks/{id}", "0b9a1f9e-0000-4000-8000-000000000000").then().statusCode(404)
                .contentType("application/problem+json");
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
