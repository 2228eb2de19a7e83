package io.antidote.api;

import io.antidote.engine.RunRequests;
import io.antidote.engine.UnkeyedFingerprint;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Issue 13, points 4 and 5 together: an {@code Idempotency-Key} sent with a secret parameter still tells the same
 * body from another one that differs only in the secret, and what is stored for the key gives the secret away in
 * no form: not the value, not a digest someone holding a copy of the table could reproduce by guessing it.
 * Through the HTTP API, real PostgreSQL and a lab host, whose command log shows the script ran once.
 */
@QuarkusTest
@TestProfile(TempPlaybooksProfile.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class IdempotencyKeySecretsApiTest {

    private static final String SECRET = "Pin-4711-Ünïcödé-<&>-" + UUID.randomUUID();

    private final List<String> hosts = new ArrayList<>();

    @AfterEach
    void deleteHosts() {
        LabHosts.delete(hosts);
    }

    @Test
    void bodies_differing_only_in_a_secret_are_a_422_and_the_stored_fingerprint_holds_no_form_of_the_secret()
            throws Exception {
        String host = LabHosts.create("2019", "CU8", List.of(), List.of());
        hosts.add(host);
        String key = "secret-" + UUID.randomUUID();

        Response first = post(key, host, SECRET);
        first.then().statusCode(202);
        String runId = first.path("id");
        post(key, host, SECRET).then().statusCode(200).body("id", equalTo(runId));
        post(key, host, SECRET + "x").then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("Idempotency-Key")))
                .body("errors[0].message", containsString(runId))
                .body("errors[0].message", org.hamcrest.Matchers.not(containsString(SECRET)));
        ProxyLogonRemediationTest.awaitFinished(runId);
        assertThat(LabHosts.commands(host).stream().filter(c -> String.valueOf(c.get("script"))
                .contains("GetBytes($value)"))).as("the probe's script ran once on the host").hasSize(1);

        String stored = sql("select fingerprint from idempotency_key where idempotency_key = ?", key);
        assertThat(stored).matches("[0-9a-f]{64}");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("token", SECRET);
        params.put("value", "v");
        RunRequests.Request asSent = new RunRequests.Request("injection-probe", List.of(host), params, null, key, "tester");
        assertThat(stored).as("the fingerprint someone could recompute from a guessed secret")
                .isNotEqualTo(UnkeyedFingerprint.of(asSent));
        // The control: the request as parsed is what the API fingerprints (without the secret, the plain digest matches).
        String plain = "plain-" + UUID.randomUUID();
        String second = given().contentType(ContentType.JSON).header("Idempotency-Key", plain)
                .body(Map.of("playbook", "injection-probe", "targets", List.of(host), "params", Map.of("value", "v")))
                .when().post("/api/v1/runs").then().statusCode(202).extract().path("id");
        assertThat(sql("select fingerprint from idempotency_key where idempotency_key = ?", plain))
                .isEqualTo(UnkeyedFingerprint.of(new RunRequests.Request("injection-probe", List.of(host),
                        Map.of("value", "v"), null, plain, "tester")));
        ProxyLogonRemediationTest.awaitFinished(second);

        String database = SecretCorpusTest.everyTextColumn();
        assertThat(database).as("the database holds the key").contains(key);
        for (String form : SecretCorpusTest.forbidden(SECRET)) {
            assertThat(database).as("the database").doesNotContain(form);
        }
    }

    private static Response post(String key, String host, String secret) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("playbook", "injection-probe", "targets", List.of(host),
                        "params", Map.of("value", "v", "token", secret)))
                .when().post("/api/v1/runs");
    }

    private static String sql(String statement, String parameter) throws Exception {
        try (Connection c = DriverManager.getConnection(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.datasource.jdbc.url", String.class), "postgres", "");
             PreparedStatement s = c.prepareStatement(statement)) {
            s.setString(1, parameter);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
