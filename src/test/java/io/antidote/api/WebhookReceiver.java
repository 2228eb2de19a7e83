package io.antidote.api;

import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver as a ticket system would run one, written from docs/webhooks.md alone: it verifies the
 * signature and the timestamp, keeps the first delivery of each {@code webhook-id} and answers 2xx to a
 * repeat without acting on it again. To exercise the retries it answers 503 to the first {@link #failFirst}
 * attempts of each message, and to every attempt while it is {@link #down}.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived, with the answer it got. */
    record Attempt(String id, String timestamp, String signature, String body, int answered) {
    }

    final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    /** The first accepted body of each webhook-id: what the ticket system acted on. */
    final Map<String, String> accepted = new ConcurrentHashMap<>();
    /** Attempts of each webhook-id while the receiver was up. */
    final Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
    volatile boolean down;

    private final HttpServer server;
    private final byte[] key;
    private final int failFirst;

    WebhookReceiver(String secret, int failFirst) throws IOException {
        this.key = keyOf(secret);
        this.failFirst = failFirst;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hooks/antidote", exchange -> {
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int answer;
            if (id == null || !verifies(id, timestamp, signature, body)) {
                answer = 401;
            } else {
                if (down) {
                    answer = 503;
                } else if (tries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet() <= failFirst) {
                    answer = 503;
                } else {
                    accepted.putIfAbsent(id, body);  // a repeat changes nothing
                    answer = 204;
                }
            }
            attempts.add(new Attempt(id, timestamp, signature, body, answer));
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/antidote";
    }

    /** docs/webhooks.md, "Verifying a delivery", step by step. */
    boolean verifies(String id, String timestamp, String signatureHeader, String body) {
        // 1. The timestamp is recent: at most five minutes either way.
        long sent;
        try {
            sent = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(Instant.now().getEpochSecond() - sent) > Duration.ofMinutes(5).toSeconds()) {
            return false;
        }
        // 2. HMAC-SHA256 with the decoded secret over id.timestamp.body, the body as received, in base64.
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            expected = Base64.getEncoder().encode(mac.doFinal((id + "." + timestamp + "." + body)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        // 3. Any of the space-separated "v1,<signature>" entries matches, compared in constant time.
        if (signatureHeader == null) {
            return false;
        }
        for (String entry : signatureHeader.split(" ")) {
            if (entry.startsWith("v1,") && MessageDigest.isEqual(expected,
                    entry.substring(3).getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }

    /** The key is the base64 after {@code whsec_}. */
    static byte[] keyOf(String secret) {
        return Base64.getDecoder().decode(secret.substring("whsec_".length()));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
