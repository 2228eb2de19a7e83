package io.antidote.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.antidote.engine.RunCommands;
import io.antidote.workflow.RunCommand.Advance;
import io.antidote.workflow.RunCommand.RequestRun;
import io.antidote.workflow.RunPlan;
import io.antidote.workflow.RunPlan.PlannedStep;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The run list as admins and ticket systems page through it: newest first, filtered by exact values,
 * and a bad filter is an error naming the parameter, never a silently empty or unfiltered page.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RunListApiTest {

    static final String DIGEST = "ab".repeat(32);

    @Inject
    RunCommands commands;

    /** Runs of a playbook name no other test uses, created one minute apart; the newest last. */
    private List<UUID> runs(String playbook, int count, List<String> targets, String ticket) {
        List<UUID> ids = new ArrayList<>();
        Instant start = Instant.parse("2021-03-06T00:00:00Z");
        for (int i = 0; i < count; i++) {
            RequestRun request = new RequestRun(UUID.randomUUID(),
                    new RunPlan(playbook, DIGEST, List.of(new PlannedStep("isolate")), targets), Map.of(), ticket, null,
                    "alice", start.plusSeconds(60L * i));
            await(request);
            ids.add(request.runId());
        }
        return ids;
    }

    private void await(RequestRun request) {
        try {
            VertxContextSupport.subscribeAndAwait(() -> commands.decideAndAppend(request.runId(), s -> request));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private void advance(UUID run) {
        try {
            VertxContextSupport.subscribeAndAwait(() -> commands.decideAndAppend(run,
                    s -> new Advance(s.createdAt().plusSeconds(1))));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Test
    void pages_list_a_playbooks_runs_newest_first_each_run_once_with_the_total() {
        String playbook = "list-" + UUID.randomUUID();
        List<UUID> oldestFirst = runs(playbook, 5, List.of("ex01", "ex02"), "INC-LIST");

        List<String> seen = new ArrayList<>();
        for (int page = 0; page < 3; page++) {
            JsonPath body = given().queryParam("playbook", playbook).queryParam("page", page).queryParam("size", 2)
                    .when().get("/api/v1/runs")
                    .then().statusCode(200)
                    .body("total", equalTo(5)).body("page", equalTo(page)).body("size", equalTo(2))
                    .extract().jsonPath();
            seen.addAll(body.getList("items.id", String.class));
        }

        List<String> newestFirst = new ArrayList<>(oldestFirst.stream().map(UUID::toString).toList());
        Collections.reverse(newestFirst);
        assertThat(seen).as("run ids over three pages of two").containsExactlyElementsOf(newestFirst);
        given().queryParam("playbook", playbook).queryParam("size", 1)
                .when().get("/api/v1/runs")
                .then().statusCode(200)
                .body("items[0].playbook", equalTo(playbook))
                .body("items[0].playbookDigest", equalTo(DIGEST))
                .body("items[0].status", equalTo("PENDING"))
                .body("items[0].ticket", equalTo("INC-LIST"))
                .body("items[0].requestedBy", equalTo("alice"))
                .body("items[0].targets", equalTo(List.of("ex01", "ex02")))
                .body("items[0].createdAt", equalTo("2021-03-06T00:04:00Z"));
    }

    @Test
    void status_target_and_ticket_filters_each_narrow_the_list_to_exact_matches() {
        String playbook = "filter-" + UUID.randomUUID();
        UUID onEx01 = runs(playbook, 1, List.of("ex01"), "INC-A").get(0);
        UUID onBoth = runs(playbook, 1, List.of("ex10", "ex01"), "INC-B").get(0);
        UUID onEx02 = runs(playbook, 1, List.of("ex02"), null).get(0);
        advance(onEx02);

        assertThat(ids(Map.of("playbook", playbook, "target", "ex01"))).as("runs on ex01")
                .containsExactlyInAnyOrder(onEx01.toString(), onBoth.toString());
        assertThat(ids(Map.of("playbook", playbook, "target", "ex0"))).as("runs on 'ex0' (no prefix match)").isEmpty();
        assertThat(ids(Map.of("playbook", playbook, "ticket", "INC-B"))).as("runs of ticket INC-B")
                .containsExactly(onBoth.toString());
        assertThat(ids(Map.of("playbook", playbook, "status", "RUNNING"))).as("running runs")
                .containsExactly(onEx02.toString());
        assertThat(ids(Map.of("playbook", playbook, "status", "PENDING", "target", "ex01", "ticket", "INC-A")))
                .as("pending runs on ex01 of ticket INC-A").containsExactly(onEx01.toString());
    }

    private static List<String> ids(Map<String, String> query) {
        return given().queryParams(query).when().get("/api/v1/runs")
                .then().statusCode(200).extract().jsonPath().getList("items.id", String.class);
    }

    @Test
    void an_unknown_status_a_bad_page_or_an_oversized_page_is_refused_naming_the_parameter() {
        refused(Map.of("status", "running"), "status");
        refused(Map.of("status", "DONE"), "status");
        refused(Map.of("page", "-1"), "page");
        refused(Map.of("page", "x"), "page");
        refused(Map.of("size", "201"), "size");
        refused(Map.of("size", "0"), "size");
        refused(Map.of("target", "x".repeat(201)), "target");
        given().queryParams(Map.of("status", "nope", "size", "1000")).when().get("/api/v1/runs")
                .then().statusCode(400).body("errors.field", equalTo(List.of("status", "size")));
        given().queryParam("size", 200).when().get("/api/v1/runs").then().statusCode(200).body("size", equalTo(200));
    }

    private static void refused(Map<String, String> query, String parameter) {
        given().queryParams(query).when().get("/api/v1/runs")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", hasItem(parameter));
    }
}
