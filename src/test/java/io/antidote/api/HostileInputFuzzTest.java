package io.antidote.api;

import io.antidote.identity.TestIdentity;
import io.antidote.identity.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, point 6: hostile bodies, headers and paths, generated from a fixed seed (a failure names the
 * request, and the same seed sends it again). Every request must be answered within its timeout, never with
 * a 500, and an error must be a problem document; afterwards the service is still live. Bodies never name a
 * target in the inventory or ask for a real run (dryRun), so nothing runs on a lab host.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HostileInputFuzzTest {

    private static final long SEED = 13_06L;
    private static final int REQUESTS = 400;
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(20);

    private static final String[] PATHS = {
            "/api/v1/runs", "/api/v1/runs/6d2b7c1e-0000-4000-8000-000000000000", "/api/v1/runs/%00",
            "/api/v1/runs/..%2F..%2Fetc%2Fpasswd", "/api/v1/runs/6d2b7c1e-0000-4000-8000-000000000000/approvals",
            "/api/v1/runs/6d2b7c1e-0000-4000-8000-000000000000/cancel",
            "/api/v1/runs/6d2b7c1e-0000-4000-8000-000000000000/targets/%ED%A0%80/release",
            "/api/v1/runs/6d2b7c1e-0000-4000-8000-000000000000/events", "/api/v1/playbooks/%00",
            "/api/v1/playbooks/..%5C..%5Cwindows", "/api/v1/steps/%FF%FE", "/api/v1/targets", "/api/v1/audit/export",
            "/api/v1/runs?status=%00&page=-1&size=99999999999", "/api/v1/runs?ticket=%ED%A0%80",
            "/api/v1/runs?playbook=" + "%41".repeat(300), "/api/v1/audit/export?from=%00&to=yesterday"};
    private static final String[] VALUES = {
            "\"\\u0000\"", "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"'; Remove-Item C:\\\\ -Recurse #\"", "null", "true",
            "-1", "1e308", "123456789012345678901234567890", "[]", "{}", "[null,null]", "\"$(Get-Process)\"",
            "\"\\u202e\\u2028\"", "\"" + "A".repeat(5000) + "\"", "{\"$ne\":1}", "\"lab-ex01\"", "0.5",
            "[" + "[".repeat(2000) + "]".repeat(2000) + "]"};
    private static final String[] FIELDS = {
            "playbook", "targets", "params", "ticket", "onBusy", "targetLabels", "step", "target", "decision", "comment",
            "mode", "reason", "__proto__", "\\u0000", ""};

    private static final String TOKEN = TestTokens.person("fuzzer", TestIdentity.TESTER_ROLES, List.of("*"));

    @Test
    void hostile_requests_never_get_a_500_and_never_hang() throws Exception {
        Random random = new Random(SEED);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            String path = PATHS[random.nextInt(PATHS.length)];
            String body = body(random);
            String method = random.nextInt(4) == 0 ? "PUT" : random.nextBoolean() ? "POST" : "GET";
            HttpRequest.Builder request = HttpRequest.newBuilder(HostileInputApiTest.uri(path)).timeout(ANSWER_WITHIN)
                    .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            String[] contentTypes = {"application/json", "text/plain", "application/xml", "application/json; charset=utf-16",
                    "multipart/form-data; boundary=x"};
            request.header("Content-Type", contentTypes[random.nextInt(contentTypes.length)]);
            // Most requests get past authentication, so that the resources see the hostile input too; the rest
            // are refused by the security layer, which must answer with a problem document as well.
            if (random.nextInt(4) != 0) {
                request.header("Authorization", "Bearer " + TOKEN);
            }
            if (random.nextBoolean()) {
                request.header("X-Antidote-Actor", random.nextBoolean() ? "antidote" : "x".repeat(random.nextInt(300)));
            }
            if (random.nextBoolean()) {
                request.header("Idempotency-Key", random.nextBoolean() ? "k" + random.nextInt(5) : "é ü\t" + i);
            }
            if (random.nextInt(5) == 0) {
                request.header("Accept", random.nextBoolean() ? "application/xml" : "*/*;q=x");
            }
            String what = method + " " + path + " " + shorten(body);
            try {
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 500) {
                    failures.add(status + " for " + what + ": " + shorten(response.body()));
                } else if (status >= 400 && !response.headers().firstValue("Content-Type").orElse("")
                        .startsWith("application/problem+json")) {
                    failures.add(status + " without a problem document for " + what);
                }
            } catch (java.net.http.HttpTimeoutException e) {
                failures.add("no answer within " + ANSWER_WITHIN + " for " + what);
            }
        }
        failures.addAll(rawRequests());
        assertThat(failures).as("hostile requests answered badly").isEmpty();
        given().when().get("/q/health/live").then().statusCode(200);
    }

    /** Requests no HTTP client library would send: broken request lines, NUL in headers, bad chunking. */
    private static List<String> rawRequests() throws IOException {
        String[] raw = {
                "GET /api/v1/runs HTTP/1.1\r\nHost: x\r\nX-Antidote-Actor: a\u0000b\r\n\r\n",
                "GET /api/v1/runs\u0000 HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST /api/v1/runs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
                "POST /api/v1/runs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -5\r\n\r\n{}",
                "POST /api/v1/runs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 9\r\n\r\n{}",
                "GET /" + "a".repeat(70_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /api/v1/runs HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(70_000) + "\r\n\r\n",
                "BREW /api/v1/runs HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /api/v1/runs HTTP/9.9\r\nHost: x\r\n\r\n",
                "GET /api/v1/runs HTTP/1.1\r\nHost: x\r\n" + "X-Many: y\r\n".repeat(3000) + "\r\n",
                "GET /api/v1/runs HTTP/1.1\r\nHost: x\r\nX-Antidote-Actor: \u00e9\u00ff\r\n\r\n",
        };
        List<String> failures = new ArrayList<>();
        for (String request : raw) {
            try (Socket socket = new Socket("localhost", RestAssured.port)) {
                socket.setSoTimeout((int) ANSWER_WITHIN.toMillis());
                OutputStream out = socket.getOutputStream();
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                String status = statusLine(socket.getInputStream());
                if (status.matches("HTTP/1\\.[01] 5\\d\\d.*")) {
                    failures.add(status + " for raw " + shorten(request));
                }
            } catch (SocketTimeoutException e) {
                failures.add("no answer within " + ANSWER_WITHIN + " for raw " + shorten(request));
            } catch (IOException e) {
                // The server may close the connection on a request it will not parse: an answer too.
            }
        }
        return failures;
    }

    /** The first line the server answers, or "" if it closed the connection without one. */
    private static String statusLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).trim();
    }

    private static String body(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> "{\"playbook\":\"proxylogon-remediation\",\"targets\":[\"no-such-host\"],\"dryRun\":true,"
                    + "\"" + FIELDS[random.nextInt(FIELDS.length)] + "\":" + VALUES[random.nextInt(VALUES.length)] + "}";
            case 1 -> "{\"playbook\":\"proxylogon-remediation\",\"dryRun\":true,\"params\":{\"patchShare\":"
                    + VALUES[random.nextInt(VALUES.length)] + "},\"targets\":[" + VALUES[random.nextInt(VALUES.length)] + "]}";
            case 2 -> "{\"step\":" + VALUES[random.nextInt(VALUES.length)] + ",\"decision\":"
                    + VALUES[random.nextInt(VALUES.length)] + ",\"comment\":" + VALUES[random.nextInt(VALUES.length)] + "}";
            case 3 -> {
                byte[] junk = new byte[random.nextInt(2000)];
                random.nextBytes(junk);
                yield new String(junk, StandardCharsets.ISO_8859_1);
            }
            case 4 -> "{\"playbook\":\"no-such-playbook\",\"ticket\":" + VALUES[random.nextInt(VALUES.length)]
                    + ",\"targetLabels\":{" + VALUES[random.nextInt(VALUES.length)] + ":\"x\"}}";
            default -> VALUES[random.nextInt(VALUES.length)];
        };
    }

    private static String shorten(String text) {
        String printable = text.replaceAll("[\\p{Cntrl}]", "?");
        return printable.length() > 160 ? printable.substring(0, 160) + "…" : printable;
    }
}
