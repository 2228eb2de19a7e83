package io.antidote.alert;

import io.antidote.messaging.Channels;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Alerts from the RabbitMQ queue (docs/alerts.md), one after the other, each decided and recorded as an alert of
 * the API is. A message is acknowledged once its alert is recorded. A malformed or hostile one (recorded REFUSED)
 * is rejected at once, and so is one that could still not be recorded after {@code antidote.alerts.queue-retries}
 * tries: the broker moves a rejected message to the dead-letter queue, so that it never holds up those behind it.
 */
@ApplicationScoped
public class AlertQueue {

    private static final Logger LOG = Logger.getLogger(AlertQueue.class);

    private final AlertDesk desk;
    private final String queue;
    private final int retries;

    AlertQueue(AlertDesk desk, AlertsConfig config) {
        this.desk = desk;
        this.queue = config.queue();
        this.retries = config.queueRetries();
    }

    @Incoming(Channels.ALERTS)
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> receive(Message<?> message) {
        return Uni.createFrom().deferred(() -> desk.receive(text(message.getPayload()), AlertSender.queue(queue)))
                .onFailure(failure -> !(failure instanceof AlertRefused)).retry()
                .withBackOff(Duration.ofMillis(500), Duration.ofSeconds(10)).atMost(retries)
                .onItemOrFailure().transformToUni((record, failure) -> {
                    if (failure == null) {
                        return Uni.createFrom().completionStage(message.ack());
                    }
                    if (failure instanceof AlertRefused refused) {
                        LOG.warnf("Alert %s from queue %s refused and dead-lettered: %s", refused.record().id(), queue,
                                refused.getMessage());
                    } else {
                        LOG.errorf("Alert from queue %s could not be recorded after %d tries and is dead-lettered: %s",
                                queue, retries + 1, failure.toString());
                    }
                    return Uni.createFrom().completionStage(message.nack(failure));
                });
    }

    /** The message's body as text, whatever the connector made of it from its content type. */
    static String text(Object payload) {
        if (payload instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (payload instanceof Buffer buffer) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
        if (payload instanceof JsonObject object) {
            return object.encode();
        }
        if (payload instanceof JsonArray array) {
            return array.encode();
        }
        return payload == null ? null : payload.toString();
    }
}
