package io.antidote.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A server-sent events client over a real socket (java.net.http), parsing the stream line by line as the
 * WHATWG rules say: {@code id:}, {@code event:}, {@code data:} fields, a blank line ending an event, and lines
 * starting with a colon as comments. It reads on a thread of its own until the server ends the stream or
 * the client is closed.
 */
final class SseClient implements AutoCloseable {

    record Event(String id, String name, String data) {}

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    private final List<Event> events = new ArrayList<>();
    private final List<String> comments = new ArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Thread reader;
    private final java.io.InputStream body;
    private final int status;
    private final String contentType;
    private volatile boolean closed;
    private volatile Predicate<List<Event>> stopWhen = events -> false;

    private SseClient(HttpResponse<java.io.InputStream> response) {
        this.status = response.statusCode();
        this.contentType = response.headers().firstValue("content-type").orElse("");
        this.body = response.body();
        this.reader = new Thread(() -> read(response.body()), "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens the stream; {@code token} null sends no credential, {@code lastEventId} null no resume. */
    static SseClient open(URI uri, String token, String lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    int status() {
        return status;
    }

    String contentType() {
        return contentType;
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    synchronized List<String> comments() {
        return List.copyOf(comments);
    }

    /** The client hangs up by itself once what it received satisfies this. */
    void hangUpWhen(Predicate<List<Event>> condition) {
        stopWhen = condition;
    }

    /** Whether the stream ended (the server closed it, or the client hung up) within the time. */
    boolean awaitEnd(Duration within) throws InterruptedException {
        return ended.await(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void read(java.io.InputStream body) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String name = null;
            StringBuilder data = null;
            String line;
            while (!closed && (line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        synchronized (this) {
                            events.add(new Event(id, name, data.toString()));
                            if (stopWhen.test(events)) {
                                closed = true;
                            }
                        }
                    }
                    id = null;
                    name = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    synchronized (this) {
                        comments.add(line.substring(1).strip());
                    }
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    value = value.startsWith(" ") ? value.substring(1) : value;
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> name = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> { }
                    }
                }
            }
        } catch (IOException e) {
            // the server dropped the connection, or the client hung up
        } finally {
            ended.countDown();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            body.close();
        } catch (IOException e) {
            // closing is all that was asked
        }
    }
}
