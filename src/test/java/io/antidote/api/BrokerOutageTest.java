package io.antidote.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The broker is unreachable for 60 s while runs progress: publishing pauses, readiness says so, and once the
 * broker is back everything committed meanwhile arrives, nothing missing and nothing out of order per run.
 * The service reaches RabbitMQ through a {@link TcpProxy} the test cuts, so the machine's broker never stops.
 */
@QuarkusTest
@TestProfile(BrokerOutageTest.BehindProxy.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BrokerOutageTest {

    static final Duration OUTAGE = Duration.ofSeconds(60);

    public static class BehindProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("antidote.playbooks.dir", "src/test/resources/playbooks-fleet",
                    "mp.messaging.outgoing.run-events.reconnect-interval", "1",
                    "antidote.outbox.publish-timeout", "3s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Proxy.class));
        }
    }

    /** Starts the proxy before the application, which then knows the broker only by the proxy's port. */
    public static class Proxy implements QuarkusTestResourceLifecycleManager {
        static TcpProxy proxy;

        @Override
        public Map<String, String> start() {
            try {
                proxy = new TcpProxy(5672);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("rabbitmq-port", String.valueOf(proxy.port()));
        }

        @Override
        public void stop() {
            proxy.close();
        }
    }

    private final List<String> hosts = new ArrayList<>();

    @AfterEach
    void deleteHostsAndRestoreTheBroker() {
        Proxy.proxy.up();
        LabHosts.delete(hosts);
    }

    @Test
    void a_60_s_broker_outage_pauses_publishing_and_nothing_is_lost_or_reordered() throws Exception {
        try (StreamConsumer consumer = new StreamConsumer()) {
            List<String> runs = new ArrayList<>();
            runs.add(startRun());
            await().atMost(Duration.ofSeconds(60)).until(() -> !consumer.eventsOf(runs.get(0)).isEmpty());

            Proxy.proxy.down();
            Instant cut = Instant.now();
            for (int i = 0; i < 3; i++) {
                runs.add(startRun());
            }
            await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500)).until(() ->
                    given().when().get("/q/health/ready").then().extract().statusCode() == 503);
            for (String run : runs) {
                assertThat(FleetRunTest.awaitFinished(run, Duration.ofMinutes(3)).getString("status"))
                        .as("run %s, which went on while the broker was away", run).isEqualTo("SUCCEEDED");
            }
            // Counted per run of this test: the machine's broker may carry other builds' runs meanwhile.
            int firstRunBefore = consumer.eventsOf(runs.get(0)).size();
            // The outage lasts its full length, and all along nothing of these runs reaches the broker.
            Duration left = OUTAGE.minus(Duration.between(cut, Instant.now()));
            if (left.compareTo(Duration.ofSeconds(1)) > 0) {
                await().during(left).atMost(left.plusSeconds(5)).pollInterval(Duration.ofSeconds(1)).until(() ->
                        consumer.eventsOf(runs.get(0)).size() == firstRunBefore
                                && runs.subList(1, runs.size()).stream().allMatch(r -> consumer.eventsOf(r).isEmpty()));
            }
            assertThat(consumer.eventsOf(runs.get(0))).as("events of the first run that reached the broker with the"
                    + " proxy cut").hasSize(firstRunBefore);
            assertThat(runs.subList(1, runs.size())).as("runs started during the outage, nothing of them published")
                    .allSatisfy(run -> assertThat(consumer.eventsOf(run)).isEmpty());

            Proxy.proxy.up();
            for (String run : runs) {
                int stored = ProxyLogonRemediationTest.events(run).size();
                await().atMost(Duration.ofSeconds(90)).until(() -> consumer.eventsOf(run).size() >= stored);
                RunEventStreamTest.assertStreamMatches(consumer, run);
            }
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    given().when().get("/q/health/ready").then().extract().statusCode() == 200);
        }
    }

    private String startRun() {
        String a = LabHosts.create("2019", "CU8", List.of(), List.of());
        String b = LabHosts.create("2019", "CU8", List.of(), List.of());
        hosts.addAll(List.of(a, b));
        return given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "fleet-trivial", "targets", List.of(a, b), "ticket", "CHG-OUTAGE"))
                .when().post("/api/v1/runs").then().statusCode(202).extract().path("id");
    }
}
