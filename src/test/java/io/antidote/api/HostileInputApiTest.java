package io.antidote.api;

import io.antidote.identity.Roles;
import io.antidote.identity.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Issue 13, point 6: input that cannot hurt. Each input here used to freeze the service, answer 500, or
 * answer without a problem document; each is now a 4xx problem document of its own type, and nothing of it
 * is written.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HostileInputApiTest {

    private static final String PROBLEM = "urn:antidote:problem:";

    @Test
    void four_requests_of_100000_targets_are_refused_at_once_and_liveness_keeps_answering() throws Exception {
        String targets = IntStream.range(0, 100_000).mapToObj(i -> "\"t" + i + "\"").collect(Collectors.joining(","));
        String body = "{\"playbook\":\"proxylogon-remediation\",\"targets\":[" + targets + "]}";
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest post = HttpRequest.newBuilder(uri("/api/v1/runs")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TestTokens.person("flooder", Roles.OPERATOR))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long events = RunRequestValidationTest.eventCount();
        Instant start = Instant.now();
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sent.add(client.sendAsync(post, HttpResponse.BodyHandlers.ofString()));
        }
        List<Long> liveness = new ArrayList<>();
        while (sent.stream().anyMatch(f -> !f.isDone())) {
            Instant asked = Instant.now();
            given().when().get("/q/health/live").then().statusCode(200);
            liveness.add(Duration.between(asked, Instant.now()).toMillis());
        }
        for (CompletableFuture<HttpResponse<String>> answer : sent) {
            HttpResponse<String> response = answer.join();
            assertThat(response.statusCode()).isEqualTo(422);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.body()).contains(PROBLEM + "invalid-request").contains("\"field\":\"targets\"")
                    .contains("at most 1000 targets");
        }
        assertThat(Duration.between(start, Instant.now())).as("four requests of 100,000 targets")
                .isLessThan(Duration.ofSeconds(20));
        assertThat(liveness).as("ms each liveness check took meanwhile").allMatch(ms -> ms < 2_000);
        assertThat(RunRequestValidationTest.eventCount()).isEqualTo(events);
    }

    @Test
    void a_parameter_over_4_kib_is_refused_naming_it() {
        given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "proxylogon-remediation", "targets", List.of("lab-ex01"),
                        "params", Map.of("patchShare", "C:\\" + "é".repeat(2047)), "dryRun", true))
                .when().post("/api/v1/runs")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "invalid-request"))
                .body("errors.field", equalTo(List.of("params.patchShare")))
                .body("errors[0].message", containsString("longer than 4096 bytes"));
        // 4096 bytes exactly is within the limit: a folder under the configured source C:\Patches, in segments of
        // at most 255 characters as a path has them.
        String longest = "C:\\Patches" + ("\\" + "x".repeat(239)).repeat(17) + "\\xxxxx";
        assertThat(longest).hasSize(4096);
        given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "proxylogon-remediation", "targets", List.of("lab-ex01"),
                        "params", Map.of("patchShare", longest), "dryRun", true))
                .when().post("/api/v1/runs")
                .then().statusCode(200);
    }

    @Test
    void nul_a_lone_surrogate_or_an_overlong_ticket_are_422_naming_the_ticket_and_write_nothing() {
        long events = RunRequestValidationTest.eventCount();
        for (String ticket : List.of("CHG\\u0000-1", "CHG-\\ud800", "CHG-\\udc00x", "x".repeat(2800))) {
            given().contentType(ContentType.JSON)
                    .body("{\"playbook\":\"proxylogon-remediation\",\"targets\":[\"lab-ex01\"],\"ticket\":\"" + ticket + "\"}")
                    .when().post("/api/v1/runs")
                    .then().statusCode(422).contentType("application/problem+json")
                    .body("type", equalTo(PROBLEM + "invalid-request"))
                    .body("errors.field", equalTo(List.of("ticket")));
        }
        assertThat(RunRequestValidationTest.eventCount()).isEqualTo(events);
    }

    @Test
    void nul_or_a_lone_surrogate_in_a_comment_or_a_reason_is_422_naming_it() {
        String run = "6d2b7c1e-0000-4000-8000-000000000000";
        given().contentType(ContentType.JSON).body("{\"step\":\"patch\",\"decision\":\"APPROVE\",\"comment\":\"ok\\u0000\"}")
                .when().post("/api/v1/runs/{id}/approvals", run)
                .then().statusCode(422).contentType("application/problem+json").body("errors.field", hasItem("comment"));
        given().contentType(ContentType.JSON).body("{\"step\":\"patch\",\"decision\":\"APPROVE\",\"comment\":\"\\udbff\"}")
                .when().post("/api/v1/runs/{id}/approvals", run)
                .then().statusCode(422).contentType("application/problem+json").body("errors.field", hasItem("comment"));
        given().contentType(ContentType.JSON).body("{\"reason\":\"checked\\u0000\"}")
                .when().post("/api/v1/runs/{id}/targets/{target}/release", run, "lab-ex01")
                .then().statusCode(422).contentType("application/problem+json").body("errors.field", hasItem("reason"));
    }

    @Test
    void nul_in_a_list_filter_is_a_400_naming_the_filter() {
        for (String filter : List.of("playbook", "target", "ticket")) {
            given().urlEncodingEnabled(false).when().get("/api/v1/runs?" + filter + "=a%00b")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo(PROBLEM + "invalid-query"))
                    .body("errors.field", equalTo(List.of(filter)));
        }
    }

    @Test
    void a_body_uri_or_headers_over_their_limits_get_413_411_414_431_problem_documents() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // Raw: a client would still be sending the body when the answer comes (and the connection closes).
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("POST /api/v1/runs HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 2000000\r\n\r\n{\"ticket\":\"xxxx")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = answer(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413").containsIgnoringCase("content-type: application/problem+json")
                    .contains("\"type\":\"" + PROBLEM + "body-too-large\"").containsIgnoringCase("x-content-type-options: nosniff");
        }

        // Chunked, so no length is declared: it would turn out too large only while read (by a layer that answers
        // 413 with no problem document), so a body must declare its length.
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(20_000);
            var out = socket.getOutputStream();
            out.write(("POST /api/v1/runs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String chunk = "x".repeat(0x10000);
            try {
                for (int i = 0; i < 24; i++) {
                    out.write(("10000\r\n" + chunk + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (java.io.IOException closedEarly) {
                // The server may answer and close before the whole body is sent: the answer is read below.
            }
            String answer = answer(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 411").containsIgnoringCase("content-type: application/problem+json")
                    .contains("\"type\":\"" + PROBLEM + "length-required\"");
        }

        HttpResponse<String> longUri = client.send(HttpRequest.newBuilder(uri("/api/v1/runs?ticket=" + "x".repeat(5000)))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertProblem(longUri, 414, "uri-too-long");

        HttpRequest.Builder many = HttpRequest.newBuilder(uri("/api/v1/playbooks")).GET();
        for (int i = 0; i < 20; i++) {
            many.header("X-Padding-" + i, "y".repeat(1000));
        }
        assertProblem(client.send(many.build(), HttpResponse.BodyHandlers.ofString()), 431, "headers-too-large");
    }

    @Test
    void problems_name_their_type() {
        given().contentType(ContentType.JSON).body("{\"playbook\": ").when().post("/api/v1/runs")
                .then().statusCode(400).body("type", equalTo(PROBLEM + "malformed-body"));
        given().when().get("/api/v1/runs/{id}", "6d2b7c1e-0000-4000-8000-000000000000")
                .then().statusCode(404).body("type", equalTo(PROBLEM + "not-found"));
        given().when().get("/api/v1/no-such-thing")
                .then().statusCode(404).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("playbook", "no-such-playbook", "targets", List.of("lab-ex01")))
                .when().post("/api/v1/runs")
                .then().statusCode(422).body("type", equalTo(PROBLEM + "invalid-request"));
    }

    @Test
    void every_answer_carries_the_security_headers() throws Exception {
        for (String path : List.of("/api/v1/playbooks", "/api/v1/runs/not-a-run", "/q/health/live", "/api/v1/no-such-thing")) {
            var response = given().when().get(path).then().extract();
            assertThat(response.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
            assertThat(response.header("X-Frame-Options")).as(path).isEqualTo("DENY");
            assertThat(response.header("Referrer-Policy")).as(path).isEqualTo("no-referrer");
        }
        var api = given().when().get("/api/v1/playbooks").then().statusCode(200).extract();
        assertThat(api.header("Content-Security-Policy")).isEqualTo("default-src 'none'; frame-ancestors 'none'");
        assertThat(api.header("Cache-Control")).isEqualTo("no-store");
        HttpResponse<String> refused = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
                uri("/api/v1/runs?ticket=" + "x".repeat(5000))).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"type\":\"" + PROBLEM + type + "\"").contains("\"status\":" + status);
    }

    /** One HTTP/1.1 answer read off a socket: head, then as many body bytes as its Content-Length says. */
    private static String answer(java.io.InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b == -1) {
                return head.toString();
            }
            head.append((char) b);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
        return head + new String(body, StandardCharsets.UTF_8);
    }

    static URI uri(String path) {
        return URI.create("http://localhost:" + RestAssured.port + path);
    }
}
