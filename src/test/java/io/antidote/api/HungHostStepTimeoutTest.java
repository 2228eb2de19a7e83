package io.antidote.api;

import io.antidote.lab.wsman.CommandOutput;
import io.antidote.lab.wsman.WsManCredentials;
import io.antidote.lab.wsman.WsManFaults;
import io.antidote.lab.wsman.WsManServer;
import io.antidote.winrm.Inventory;
import io.antidote.winrm.Target;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Through the engine with ONE step worker: a step on a host whose command never ends fails with a timeout
 * at its deadline, and the worker is free again for the next run's step; a step that waits for that worker
 * longer than its timeout is not timed out, because its clock starts when it begins on the worker (issue 11
 * pt 5). NTLM over HTTP, as lab targets.
 */
@QuarkusTest
@TestProfile(HungHostStepTimeoutTest.OneWorker.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HungHostStepTimeoutTest {

    public static class OneWorker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("antidote.engine.max-concurrent-steps", "1",
                    "antidote.playbooks.dir", "src/test/resources/playbooks-short",
                    "antidote.winrm.operation-timeout", "1s",
                    "antidote.winrm.reply-timeout", "2s");
        }
    }

    @Inject
    Vertx vertx;

    @Inject
    Inventory inventory;

    @Test
    void a_hung_host_fails_its_step_with_a_timeout_and_the_only_worker_then_runs_the_next_step() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        WsManServer hung = answeringWhenReleased("t-hung", new CountDownLatch(1), never);
        register("t-hung", hung);
        try {
            JsonPath stuck = ProxyLogonRemediationTest.awaitFinished(run("t-hung"));
            assertThat(stuck.getString("status")).as("run on the hung host").isEqualTo("FAILED");
            List<Map<String, Object>> stuckEvents = ProxyLogonRemediationTest.events(stuck.getString("id"));
            assertThat(stuckEvents.stream().map(e -> (String) e.get("type"))
                    .filter(type -> type.startsWith("Step")).toList())
                    .as("a step that really runs past its timeout is timed out")
                    .containsSubsequence("StepStarted", "StepTimedOut").doesNotContain("StepSucceeded");
            assertThat(stuckEvents).as("the step is recorded as timed out, saying so")
                    .anySatisfy(e -> assertThat(e).containsEntry("type", "StepTimedOut")
                            .extracting(ev -> String.valueOf(ev.get("data"))).asString().contains("timed out"));

            String healthy = LabHosts.create("2016", "CU19", List.of(), List.of());
            // A playbook with a longer timeout, in case the hung step still holds the only worker (until about one
            // reply timeout after its deadline); the wait would not count against it anyway.
            JsonPath next = ProxyLogonRemediationTest.awaitFinished(run(healthy, "patient-check"));
            assertThat(next.getString("status")).as("the next run, on the same single worker").isEqualTo("SUCCEEDED");
        } finally {
            never.countDown();
            inventory.remove("t-hung");
            hung.stop();
        }
    }

    @Test
    void a_step_that_waits_for_the_only_worker_longer_than_its_timeout_is_not_timed_out_and_runs_once_it_is_free()
            throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WsManServer slow = answeringWhenReleased("t-slow", holding, release);
        AtomicInteger commands = new AtomicInteger();
        WsManServer queuedHost = new WsManServer(vertx, "t-queued", new WsManCredentials("lab", "Lab-Passw0rd!"),
                line -> {
                    commands.incrementAndGet();
                    return new CommandOutput("hello\r\n", "", 0);
                }, new WsManFaults());
        register("t-slow", slow);
        register("t-queued", queuedHost);
        try {
            // A step with a minute to run holds the only worker until the test lets its host answer.
            String holder = run("t-slow", "patient-check");
            assertThat(holding.await(30, TimeUnit.SECONDS)).as("the slow host received its command").isTrue();

            // This run's 2 s step waits behind it for the worker, past the moment its timeout would have passed
            // had it counted from the step's start.
            String queued = run("t-queued");
            Instant queuedAt = Instant.parse((String) await().atMost(Duration.ofSeconds(30))
                    .until(() -> ofType(queued, "StepStarted"), found -> !found.isEmpty()).get(0).get("occurredAt"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(queuedAt.plusSeconds(4)));
            assertThat(ofType(queued, "StepBegan")).as("the queued step began").isEmpty();
            assertThat(ofType(queued, "StepTimedOut")).as("the queued step timed out while it waited").isEmpty();
            assertThat(commands.get()).as("commands the queued step sent while it waited").isZero();

            release.countDown();
            assertThat(ProxyLogonRemediationTest.awaitFinished(holder).getString("status")).isEqualTo("SUCCEEDED");
            JsonPath done = ProxyLogonRemediationTest.awaitFinished(queued);
            List<Map<String, Object>> events = ProxyLogonRemediationTest.events(queued);
            assertThat(done.getString("status")).as("the run whose step waited; events: %s", events)
                    .isEqualTo("SUCCEEDED");
            assertThat(events).noneSatisfy(e -> assertThat(e).containsEntry("type", "StepTimedOut"));
            Instant began = Instant.parse((String) ofType(queued, "StepBegan").get(0).get("occurredAt"));
            assertThat(Duration.between(queuedAt, began)).as("how long the step waited for the worker")
                    .isGreaterThan(Duration.ofSeconds(2));
            assertThat(commands.get()).as("commands the step sent once it began").isEqualTo(1);
        } finally {
            release.countDown();
            inventory.remove("t-slow");
            inventory.remove("t-queued");
            slow.stop();
            queuedHost.stop();
        }
    }

    private static List<Map<String, Object>> ofType(String runId, String type) {
        return ProxyLogonRemediationTest.events(runId).stream().filter(e -> type.equals(e.get("type"))).toList();
    }

    /** A host that counts {@code received} down when a command arrives and answers it once {@code release} is. */
    private WsManServer answeringWhenReleased(String name, CountDownLatch received, CountDownLatch release) {
        return new WsManServer(vertx, name, new WsManCredentials("lab", "Lab-Passw0rd!"), line -> {
            received.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new CommandOutput("answered late\r\n", "", 0);
        }, new WsManFaults());
    }

    private void register(String name, WsManServer host) throws Exception {
        int port = host.start("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        inventory.register(new Target(name, "127.0.0.1", port, Target.Scheme.HTTP, Target.AuthScheme.NTLM, "lab",
                Map.of()));
    }

    private static String run(String target) {
        return run(target, "quick-check");
    }

    private static String run(String target, String playbook) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("playbook", playbook, "targets", List.of(target), "ticket", "INC-" + target))
                .when().post("/api/v1/runs")
                .then().statusCode(202).extract().path("id");
    }
}
