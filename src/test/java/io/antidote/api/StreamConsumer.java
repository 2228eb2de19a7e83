package io.antidote.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

/**
 * A SIEM-like consumer of the run stream, straight on the machine's RabbitMQ: a queue of its own bound to
 * {@code antidote.runs} with {@code #}, as docs/messaging.md tells consumers to do.
 */
final class StreamConsumer implements AutoCloseable {

    record Received(String routingKey, String contentType, JsonNode cloudEvent) {}

    static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    StreamConsumer() throws IOException, TimeoutException {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        factory.setUsername("guest");
        factory.setPassword("guest");
        connection = factory.newConnection("antidote-test-consumer");
        Channel channel = connection.createChannel();
        channel.exchangeDeclare("antidote.runs", "topic", true);
        String queue = channel.queueDeclare().getQueue();
        channel.queueBind(queue, "antidote.runs", "#");
        DeliverCallback deliver = (tag, delivery) -> {
            AMQP.BasicProperties props = delivery.getProperties();
            received.add(new Received(delivery.getEnvelope().getRoutingKey(), props.getContentType(),
                    JSON.readTree(new String(delivery.getBody(), StandardCharsets.UTF_8))));
        };
        channel.basicConsume(queue, true, deliver, tag -> { });
    }

    List<Received> all() {
        return new ArrayList<>(received);
    }

    /** The run's event messages, first delivery of each id only, in the order they arrived. */
    List<JsonNode> eventsOf(String runId) {
        Map<String, JsonNode> firsts = new LinkedHashMap<>();
        for (Received r : received) {
            JsonNode ce = r.cloudEvent();
            if (runId.equals(ce.path("subject").asText()) && ce.path("type").asText().startsWith("io.antidote.run.")) {
                firsts.putIfAbsent(ce.path("id").asText(), ce);
            }
        }
        return new ArrayList<>(firsts.values());
    }

    List<JsonNode> checkpointsOf(String runId) {
        return received.stream().map(Received::cloudEvent)
                .filter(ce -> runId.equals(ce.path("subject").asText())
                        && "io.antidote.checkpoint".equals(ce.path("type").asText()))
                .toList();
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
