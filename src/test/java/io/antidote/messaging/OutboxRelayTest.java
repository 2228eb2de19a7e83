package io.antidote.messaging;

import io.antidote.identity.Roles;
import io.antidote.identity.TestIdentity;
import static io.antidote.identity.TestIdentity.as;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.inject.Inject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Run events leave through the outbox: everything committed is published once the relay catches up, in
 * each run's seq order, as CloudEvents that carry the event's own id and its place in the hash chain.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OutboxRelayTest {

    @Inject
    RunEventFeed feed;

    @Test
    void every_committed_event_of_a_run_is_published_in_order_as_a_cloud_event() {
        List<RunEventMessage> received = new CopyOnWriteArrayList<>();
        Cancellable subscription = feed.events().subscribe().with(received::add);
        try {
            String host = "o-" + UUID.randomUUID().toString().substring(0, 8);
            given().contentType(ContentType.JSON)
                    .body(Map.of("name", host, "version", "2016", "cu", "CU18"))
                    .when().post("/lab/hosts").then().statusCode(201);
            String runId = given().contentType(ContentType.JSON)
                    .body(Map.of("playbook", "proxylogon-remediation", "targets", List.of(host)))
                    .when().post("/api/v1/runs").then().statusCode(202).extract().path("id");
            // The playbook's patch waits for an approver other than the requester.
            await().atMost(Duration.ofSeconds(60)).until(() -> "WAITING_APPROVAL".equals(
                    given().when().get("/api/v1/runs/{id}", runId).then().extract().path("status")));
            as("approver-1", Roles.APPROVER).contentType(ContentType.JSON)
                    .body(Map.of("step", "patch", "decision", "APPROVE"))
                    .when().post("/api/v1/runs/{id}/approvals", runId).then().statusCode(200);

            await().atMost(Duration.ofSeconds(90)).until(() -> received.stream()
                    .anyMatch(m -> m.subject().equals(runId) && m.type().equals("io.antidote.run.RunSucceeded")));

            List<Map<String, Object>> stored = given().when().get("/api/v1/runs/{id}/events", runId)
                    .then().statusCode(200).extract().jsonPath().getList("");
            List<RunEventMessage> published = received.stream().filter(m -> m.subject().equals(runId)).toList();

            assertThat(published).as("published events of the run").hasSameSizeAs(stored);
            for (int i = 0; i < stored.size(); i++) {
                RunEventMessage m = published.get(i);
                Map<String, Object> e = stored.get(i);
                assertThat(m.data().seq()).as("seq of published event %d", i).isEqualTo(i + 1L);
                assertThat(m.id().toString()).isEqualTo(e.get("eventId"));
                assertThat(m.type()).isEqualTo("io.antidote.run." + e.get("type"));
                assertThat(m.data().hash()).isEqualTo(e.get("hash"));
                assertThat(m.data().prevHash()).isEqualTo(e.get("prevHash"));
                assertThat(m.specversion()).isEqualTo("1.0");
                assertThat(m.source()).isEqualTo("/antidote/runs/" + runId);
            }
        } finally {
            subscription.cancel();
        }
    }
}
