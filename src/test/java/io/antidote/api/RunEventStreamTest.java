package io.antidote.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The stream out, on the machine's real RabbitMQ: a consumer bound to {@code antidote.runs} receives every
 * event of a set of runs, in order, as the same JSON the API serves, plus each run's signed end checkpoint.
 */
@QuarkusTest
@TestProfile(FleetAndFaultsProfile.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RunEventStreamTest {

    private final List<String> hosts = new ArrayList<>();

    @AfterEach
    void deleteHosts() {
        LabHosts.delete(hosts);
    }

    @Test
    void a_consumer_receives_every_event_of_every_run_in_order_and_each_run_end_checkpoint() throws Exception {
        try (StreamConsumer consumer = new StreamConsumer()) {
            List<String> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String a = LabHosts.create("2019", "CU8", List.of(), List.of());
                String b = LabHosts.create("2016", "CU19", List.of(), List.of());
                hosts.addAll(List.of(a, b));
                runs.add(given().contentType(ContentType.JSON)
                        .body(Map.of("playbook", "fleet-trivial", "targets", List.of(a, b), "ticket", "CHG-STREAM"))
                        .when().post("/api/v1/runs").then().statusCode(202).extract().path("id"));
            }
            for (String run : runs) {
                assertThat(FleetRunTest.awaitFinished(run, Duration.ofMinutes(3)).getString("status"))
                        .as("run %s", run).isEqualTo("SUCCEEDED");
            }
            for (String run : runs) {
                List<Map<String, Object>> stored = ProxyLogonRemediationTest.events(run);
                // Checkpoints of the run's head while it ran may come first; the one signed at its end comes last.
                await().atMost(Duration.ofSeconds(60)).until(() -> consumer.eventsOf(run).size() >= stored.size()
                        && consumer.checkpointsOf(run).stream()
                                .anyMatch(c -> c.path("data").path("lastSeq").asLong() == stored.size()));
                assertStreamMatches(consumer, run);
                JsonNode checkpoint = consumer.checkpointsOf(run).stream()
                        .filter(c -> c.path("data").path("lastSeq").asLong() == stored.size()).findFirst().orElseThrow();
                assertThat(consumer.checkpointsOf(run)).as("checkpoints of %s", run)
                        .allSatisfy(c -> assertThat(c.path("data").path("lastSeq").asLong()).isBetween(1L, (long) stored.size()));
                assertThat(checkpoint.path("data").path("lastHash").asText())
                        .isEqualTo(stored.get(stored.size() - 1).get("hash"));
                assertThat(checkpoint.path("data").path("signature").asText()).isNotBlank();
            }
            assertThat(consumer.all()).as("every message is a structured CloudEvent with its routing key")
                    .allSatisfy(r -> {
                        assertThat(r.contentType()).isEqualTo("application/cloudevents+json");
                        assertThat(r.cloudEvent().path("specversion").asText()).isEqualTo("1.0");
                        String type = r.cloudEvent().path("type").asText();
                        assertThat(r.routingKey()).isEqualTo(type.equals("io.antidote.checkpoint") ? "checkpoint"
                                : "run." + type.substring("io.antidote.run.".length()));
                    });
        }
    }

    /**
     * What the consumer holds of the run, first delivery of each id in arrival order, is exactly the run's
     * history: same ids, same order, the data of each the JSON the API serves for that event.
     */
    static void assertStreamMatches(StreamConsumer consumer, String run) {
        String served = given().when().get("/api/v1/runs/{id}/events", run).then().statusCode(200).extract().asString();
        JsonNode stored;
        try {
            stored = StreamConsumer.JSON.readTree(served);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        List<JsonNode> published = consumer.eventsOf(run);
        assertThat(published).as("events of run %s on the stream", run).hasSize(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            JsonNode message = published.get(i);
            assertThat(message.path("id").asText()).as("id of message %d of run %s", i, run)
                    .isEqualTo(stored.get(i).path("eventId").asText());
            assertThat(message.path("data")).as("data of message %d of run %s", i, run).isEqualTo(stored.get(i));
            List<String> attributes = new ArrayList<>();
            message.fieldNames().forEachRemaining(attributes::add);
            assertThat(attributes).as("attributes of message %d of run %s", i, run)
                    .containsExactly("specversion", "id", "source", "type", "subject", "time", "datacontenttype", "data");
            assertThat(message.path("source").asText()).isEqualTo("/antidote/runs/" + run);
            assertThat(message.path("subject").asText()).isEqualTo(run);
            assertThat(message.path("datacontenttype").asText()).isEqualTo("application/json");
            assertThat(java.time.Instant.parse(message.path("time").asText())).as("time of message %d of run %s", i, run)
                    .isEqualTo(java.time.Instant.parse(stored.get(i).path("occurredAt").asText()));
        }
    }
}
