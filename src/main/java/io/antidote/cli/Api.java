package io.antidote.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The service's REST API as the CLI calls it: JSON in and out, the bearer token on every request, and every
 * refusal turned into a {@link CommandFailed} whose message is the problem document's own words (with the fields
 * it names) and whose exit code says what kind of refusal it was.
 */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    private final URI server;
    private final String token;
    private final HttpClient http;

    Api(URI server, String token) {
        this.server = server;
        this.token = token;
        // HTTP/1.1: a server-sent event stream is a long response on a plain connection.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    URI server() {
        return server;
    }

    /** A query string of the non-null values, in order. */
    static String query(Map<String, ?> parameters) {
        String joined = parameters.entrySet().stream().filter(e -> e.getValue() != null)
                .flatMap(e -> e.getValue() instanceof Iterable<?> many
                        ? java.util.stream.StreamSupport.stream(many.spliterator(), false).map(v -> Map.entry(e.getKey(), v))
                        : Stream.of(e))
                .map(e -> encode(e.getKey()) + "=" + encode(String.valueOf(e.getValue())))
                .collect(Collectors.joining("&"));
        return joined.isEmpty() ? "" : "?" + joined;
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    JsonNode get(String path) {
        return json(send(request(path).GET().header("Accept", "application/json").build()));
    }

    JsonNode post(String path, Object body) {
        return post(path, body, Map.of()).body();
    }

    /** An answer with its status and Location, for the calls whose status means something (202 or 200). */
    record Answer(int status, JsonNode body, String location) {
    }

    Answer post(String path, Object body, Map<String, String> headers) {
        HttpRequest.Builder builder = request(path).header("Content-Type", "application/json")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(write(body)));
        headers.forEach(builder::header);
        HttpResponse<InputStream> response = send(builder.build());
        return new Answer(response.statusCode(), json(response), response.headers().firstValue("Location").orElse(null));
    }

    /** The body as it comes (an export's JSON Lines), after the status was checked. */
    InputStream download(String path, String accept) {
        return send(request(path).GET().header("Accept", accept).build()).body();
    }

    /**
     * Opens a server-sent event stream; {@code lastEventId} resumes after that id. The response's status is left
     * to the caller, so that it can tell "not allowed to stream" from other refusals.
     */
    HttpResponse<Stream<String>> stream(String path, Long lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder builder = request(path).GET().header("Accept", "text/event-stream");
        if (lastEventId != null) {
            builder.header("Last-Event-ID", Long.toString(lastEventId));
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofLines());
    }

    /** The refusal a non-2xx answer's body describes (a problem document, or the bare status). */
    static CommandFailed refusal(int status, String body) {
        StringBuilder message = new StringBuilder();
        try {
            JsonNode problem = JSON.readTree(body);
            message.append(problem.path("title").asText("HTTP " + status));
            if (problem.hasNonNull("detail")) {
                message.append(": ").append(problem.get("detail").asText());
            }
            for (JsonNode error : problem.path("errors")) {
                message.append(System.lineSeparator()).append("  ").append(error.path("field").asText())
                        .append(": ").append(error.path("message").asText());
            }
        } catch (JsonProcessingException | RuntimeException e) {
            message.setLength(0);
        }
        if (message.length() == 0) {
            message.append("the service answered HTTP ").append(status);
        }
        return new CommandFailed(Exit.forStatus(status), message + " (HTTP " + status + ")", status);
    }

    private HttpRequest.Builder request(String path) {
        if (token == null) {
            throw new CommandFailed(Exit.DENIED, "not logged in to " + server + ": run `antidote login` first");
        }
        return HttpRequest.newBuilder(server.resolve(path)).timeout(ANSWER_TIMEOUT)
                .header("Authorization", "Bearer " + token);
    }

    private HttpResponse<InputStream> send(HttpRequest request) {
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new CommandFailed(Exit.UNAVAILABLE, "cannot connect to " + server);
        } catch (IOException e) {
            throw new CommandFailed(Exit.UNAVAILABLE, "the connection to " + server + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailed(Exit.UNAVAILABLE, "interrupted");
        }
        if (response.statusCode() >= 300) {
            throw refusal(response.statusCode(), text(response.body()));
        }
        return response;
    }

    private static JsonNode json(HttpResponse<InputStream> response) {
        String body = text(response.body());
        try {
            return body.isEmpty() ? JSON.nullNode() : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new CommandFailed(Exit.UNAVAILABLE, "the service answered something that is not JSON");
        }
    }

    private static String text(InputStream body) {
        try (body) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CommandFailed(Exit.UNAVAILABLE, "the answer could not be read: " + e.getMessage());
        }
    }

    static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** An ordered map for request bodies and queries, which leaves out nulls as the caller builds it. */
    static Map<String, Object> fields(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                map.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return map;
    }
}
