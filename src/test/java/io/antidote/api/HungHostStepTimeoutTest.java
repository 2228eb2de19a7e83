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

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through the engine with ONE step worker: a step on a host whose command never ends fails with a timeout
 * at its deadline, and the worker is free again for the next run's step. NTLM over HTTP, as lab targets.
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
        WsManServer hung = new WsManServer(vertx, "t-hung", new WsManCredentials("lab", "Lab-Passw0rd!"), line -> {
            try {
                never.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new CommandOutput("too late\r\n", "", 0);
        }, new WsManFaults());
        int port = hung.start("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        inventory.register(new Target("t-hung", "127.0.0.1", port, Target.Scheme.HTTP, Target.AuthScheme.NTLM, "lab",
                Map.of()));
        try {
            JsonPath stuck = ProxyLogonRemediationTest.awaitFinished(run("t-hung"));
            assertThat(stuck.getString("status")).as("run on the hung host").isEqualTo("FAILED");
            assertThat(ProxyLogonRemediationTest.events(stuck.getString("id")))
                    .as("the step is recorded as timed out, saying so")
                    .anySatisfy(e -> assertThat(e).containsEntry("type", "StepTimedOut")
                            .extracting(ev -> String.valueOf(ev.get("data"))).asString().contains("timed out"));

            String healthy = LabHosts.create("2016", "CU19", List.of(), List.of());
            // A playbook with a longer timeout: the step's clock runs while it waits for the only worker, which
            // the hung step holds until about one reply timeout after its deadline (longer on a loaded machine).
            JsonPath next = ProxyLogonRemediationTest.awaitFinished(run(healthy, "patient-check"));
            assertThat(next.getString("status")).as("the next run, on the same single worker").isEqualTo("SUCCEEDED");
        } finally {
            never.countDown();
            inventory.remove("t-hung");
            hung.stop();
        }
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
