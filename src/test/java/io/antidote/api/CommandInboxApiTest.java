package io.antidote.api;

import io.antidote.identity.Roles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.antidote.identity.TestIdentity.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A person's command for a run another replica carries, as the API answers it (docs/api.md, "Several replicas"):
 * here the other replica is a ghost, a live replica row that owns the run and decides nothing unless this test
 * decides for it, by writing the decision into the command inbox as an owner does. A command the owner has not
 * decided within {@code antidote.engine.command-wait} is answered {@code 202} with where to follow it; one the
 * owner refuses while the caller waits is answered with the owner's refusal. The run is given back afterwards:
 * this replica adopts it once the ghost's lease has expired, and the run can be cancelled here again.
 */
@QuarkusTest
@TestProfile(TempPlaybooksProfile.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CommandInboxApiTest {

    @Inject
    Pool pool;

    @Test
    void a_command_for_another_replicas_run_is_accepted_then_followed_and_the_owners_refusal_reaches_the_caller()
            throws Exception {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        String runId = as("inbox-requester", Roles.OPERATOR).contentType(ContentType.JSON)
                .body(Map.of("playbook", "approval-script-probe", "targets", List.of(host),
                        "params", Map.of("token", "inbox-" + UUID.randomUUID(), "note", "inbox")))
                .when().post("/api/v1/runs").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> "WAITING_APPROVAL".equals(status(runId)));

        String ghost = "ghost-" + UUID.randomUUID();
        sql("insert into engine_replica (replica_id, expires_at) values ($1, now() + interval '10 minutes')", ghost);
        sql("update run_owner set replica_id = $2, token = token + 1, owned_since = now() where run_id = $1",
                UUID.fromString(runId), ghost);
        try {
            whileTheGhostOwnsIt(runId, host, ghost);
        } finally {
            // The ghost's lease ends: this replica adopts the run and carries commands for it itself again.
            sql("update engine_replica set expires_at = now() - interval '1 second' where replica_id = $1", ghost);
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> !ghost.equals(owner(UUID.fromString(runId))));
        as("inbox-admin", Roles.ADMIN).contentType(ContentType.JSON).body(Map.of())
                .when().post("/api/v1/runs/{id}/cancel", runId).then().statusCode(200);
        assertThat(ProxyLogonRemediationTest.awaitFinished(runId).getString("status")).isEqualTo("CANCELLED");
        sql("delete from engine_replica where replica_id = $1", ghost);
    }

    private void whileTheGhostOwnsIt(String runId, String host, String ghost) throws Exception {

        // Nobody decides: accepted for the owner, with where to see what becomes of it.
        ExtractableResponse<Response> accepted = as("inbox-admin", Roles.ADMIN).contentType(ContentType.JSON)
                .body(Map.of()).when().post("/api/v1/runs/{id}/cancel", runId)
                .then().statusCode(202).extract();
        String commandId = accepted.path("id");
        assertThat(accepted.header("Location")).endsWith("/api/v1/runs/" + runId + "/commands/" + commandId);
        assertThat(accepted.<String>path("status")).isEqualTo("PENDING");
        assertThat(accepted.<String>path("kind")).isEqualTo("Cancel");
        assertThat(accepted.<String>path("actor")).isEqualTo("inbox-admin");
        assertThat(status(runId)).as("nothing recorded by the replica that does not carry the run")
                .isEqualTo("WAITING_APPROVAL");
        String location = accepted.header("Location");
        assertThat(as("inbox-viewer", Roles.VIEWER).when().get(location).then().statusCode(200)
                .extract().<String>path("status")).isEqualTo("PENDING");

        // The owner refuses it: the command's page says so, with the problem the caller would have had.
        decideForTheOwner(UUID.fromString(commandId), ghost, "state-conflict", "the ghost says no");
        ExtractableResponse<Response> refused = as("inbox-viewer", Roles.VIEWER).when().get(location)
                .then().statusCode(200).extract();
        assertThat(refused.<String>path("status")).isEqualTo("REFUSED");
        assertThat(refused.<Integer>path("refusal.status")).isEqualTo(409);
        assertThat(refused.<String>path("refusal.type")).endsWith("run-state-conflict");
        assertThat(refused.<String>path("refusal.detail")).isEqualTo("the ghost says no");
        assertThat(refused.<String>path("decidedAt")).isNotNull();

        // A caller still waiting when the owner refuses gets the refusal itself, not 202.
        CompletableFuture<ExtractableResponse<Response>> approving = CompletableFuture.supplyAsync(() ->
                as("inbox-approver", Roles.APPROVER).contentType(ContentType.JSON)
                        .body(Map.of("step", "apply", "target", host, "decision", "APPROVE"))
                        .when().post("/api/v1/runs/{id}/approvals", runId).then().extract());
        UUID approval = await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(50))
                .until(() -> pending(UUID.fromString(runId)), Optional::isPresent).orElseThrow();
        decideForTheOwner(approval, ghost, "not-allowed", "the ghost's rule refuses it");
        ExtractableResponse<Response> answer = approving.get(30, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).as("the owner's refusal: %s", answer.asString()).isEqualTo(403);
        assertThat(answer.<String>path("detail")).isEqualTo("the ghost's rule refuses it");
        assertThat(status(runId)).isEqualTo("WAITING_APPROVAL");
    }

    private static String status(String runId) {
        return given().when().get("/api/v1/runs/{id}", runId).then().statusCode(200).extract().path("status");
    }

    /** What the owner writes when it refuses a command (RunCommandInbox.refuse). */
    private void decideForTheOwner(UUID commandId, String owner, String refusal, String detail) {
        long rows = pool.preparedQuery("""
                        update run_command set status = 'REFUSED', decided_by = $2, decided_at = now(), refusal = $3,
                               detail = $4
                         where command_id = $1 and status = 'PENDING'""")
                .execute(Tuple.of(commandId, owner, refusal, detail)).await().atMost(Duration.ofSeconds(10)).rowCount();
        assertThat(rows).as("pending command %s", commandId).isEqualTo(1);
    }

    private Optional<UUID> pending(UUID runId) {
        for (Row row : pool.preparedQuery("select command_id from run_command where run_id = $1 and status = 'PENDING'")
                .execute(Tuple.of(runId)).await().atMost(Duration.ofSeconds(10))) {
            return Optional.of(row.getUUID(0));
        }
        return Optional.empty();
    }

    private String owner(UUID runId) {
        for (Row row : pool.preparedQuery("select replica_id from run_owner where run_id = $1")
                .execute(Tuple.of(runId)).await().atMost(Duration.ofSeconds(10))) {
            return row.getString(0);
        }
        return null;
    }

    private void sql(String statement, Object... values) {
        pool.preparedQuery(statement).execute(Tuple.from(values)).await().atMost(Duration.ofSeconds(10));
    }
}
