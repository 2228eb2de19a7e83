package io.antidote.api;

import static io.antidote.api.ProxyLogonRemediationTest.awaitFinished;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Alerts in through RabbitMQ (issue 15 point 2), against the machine's real broker: a message that is not an alert,
 * and one that is hostile, are dead-lettered without holding up the good alert behind them, which starts its run.
 * The test process has an exchange and queues of its own (application.properties, %test).
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AlertQueueTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "mp.messaging.incoming.alerts.exchange.name")
    String exchange;
    @ConfigProperty(name = "mp.messaging.incoming.alerts.dead-letter-queue-name")
    String deadLetters;
    @ConfigProperty(name = "mp.messaging.incoming.alerts.dead-letter-exchange")
    String deadLetterExchange;

    @Inject
    Pool pool;

    @Test
    void poison_messages_go_to_the_dead_letter_queue_and_the_good_alert_behind_them_is_acted_on() throws Exception {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (Connection connection = factory.newConnection("antidote-alert-test");
             Channel channel = connection.createChannel()) {
            String notJson = "{\"source\": \"test-edr\", \"externalId\": ";
            String hostile = JSON.writeValueAsString(Map.of("source", "test-edr", "externalId", "Q-BAD-" + host,
                    "server", host + "'; Stop-Computer", "type", "ioc-found", "severity", "critical",
                    "occurredAt", "2026-12-07T10:00:00Z", "runAs", "Administrator"));
            String good = JSON.writeValueAsString(AlertsApiTest.alert("test-edr", "Q-" + host, host, "ioc-found",
                    "critical"));
            for (String body : List.of(notJson, hostile, good)) {
                channel.basicPublish(exchange, "alerts.edr", new AMQP.BasicProperties.Builder()
                        .contentType("application/json").deliveryMode(2).build(), body.getBytes(StandardCharsets.UTF_8));
            }

            Row[] matched = new Row[1];
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                var rows = pool.preparedQuery("select decision, run_id, channel, received_by from alert where external_id = $1")
                        .execute(Tuple.of("Q-" + host)).await().atMost(Duration.ofSeconds(10));
                matched[0] = rows.size() == 0 ? null : rows.iterator().next();
                return matched[0] != null;
            });
            assertThat(matched[0].getString("decision")).isEqualTo("MATCHED");
            assertThat(matched[0].getString("channel")).isEqualTo("queue");
            assertThat(matched[0].getString("received_by")).startsWith("queue:antidote.alerts");
            String runId = matched[0].getUUID("run_id").toString();
            assertThat(awaitFinished(runId).getString("status")).isEqualTo("SUCCEEDED");
            List<String> scripts = RestAssured.given().get("/lab/hosts/{name}/commands", host).then().statusCode(200)
                    .extract().jsonPath().getList("commands.script", String.class);
            assertThat(scripts.stream().filter(s -> s.contains("clean: no indicators of compromise")).count())
                    .as("times the host ran the scan's verdict step").isEqualTo(1L);

            List<String> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                GetResponse message = channel.basicGet(deadLetters, true);
                if (message != null) {
                    dead.add(new String(message.getBody(), StandardCharsets.UTF_8));
                }
                return dead.size() >= 2;
            });
            assertThat(dead).as("the dead-letter queue, in order").containsExactly(notJson, hostile);
            assertThat(channel.basicGet(deadLetters, true)).as("nothing else dead-lettered").isNull();
            var refused = pool.preparedQuery("select reason from alert where decision = 'REFUSED' and channel = 'queue'"
                    + " and (external_id = $1 or external_id is null)").execute(Tuple.of("Q-BAD-" + host))
                    .await().atMost(Duration.ofSeconds(10));
            List<String> reasons = new ArrayList<>();
            refused.forEach(row -> reasons.add(row.getString("reason")));
            assertThat(reasons).as("the refused queue messages' records")
                    .anySatisfy(r -> assertThat(r).startsWith("body: is not JSON"))
                    .anySatisfy(r -> assertThat(r).contains("runAs: is not a field of an alert").contains("server:"));
        } finally {
            try (Connection connection = factory.newConnection("antidote-alert-test-cleanup");
                 Channel channel = connection.createChannel()) {
                channel.queueDelete(deadLetters);
                channel.exchangeDelete(deadLetterExchange);
                channel.exchangeDelete(exchange);
            }
            LabHosts.delete(List.of(host));
        }
    }
}
