package io.antidote.api;

import io.antidote.identity.Roles;
import io.antidote.identity.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.antidote.api.ProxyLogonRemediationTest.awaitFinished;
import static io.antidote.api.ProxyLogonRemediationTest.events;
import static io.antidote.identity.TestIdentity.anonymous;
import static io.antidote.identity.TestIdentity.as;
import static io.antidote.identity.TestIdentity.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

/**
 * Issue 13, points 1 to 3, through HTTP against the real security layer: OIDC tokens really signed (with the
 * test key the test profile trusts, or not), API tokens issued and revoked through the API, the role of every
 * boundary, the actor recorded on events, requester versus approver, and who may cancel how.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AccessControlTest {

    private static final String UNKNOWN_RUN = "5b0e8a52-6f1d-4c64-9d7e-0c1f2a3b4c5d";

    @Inject
    Pool pool;

    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            refusals.add(formatted(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureRefusals() {
        Logger.getLogger("io.antidote.identity.Refusals").addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("io.antidote.identity.Refusals").removeHandler(capture);
    }

    // ---- authentication ----

    @Test
    void without_a_credential_everything_but_health_is_401() {
        for (String path : List.of("/api/v1/runs", "/api/v1/playbooks", "/api/v1/targets", "/api/v1/tokens",
                "/api/v1/audit/keys", "/lab/hosts", "/q/openapi", "/q/metrics", "/q/swagger-ui/",
                "/api/v1/runs/" + UNKNOWN_RUN, "/no/such/path")) {
            anonymous().when().get(path).then().statusCode(401).header("WWW-Authenticate", startsWith("Bearer"))
                    .contentType("application/problem+json")
                    .body("type", org.hamcrest.Matchers.equalTo("urn:antidote:problem:not-authenticated"));
        }
        anonymous().contentType(ContentType.JSON).body(Map.of("mode", "INTERRUPT"))
                .when().post("/api/v1/runs/{id}/cancel", UNKNOWN_RUN).then().statusCode(401);
        anonymous().when().get("/q/health/live").then().statusCode(200);
        anonymous().when().get("/q/health/ready").then().statusCode(200);
        assertThat(refusals).anySatisfy(line -> assertThat(line).contains("refused (401) anonymous")
                .contains("/api/v1/runs/" + UNKNOWN_RUN + "/cancel"));
    }

    @Test
    void a_token_that_is_expired_signed_by_another_key_unsigned_or_for_someone_else_is_401_and_never_logged()
            throws Exception {
        var otherKey = KeyPairGenerator.getInstance("RSA");
        otherKey.initialize(2048);
        Map<String, Object> good = TestTokens.claims("mallory", Roles.ALL, List.of("*"), Instant.now().plusSeconds(600));
        Map<String, Object> expired = TestTokens.claims("mallory", Roles.ALL, List.of("*"),
                Instant.now().minus(Duration.ofMinutes(10)));
        Map<String, Object> otherIssuer = new java.util.LinkedHashMap<>(good);
        otherIssuer.put("iss", "https://evil.example");
        Map<String, Object> otherAudience = new java.util.LinkedHashMap<>(good);
        otherAudience.put("aud", "another-service");
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("expired", TestTokens.signed(expired, TestTokens.KEY));
        bad.put("another key", TestTokens.signed(good, otherKey.generateKeyPair().getPrivate()));
        bad.put("alg none", TestTokens.unsigned(good));
        bad.put("another issuer", TestTokens.signed(otherIssuer, TestTokens.KEY));
        bad.put("another audience", TestTokens.signed(otherAudience, TestTokens.KEY));
        bad.put("the engine's name", TestTokens.person("antidote", Roles.ALL.toArray(String[]::new)));
        bad.put("an API token's subject", TestTokens.person("token:ticketing", Roles.ALL.toArray(String[]::new)));
        bad.put("garbage", "not-a-token");
        bad.put("an unknown API token", "atk_" + "A".repeat(43));
        bad.forEach((what, token) -> bearer(token).when().get("/api/v1/runs")
                .then().statusCode(401).contentType("application/problem+json"));
        given().header("X-Antidote-Token", "atk_" + "B".repeat(43)).when().get("/api/v1/runs").then().statusCode(401);
        // The same claims, correctly signed, pass: the refusals above are about the token, not the caller.
        bearer(TestTokens.signed(good, TestTokens.KEY)).when().get("/api/v1/runs").then().statusCode(200);

        assertThat(refusals).as("refusals logged").hasSizeGreaterThanOrEqualTo(bad.size());
        for (String token : bad.values()) {
            if (token.length() > 20) {
                assertThat(refusals).as("log lines").noneMatch(line -> line.contains(token)
                        || line.contains(token.substring(token.length() - 20)));
            }
        }
    }

    // ---- authorization: every boundary ----

    @Test
    void every_role_boundary_answers_403_on_the_wrong_side_and_passes_on_the_right_one() {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        Map<String, Object> dryRun = Map.of("playbook", "proxylogon-verify", "targets", List.of(host), "dryRun", true);
        record Boundary(String method, String path, Object body, String refused, String admitted, int admittedStatus) {
        }
        List<Boundary> boundaries = List.of(
                new Boundary("GET", "/api/v1/runs", null, Roles.LAB_ADMIN, Roles.VIEWER, 200),
                new Boundary("GET", "/api/v1/runs/" + UNKNOWN_RUN, null, Roles.LAB_ADMIN, Roles.VIEWER, 404),
                new Boundary("GET", "/api/v1/runs/" + UNKNOWN_RUN + "/events", null, Roles.VIEWER, Roles.AUDITOR, 404),
                new Boundary("GET", "/api/v1/runs/" + UNKNOWN_RUN + "/events", null, Roles.OPERATOR, Roles.ADMIN, 404),
                new Boundary("GET", "/api/v1/runs/" + UNKNOWN_RUN + "/verification", null, Roles.ADMIN, Roles.AUDITOR, 404),
                new Boundary("GET", "/api/v1/runs/" + UNKNOWN_RUN + "/export", null, Roles.VIEWER, Roles.AUDITOR, 404),
                new Boundary("GET", "/api/v1/audit/keys", null, Roles.VIEWER, Roles.AUDITOR, 200),
                new Boundary("GET", "/api/v1/audit/export?from=2003-01-01T00:00:00Z&to=2003-01-01T00:00:00.001Z", null,
                        Roles.VIEWER, Roles.AUDITOR, 200),
                new Boundary("GET", "/api/v1/audit/export?from=2003-01-01T00:00:00Z&to=2003-01-01T00:00:00.001Z", null,
                        Roles.ADMIN, Roles.AUDITOR, 200),
                new Boundary("GET", "/api/v1/servers", null, Roles.LAB_ADMIN, Roles.AUDITOR, 200),
                new Boundary("GET", "/api/v1/servers", null, Roles.LAB_ADMIN, Roles.VIEWER, 200),
                new Boundary("GET", "/api/v1/servers/" + host, null, Roles.LAB_ADMIN, Roles.AUDITOR, 200),
                new Boundary("POST", "/api/v1/runs", dryRun, Roles.VIEWER, Roles.OPERATOR, 200),
                new Boundary("POST", "/api/v1/runs", dryRun, Roles.APPROVER, Roles.OPERATOR, 200),
                new Boundary("POST", "/api/v1/runs/" + UNKNOWN_RUN + "/approvals",
                        Map.of("step", "patch", "decision", "APPROVE"), Roles.OPERATOR, Roles.APPROVER, 404),
                new Boundary("POST", "/api/v1/runs/" + UNKNOWN_RUN + "/cancel", Map.of(), Roles.APPROVER, Roles.ADMIN, 404),
                new Boundary("POST", "/api/v1/runs/" + UNKNOWN_RUN + "/cancel", Map.of(), Roles.VIEWER, Roles.OPERATOR, 404),
                new Boundary("POST", "/api/v1/runs/" + UNKNOWN_RUN + "/targets/" + host + "/release",
                        Map.of("reason", "checked"), Roles.OPERATOR, Roles.ADMIN, 404),
                new Boundary("POST", "/api/v1/runs/" + UNKNOWN_RUN + "/retry", Map.of(), Roles.APPROVER, Roles.OPERATOR, 404),
                new Boundary("POST", "/api/v1/runs/" + UNKNOWN_RUN + "/retry", Map.of(), Roles.VIEWER, Roles.ADMIN, 404),
                new Boundary("POST", "/api/v1/targets/reload", null, Roles.OPERATOR, Roles.ADMIN, 200),
                new Boundary("GET", "/api/v1/targets", null, Roles.LAB_ADMIN, Roles.VIEWER, 200),
                new Boundary("GET", "/api/v1/playbooks", null, Roles.LAB_ADMIN, Roles.VIEWER, 200),
                new Boundary("GET", "/api/v1/steps", null, Roles.LAB_ADMIN, Roles.APPROVER, 200),
                new Boundary("GET", "/api/v1/tokens", null, Roles.VIEWER, Roles.ADMIN, 200),
                new Boundary("GET", "/api/v1/tokens", null, Roles.OPERATOR, Roles.AUDITOR, 200),
                new Boundary("POST", "/api/v1/tokens", Map.of("name", "x", "roles", List.of(Roles.VIEWER)),
                        Roles.AUDITOR, Roles.ADMIN, 422),
                new Boundary("DELETE", "/api/v1/tokens/" + UNKNOWN_RUN, null, Roles.AUDITOR, Roles.ADMIN, 404),
                new Boundary("GET", "/api/v1/webhooks", null, Roles.VIEWER, Roles.AUDITOR, 200),
                new Boundary("GET", "/api/v1/webhooks/" + UNKNOWN_RUN + "/deliveries", null, Roles.OPERATOR,
                        Roles.AUDITOR, 404),
                new Boundary("DELETE", "/api/v1/webhooks/" + UNKNOWN_RUN, null, Roles.AUDITOR, Roles.ADMIN, 404),
                new Boundary("POST", "/api/v1/alerts", Map.of("source", "someone", "externalId", "A-1", "server",
                        "no-such-server", "type", "webshell", "severity", "high", "occurredAt", Instant.now().toString()),
                        Roles.OPERATOR, Roles.ALERT_SOURCE, 202),
                new Boundary("GET", "/api/v1/alerts", null, Roles.ALERT_SOURCE, Roles.AUDITOR, 200),
                new Boundary("GET", "/api/v1/alerts", null, Roles.VIEWER, Roles.ADMIN, 200),
                new Boundary("GET", "/lab/hosts", null, Roles.ADMIN, Roles.LAB_ADMIN, 200),
                new Boundary("DELETE", "/lab/hosts/no-such-host", null, Roles.OPERATOR, Roles.LAB_ADMIN, 404));
        List<String> wrong = new ArrayList<>();
        for (Boundary b : boundaries) {
            int refused = call(as("someone", b.refused()), b.method(), b.path(), b.body()).extract().statusCode();
            int admitted = call(as("someone", b.admitted()), b.method(), b.path(), b.body()).extract().statusCode();
            if (refused != 403 || admitted != b.admittedStatus()) {
                wrong.add(b + ": refused " + refused + ", admitted " + admitted);
            }
        }
        assertThat(wrong).as("boundaries answering otherwise").isEmpty();
        call(as("someone", Roles.VIEWER), "POST", "/api/v1/targets/reload", null).statusCode(403)
                .contentType("application/problem+json");
        assertThat(refusals).anySatisfy(line -> assertThat(line).contains("refused (403) someone")
                .contains("/api/v1/targets/reload"));
        LabHosts.delete(List.of(host));
    }

    @Test
    void an_operator_requests_only_the_playbooks_it_is_allowed_and_none_without_the_claim() {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        String verifyOnly = TestTokens.person("dora", List.of(Roles.OPERATOR), List.of("proxylogon-verify"));
        Map<String, Object> claims = TestTokens.claims("erin", List.of(Roles.OPERATOR), List.of(), Instant.now().plusSeconds(600));
        claims.remove("antidote_playbooks");
        String noClaim = TestTokens.signed(claims, TestTokens.KEY);

        dryRun(bearer(verifyOnly), "proxylogon-verify", host).statusCode(200);
        dryRun(bearer(verifyOnly), "proxylogon-remediation", host).statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("proxylogon-remediation"));
        dryRun(bearer(noClaim), "proxylogon-verify", host).statusCode(403);
        assertThat(refusals).anySatisfy(line -> assertThat(line).contains("refused (403) dora POST /api/v1/runs")
                .contains("may not request runs of playbook 'proxylogon-remediation'"));
        LabHosts.delete(List.of(host));
    }

    // ---- the actor, approvals and cancel ----

    @Test
    void the_actor_is_the_authenticated_subject_whatever_a_header_says_and_the_requester_cannot_approve_or_be_cancelled_by_others() {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        String runId = waitingForApproval(as("alice", Roles.OPERATOR, Roles.APPROVER, Roles.VIEWER)
                .header("X-Antidote-Actor", "antidote"), host);

        // The requester holds the approver role, and names someone else in the old header: still refused.
        as("alice", Roles.OPERATOR, Roles.APPROVER).header("X-Antidote-Actor", "bob").contentType(ContentType.JSON)
                .body(Map.of("step", "patch", "decision", "APPROVE"))
                .when().post("/api/v1/runs/{id}/approvals", runId)
                .then().statusCode(403).contentType("application/problem+json").body("detail", containsString("alice"));
        // Someone else without the approver role is refused by role.
        as("bob", Roles.VIEWER, Roles.OPERATOR).contentType(ContentType.JSON)
                .body(Map.of("step", "patch", "decision", "APPROVE"))
                .when().post("/api/v1/runs/{id}/approvals", runId).then().statusCode(403);
        // Another operator may not cancel alice's run; a cross-site text/plain body is not even read.
        as("carol", Roles.OPERATOR).contentType(ContentType.JSON).body(Map.of())
                .when().post("/api/v1/runs/{id}/cancel", runId).then().statusCode(403)
                .body("detail", containsString("neither an admin nor the requester"));
        as("alice", Roles.OPERATOR).contentType(ContentType.TEXT).body("{\"mode\":\"INTERRUPT\"}")
                .when().post("/api/v1/runs/{id}/cancel", runId).then().statusCode(415);
        as("alice", Roles.OPERATOR).contentType("application/x-www-form-urlencoded").body("mode=INTERRUPT")
                .when().post("/api/v1/runs/{id}/cancel", runId).then().statusCode(415);
        assertThat(given().when().get("/api/v1/runs/{id}", runId).then().extract().<String>path("status"))
                .isEqualTo("WAITING_APPROVAL");

        as("bob", Roles.APPROVER).header("X-Antidote-Actor", "alice").contentType(ContentType.JSON)
                .body(Map.of("step", "patch", "decision", "REJECT", "comment", "not in this window"))
                .when().post("/api/v1/runs/{id}/approvals", runId).then().statusCode(200);
        var run = awaitFinished(runId);
        assertThat(run.getString("requestedBy")).isEqualTo("alice");
        List<Map<String, Object>> events = events(runId);
        assertThat(events.get(0)).containsEntry("type", "RunRequested").containsEntry("actor", "alice");
        assertThat(events).anySatisfy(e -> assertThat(e).containsEntry("type", "ApprovalRejected")
                .containsEntry("actor", "bob"));
        assertThat(events).as("no event in a header's name").noneMatch(e -> "CancelRequested".equals(e.get("type")));
        assertThat(refusals).anySatisfy(line -> assertThat(line).contains("refused (403) carol")
                .contains("/cancel"));
        LabHosts.delete(List.of(host));
    }

    @Test
    void the_requester_or_an_admin_cancels_and_the_event_names_who() {
        List<String> hosts = List.of(LabHosts.create("2016", "CU19", List.of(), List.of()),
                LabHosts.create("2019", "CU8", List.of(), List.of()));
        String byRequester = waitingForApproval(as("dave", Roles.OPERATOR), hosts.get(0));
        String byAdmin = waitingForApproval(as("dave", Roles.OPERATOR), hosts.get(1));

        as("dave", Roles.OPERATOR).contentType(ContentType.JSON).body(Map.of("mode", "FINISH_STEP"))
                .when().post("/api/v1/runs/{id}/cancel", byRequester).then().statusCode(200);
        as("erin", Roles.ADMIN).contentType(ContentType.JSON).body(Map.of())
                .when().post("/api/v1/runs/{id}/cancel", byAdmin).then().statusCode(200);

        for (var cancelled : Map.of(byRequester, "dave", byAdmin, "erin").entrySet()) {
            assertThat(awaitFinished(cancelled.getKey()).getString("status")).isEqualTo("CANCELLED");
            assertThat(events(cancelled.getKey())).anySatisfy(e -> assertThat(e).containsEntry("type", "CancelRequested")
                    .containsEntry("actor", cancelled.getValue()));
        }
        LabHosts.delete(hosts);
    }

    // ---- API tokens ----

    @Test
    void an_admin_issues_an_api_token_that_acts_with_its_roles_on_its_playbooks_is_stored_as_a_digest_and_can_be_revoked() {
        String name = "ticketing-" + UUID.randomUUID().toString().substring(0, 8);
        var issued = as("root", Roles.ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", name, "roles", List.of(Roles.OPERATOR, Roles.VIEWER, Roles.AUDITOR),
                        "playbooks", List.of("proxylogon-verify"), "expiresAt", Instant.now().plusSeconds(3600).toString()))
                .when().post("/api/v1/tokens").then().statusCode(201).header("Location", containsString("/api/v1/tokens/"))
                .extract().jsonPath();
        String token = issued.getString("token");
        String id = issued.getString("id");
        assertThat(token).matches("atk_[A-Za-z0-9_-]{43}");
        assertThat(issued.getString("subject")).isEqualTo("token:" + name);
        assertThat(issued.getString("status")).isEqualTo("ACTIVE");
        assertThat(issued.getString("createdBy")).isEqualTo("root");

        // Only its digest is stored, and the list never shows the token again.
        Row row = pool.preparedQuery("select * from api_token where id = $1").execute(Tuple.of(UUID.fromString(id)))
                .await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertThat(row.getString("token_hash")).isEqualTo(sha256(token));
        for (int i = 0; i < row.size(); i++) {
            assertThat(String.valueOf(row.getValue(i))).as("column %s", row.getColumnName(i)).doesNotContain(token.substring(4));
        }
        String list = given().when().get("/api/v1/tokens").then().statusCode(200).extract().asString();
        assertThat(list).contains(id).doesNotContain(token.substring(4)).doesNotContain(sha256(token));

        // It acts with its roles, in both headers, on its playbooks only; the events name it.
        String host = LabHosts.create("2016", "CU20", List.of(), List.of());
        bearer(token).when().get("/api/v1/runs").then().statusCode(200);
        given().header("X-Antidote-Token", token).when().get("/api/v1/runs").then().statusCode(200);
        // An auditor token reads the tokens issued, but no token without admin issues or revokes one.
        bearer(token).when().get("/api/v1/tokens").then().statusCode(200);
        bearer(token).contentType(ContentType.JSON).body(Map.of("name", "minted", "roles", List.of(Roles.ADMIN)))
                .when().post("/api/v1/tokens").then().statusCode(403);
        bearer(token).when().delete("/api/v1/tokens/{id}", id).then().statusCode(403);
        dryRun(bearer(token), "proxylogon-remediation", host).statusCode(403);
        String runId = bearer(token).contentType(ContentType.JSON)
                .body(Map.of("playbook", "proxylogon-verify", "targets", List.of(host), "ticket", "INC-TOKEN"))
                .when().post("/api/v1/runs").then().statusCode(202).extract().path("id");
        assertThat(bearer(token).when().get("/api/v1/runs/{id}/events", runId).then().statusCode(200)
                .extract().jsonPath().getString("[0].actor")).isEqualTo("token:" + name);
        awaitFinished(runId);

        // Revoked by an admin only; from then on it authenticates nobody.
        as("someone", Roles.OPERATOR).when().delete("/api/v1/tokens/{id}", id).then().statusCode(403);
        as("root", Roles.ADMIN).when().delete("/api/v1/tokens/{id}", id).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("REVOKED"))
                .body("revokedBy", org.hamcrest.Matchers.equalTo("root"));
        bearer(token).when().get("/api/v1/runs").then().statusCode(401);
        as("root", Roles.ADMIN).when().delete("/api/v1/tokens/{id}", id).then().statusCode(409)
                .contentType("application/problem+json");
        assertThat(refusals).anySatisfy(line -> assertThat(line).contains("refused (401)")
                .contains("was revoked by 'root'"));
        assertThat(refusals).noneMatch(line -> line.contains(token.substring(4)));
        LabHosts.delete(List.of(host));
    }

    @Test
    void an_api_token_stops_working_when_it_expires() {
        String token = as("root", Roles.ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "short-lived", "roles", List.of(Roles.VIEWER), "playbooks", List.of(),
                        "expiresAt", Instant.now().plusSeconds(3).toString()))
                .when().post("/api/v1/tokens").then().statusCode(201).extract().path("token");
        bearer(token).when().get("/api/v1/runs").then().statusCode(200);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                bearer(token).when().get("/api/v1/runs").then().statusCode(401));
        assertThat(refusals).anySatisfy(line -> assertThat(line).contains("'short-lived'").contains("expired at"));
    }

    @Test
    void a_bad_token_request_is_422_naming_each_field() {
        List<String> fields = as("root", Roles.ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "Bad Name", "roles", List.of(Roles.OPERATOR, "superuser"),
                        "expiresAt", Instant.now().minusSeconds(5).toString()))
                .when().post("/api/v1/tokens").then().statusCode(422).contentType("application/problem+json")
                .extract().jsonPath().getList("errors.field", String.class);
        assertThat(fields).containsExactlyInAnyOrder("name", "roles[1]", "playbooks", "expiresAt");
        as("root", Roles.ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "too-long", "roles", List.of(Roles.VIEWER), "playbooks", List.of(),
                        "expiresAt", Instant.now().plus(Duration.ofDays(400)).toString()))
                .when().post("/api/v1/tokens").then().statusCode(422).body("errors[0].field",
                        org.hamcrest.Matchers.equalTo("expiresAt"));
    }

    // ---- helpers ----

    /** A remediation run of this host requested by {@code who}, once its patch waits for approval. */
    private static String waitingForApproval(RequestSpecification who, String host) {
        String runId = who.contentType(ContentType.JSON)
                .body(Map.of("playbook", "proxylogon-remediation", "targets", List.of(host), "ticket", "INC-AUTH"))
                .when().post("/api/v1/runs").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> "WAITING_APPROVAL"
                .equals(given().when().get("/api/v1/runs/{id}", runId).then().statusCode(200).extract().path("status")));
        return runId;
    }

    private static ValidatableResponse dryRun(RequestSpecification who, String playbook, String host) {
        return who.contentType(ContentType.JSON)
                .body(Map.of("playbook", playbook, "targets", List.of(host), "dryRun", true))
                .when().post("/api/v1/runs").then();
    }

    private static ValidatableResponse call(RequestSpecification who, String method, String path, Object body) {
        if (body != null) {
            who = who.contentType(ContentType.JSON).body(body);
        } else if (!"GET".equals(method) && !"DELETE".equals(method)) {
            who = who.contentType(ContentType.JSON);
        }
        return who.when().request(method, path).then();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** JBoss LogManager's records format printf-style messages themselves. */
    private static String formatted(LogRecord record) {
        try {
            return (String) record.getClass().getMethod("getFormattedMessage").invoke(record);
        } catch (ReflectiveOperationException e) {
            return record.getMessage();
        }
    }
}
