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

import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
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

    @Inject
    Pool pool;

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
        long began = System.nanoTime();
        for (int i = 0; i < BURST + 3; i++) {
            ExtractableResponse<Response> answer = bearer(flood)
                    .when().get("/api/v1/playbooks").then().extract();
            statuses.add(answer.statusCode());
            if (answer.statusCode() == 429 && refused == null) {
                refused = answer;
            }
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        // A token comes back every 5 s: on a loaded machine the flood may last long enough for one more to pass.
        long refilled = (long) Math.floor(seconds * 0.2);
        long admitted = statuses.stream().filter(status -> status == 200).count();
        assertThat(statuses.subList(0, BURST)).as("the burst").containsOnly(200);
        assertThat(statuses.subList(BURST, statuses.size())).as("beyond the burst").isSubsetOf(200, 429);
        assertThat(admitted).as("answered in %s over %.1f s: the burst and at most one per 5 s", statuses, seconds)
                .isBetween((long) BURST, BURST + refilled);
        assertThat(refused).as("a refusal in %s over %.1f s", statuses, seconds).isNotNull();
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
        assertThat(refused.jsonPath().getString("type")).isEqualTo("urn:antidote:problem:too-many-requests");
        assertThat(Integer.parseInt(refused.header("Retry-After"))).as("Retry-After seconds").isBetween(1, 5);
        assertThat(refused.header("X-Content-Type-Options")).isEqualTo("nosniff");

        as("calm", Roles.VIEWER).when().get("/api/v1/playbooks").then().statusCode(200);
        for (int i = 0; i < BURST + 3; i++) {
            given().when().get("/q/health/live").then().statusCode(200);
        }
    }

    /**
     * A refused alert reaches no resource, so it is in no alert record: the meter counts each, and the log names the
     * flood once (not once per request), without the credential.
     */
    @Test
    void alerts_refused_by_the_rate_limit_are_counted_and_logged_once_without_the_credential() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("io.antidote.http.RateLimitRefusals");
        logger.addHandler(capture);
        String source = "flooding-edr-" + UUID.randomUUID().toString().substring(0, 8);
        String token = TestTokens.person(source, Roles.ALERT_SOURCE);
        MetricsTest.Scrape before = scrape();
        List<Integer> statuses = new ArrayList<>();
        try {
            for (int i = 0; i < BURST + 4; i++) {
                statuses.add(bearer(token).contentType(ContentType.JSON).body(Map.of("source", source, "externalId",
                                source + "-" + i, "server", "not-in-inventory", "type", "webshell", "severity", "high",
                                "occurredAt", Instant.now().toString()))
                        .when().post("/api/v1/alerts").then().extract().statusCode());
            }
        } finally {
            logger.removeHandler(capture);
        }

        // A token comes back every 5 s: on a loaded machine one more may pass, so the counts are compared, not fixed.
        long admitted = statuses.stream().filter(status -> status == 202).count();
        long refused = statuses.stream().filter(status -> status == 429).count();
        assertThat(admitted + refused).as("answers other than 202 or 429 in %s", statuses).isEqualTo(statuses.size());
        assertThat(statuses.subList(0, BURST)).as("the burst").containsOnly(202);
        assertThat(refused).as("refused beyond the burst").isPositive();
        assertThat(scrape().delta(before, "antidote_http_rate_limited_total", Map.of("endpoint", "alerts")))
                .as("refused alerts counted").isEqualTo((double) refused);
        assertThat(recorded(source)).as("alerts recorded: only those admitted").isEqualTo(admitted);
        List<String> flood = lines.stream().filter(line -> line.contains("POST /api/v1/alerts")).toList();
        assertThat(flood).as("log lines of the flood, one a minute per caller").singleElement()
                .satisfies(line -> assertThat(line).contains("refused 1 request(s)").contains("1 of them alerts")
                        .contains("credential:").doesNotContain(token).doesNotContain(token.substring(7, 40)));
    }

    private long recorded(String source) {
        return pool.preparedQuery("select count(*) from alert where source = $1").execute(Tuple.of(source))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    private static MetricsTest.Scrape scrape() {
        return new MetricsTest.Scrape(given().when().get("/q/metrics").then().statusCode(200).extract().asString());
    }
}
