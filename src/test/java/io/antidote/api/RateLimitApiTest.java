package io.antidote.api;

import io.antidote.identity.Roles;
import io.antidote.identity.TestTokens;
import static io.antidote.identity.TestIdentity.as;
import static io.antidote.identity.TestIdentity.bearer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, point 6: a rate limit per caller. Turned on here with a small bucket (off in the other tests): a
 * caller over it gets 429 problems with Retry-After, while another caller and the health checks do not.
 */
@QuarkusTest
@TestProfile(RateLimitApiTest.SmallBucket.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RateLimitApiTest {

    static final int BURST = 5;

    public static class SmallBucket implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("antidote.rate-limit.enabled", "true", "antidote.rate-limit.burst", String.valueOf(BURST),
                    "antidote.rate-limit.per-second", "0.2");
        }
    }

    @Test
    void a_caller_over_its_rate_gets_429_with_retry_after_and_others_go_on() {
        List<Integer> statuses = new ArrayList<>();
        ExtractableResponse<Response> refused = null;
        // A caller is its credential: one token for the whole flood, another for the calm caller.
        String flood = TestTokens.person("flood", Roles.VIEWER);
        for (int i = 0; i < BURST + 3; i++) {
            ExtractableResponse<Response> answer = bearer(flood)
                    .when().get("/api/v1/playbooks").then().extract();
            statuses.add(answer.statusCode());
            if (answer.statusCode() == 429 && refused == null) {
                refused = answer;
            }
        }
        assertThat(statuses.subList(0, BURST)).as("the burst").containsOnly(200);
        assertThat(statuses.subList(BURST, statuses.size())).as("beyond the burst").containsOnly(429);
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
        assertThat(refused.jsonPath().getString("type")).isEqualTo("urn:antidote:problem:too-many-requests");
        assertThat(Integer.parseInt(refused.header("Retry-After"))).as("Retry-After seconds").isBetween(1, 5);
        assertThat(refused.header("X-Content-Type-Options")).isEqualTo("nosniff");

        as("calm", Roles.VIEWER).when().get("/api/v1/playbooks").then().statusCode(200);
        for (int i = 0; i < BURST + 3; i++) {
            given().when().get("/q/health/live").then().statusCode(200);
        }
    }
}
