package io.antidote.api;

import io.antidote.identity.AgainstKeycloak;
import io.antidote.identity.Keycloak;
import io.antidote.identity.TestIdentity;
import io.antidote.identity.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.antidote.api.ProxyLogonRemediationTest.awaitFinished;
import static io.antidote.api.ProxyLogonRemediationTest.events;
import static io.antidote.identity.TestIdentity.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/**
 * Issue 13, point 1: the service against a real OIDC provider. Keycloak runs as its own process
 * ({@link Keycloak}); the service is given only its address and verifies what the provider's discovery document
 * and key set say. Every token here is one Keycloak issued for a person (password grant) or a machine (client
 * credentials), or a forgery of one. The test key the other tests sign with is not trusted here.
 */
@QuarkusTest
@TestProfile(AgainstKeycloak.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RealOidcProviderTest {

    private final List<String> hosts = new ArrayList<>();

    @BeforeEach
    void actAsTheLabAdministratorByDefault() {
        // dave: admin and lab-admin in the realm. Tests say who else acts.
        TestIdentity.useByDefault(Keycloak.person("dave"));
    }

    @AfterEach
    void deleteHosts() {
        LabHosts.delete(hosts);
    }

    @Test
    void the_requester_cannot_approve_by_subject_another_approver_can_and_each_event_names_the_subject() {
        String alice = Keycloak.person("alice");
        String bob = Keycloak.person("bob");
        String carol = Keycloak.person("carol");
        String aliceSubject = (String) Keycloak.claims(alice).get("sub");
        String bobSubject = (String) Keycloak.claims(bob).get("sub");
        assertThat(aliceSubject).as("Keycloak's subjects are its user ids").isNotEqualTo("alice").isNotEqualTo(bobSubject);

        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        hosts.add(host);
        String runId = bearer(alice).header("X-Antidote-Actor", "bob").contentType(ContentType.JSON)
                .body(Map.of("playbook", "proxylogon-remediation", "targets", List.of(host), "ticket", "INC-KC"))
                .when().post("/api/v1/runs").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).until(() -> "WAITING_APPROVAL"
                .equals(bearer(alice).when().get("/api/v1/runs/{id}", runId).then().statusCode(200).extract().path("status")));

        // alice holds the approver role, but she requested the run: refused by subject.
        approve(bearer(alice), runId, "APPROVE").then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString(aliceSubject));
        // carol is a viewer only: refused by role, deny by default.
        approve(bearer(carol), runId, "APPROVE").then().statusCode(403);
        approve(bearer(bob), runId, "REJECT").then().statusCode(200);

        assertThat(awaitFinished(runId).getString("requestedBy")).isEqualTo(aliceSubject);
        List<Map<String, Object>> events = events(runId);
        assertThat(events.get(0)).containsEntry("type", "RunRequested").containsEntry("actor", aliceSubject);
        assertThat(events).anySatisfy(e -> assertThat(e).containsEntry("type", "ApprovalRejected")
                .containsEntry("actor", bobSubject));
        assertThat(events).noneMatch(e -> "bob".equals(e.get("actor")) || "ApprovalGranted".equals(e.get("type")));
    }

    @Test
    void roles_and_playbooks_from_the_providers_tokens_decide_and_everything_else_is_denied() {
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());
        hosts.add(host);
        String carol = Keycloak.person("carol");
        String ticketing = Keycloak.machine("ticketing");
        assertThat(Keycloak.claims(ticketing)).containsEntry("azp", "ticketing");

        bearer(carol).when().get("/api/v1/runs").then().statusCode(200);
        dryRun(bearer(carol), "proxylogon-verify", host).statusCode(403);
        bearer(carol).when().get("/api/v1/tokens").then().statusCode(403);
        bearer(carol).when().get("/lab/hosts").then().statusCode(403);
        bearer(carol).contentType(ContentType.JSON).when().post("/api/v1/targets/reload").then().statusCode(403);

        // A machine with the operator role, allowed one playbook by its token's claim.
        dryRun(bearer(ticketing), "proxylogon-verify", host).statusCode(200);
        dryRun(bearer(ticketing), "proxylogon-remediation", host).statusCode(403)
                .body("detail", containsString("proxylogon-remediation"));
        bearer(ticketing).when().get("/api/v1/tokens").then().statusCode(403);

        given().when().get("/api/v1/tokens").then().statusCode(200);
    }

    @Test
    void an_expired_forged_foreign_or_unsigned_token_is_401_and_the_same_token_unaltered_passes() throws Exception {
        String carol = Keycloak.person("carol");
        bearer(carol).when().get("/api/v1/runs").then().statusCode(200);

        // The same signature over claims that grant more: the provider never signed these.
        Map<String, Object> claims = new LinkedHashMap<>(Keycloak.claims(carol));
        claims.put("realm_access", Map.of("roles", List.of("admin", "viewer")));
        String[] parts = carol.split("\\.");
        String forged = parts[0] + "." + base64(claims) + "." + parts[2];
        bearer(forged).when().get("/api/v1/tokens").then().statusCode(401);
        bearer(forged).when().get("/api/v1/runs").then().statusCode(401);
        // The same claims signed with a key the provider does not publish (the one the offline tests trust).
        bearer(TestTokens.signed(claims, TestTokens.KEY)).when().get("/api/v1/runs").then().statusCode(401);
        bearer(TestTokens.unsigned(claims)).when().get("/api/v1/runs").then().statusCode(401);
        // A real token of this realm, for another service (no antidote audience).
        String foreign = Keycloak.person("carol", "another-service");
        assertThat(Keycloak.claims(foreign).get("aud")).isNotEqualTo(TestTokens.AUDIENCE);
        bearer(foreign).when().get("/api/v1/runs").then().statusCode(401);

        // A real token of 5 seconds: accepted, then refused once it has expired.
        String shortLived = Keycloak.person("carol", "short-lived");
        long expires = ((Number) Keycloak.claims(shortLived).get("exp")).longValue();
        assertThat(expires - Instant.now().getEpochSecond()).isLessThanOrEqualTo(5);
        bearer(shortLived).when().get("/api/v1/runs").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().getEpochSecond() > expires + 1);
        bearer(shortLived).when().get("/api/v1/runs").then().statusCode(401).contentType("application/problem+json");
    }

    private static io.restassured.response.Response approve(RequestSpecification who, String runId, String decision) {
        return who.contentType(ContentType.JSON).body(Map.of("step", "patch", "decision", decision))
                .when().post("/api/v1/runs/{id}/approvals", runId);
    }

    private static io.restassured.response.ValidatableResponse dryRun(RequestSpecification who, String playbook, String host) {
        return who.contentType(ContentType.JSON)
                .body(Map.of("playbook", playbook, "targets", List.of(host), "dryRun", true))
                .when().post("/api/v1/runs").then();
    }

    private static String base64(Map<String, Object> json) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(json));
    }
}
