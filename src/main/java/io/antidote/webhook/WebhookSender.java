package io.antidote.webhook;

import io.antidote.store.WebhookDeliveries;
import io.antidote.store.WebhookDeliveries.Claimed;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * Sends due deliveries, signed as Standard Webhooks says, and records each outcome: delivered on a 2xx
 * answer, otherwise due again after an exponential backoff, or dead once the retry window has passed.
 * Rows are claimed in the database ({@code FOR UPDATE SKIP LOCKED}), so replicas share the work and a
 * delivery whose sender died is due again once its claim lapses. Requests go out on worker threads; the
 * event loop only schedules.
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    private static final int MAX_ERROR = 500;

    private final WebhookDeliveries deliveries;
    private final WebhookConfig config;
    private final Backoff backoff;
    private final Duration claim;
    private final HttpClient http;
    private final Rounds rounds;

    WebhookSender(WebhookDeliveries deliveries, Vertx vertx, WebhookConfig config) {
        if (config.requestTimeout().isNegative() || config.requestTimeout().isZero()
                || config.retryWindow().isNegative() || config.retryWindow().isZero()) {
            throw new IllegalArgumentException("antidote.webhooks.request-timeout and antidote.webhooks.retry-window "
                    + "must be positive, not " + config.requestTimeout() + " and " + config.retryWindow());
        }
        this.deliveries = deliveries;
        this.config = config;
        this.backoff = new Backoff(config.initialBackoff(), config.maxBackoff());
        // Connecting and waiting for the answer each take up to the timeout; recording the outcome, a moment.
        this.claim = config.requestTimeout().multipliedBy(2).plusSeconds(5);
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.rounds = new Rounds(vertx, config.interval(), "Webhook sender", this::sendDue, LOG);
    }

    void start(@Observes StartupEvent start) {
        rounds.start();
    }

    void stop(@Observes ShutdownEvent stop) {
        rounds.stop();
    }

    private Uni<Void> sendDue() {
        return deliveries.claimDue(config.batchSize(), claim).chain(this::sendAll);
    }

    private Uni<Void> sendAll(List<Claimed> claimed) {
        if (claimed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(claimed.stream().map(this::attempt).toList()).andCollectFailures().replaceWithVoid();
    }

    /** One attempt and its outcome recorded; fails only when the outcome could not be recorded. */
    private Uni<Void> attempt(Claimed delivery) {
        return Uni.createFrom().deferred(() -> send(delivery))
                .chain(status -> status >= 200 && status < 300
                        ? deliveries.delivered(delivery.id(), status)
                        : failed(delivery, status, "HTTP " + status))
                .onFailure(e -> !(e instanceof RecordingFailure))
                .recoverWithUni(e -> failed(delivery, null, describe(e)));
    }

    private Uni<Integer> send(Claimed delivery) {
        WebhookSecret secret = WebhookSecret.parse(delivery.secret()).orElseThrow(() ->
                new IllegalStateException("subscription " + delivery.subscriptionId() + " holds a malformed secret"));
        String id = delivery.id().toString();
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(delivery.url()))
                .timeout(config.requestTimeout())
                .header("content-type", "application/json")
                .header("user-agent", "Antidote-Webhooks/1")
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", secret.sign(id, timestamp, delivery.payload()))
                .POST(HttpRequest.BodyPublishers.ofString(delivery.payload()))
                .build();
        // The JDK client resolves names on the calling thread: never the event loop.
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .map(HttpResponse::statusCode);
    }

    private Uni<Void> failed(Claimed delivery, Integer status, String error) {
        Duration wait = backoff.after(delivery.attempts());
        return deliveries.failed(delivery.id(), status, error, wait, config.retryWindow())
                .invoke(dead -> {
                    if (dead) {
                        LOG.warnf("Webhook delivery %s of subscription %s is dead after %d attempts: %s (replay it "
                                + "by hand)", delivery.id(), delivery.subscriptionId(), delivery.attempts(), error);
                    }
                })
                .onFailure().transform(RecordingFailure::new)
                .replaceWithVoid();
    }

    /** Why an attempt got no answer, in a line fit for the delivery log: the exception, never the URL. */
    private static String describe(Throwable failure) {
        Throwable e = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) + "…" : text;
    }

    /** The outcome of an attempt could not be written: the claim lapses and the delivery is tried again. */
    private static final class RecordingFailure extends RuntimeException {
        RecordingFailure(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }
}
