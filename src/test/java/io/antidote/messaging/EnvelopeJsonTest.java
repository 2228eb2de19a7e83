package io.antidote.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.antidote.store.EventHash;
import io.antidote.store.NewEvent;
import io.antidote.store.StoredEvent;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The one envelope: a message's data is the stored event as the API serves it, byte for byte the same JSON. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EnvelopeJsonTest {

    /** As Quarkus configures the mapper the relay writes with: instants as ISO-8601 text, not numbers. */
    static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    static final UUID RUN = UUID.fromString("5a1f3c0e-7b2d-4e8a-9c61-0d4f2b7e9a13");

    /** A whole second: serialized as an Instant, Jackson would drop the fraction the hash includes. */
    static final StoredEvent STORED = stored(Instant.parse("2021-03-06T10:00:00Z"));

    @Test
    void a_message_carries_exactly_the_json_the_api_serves() throws Exception {
        RunEventMessage message = RunEventMessage.of(STORED);
        ObjectNode published = (ObjectNode) JSON.readTree(JSON.writeValueAsString(message));

        assertThat(published.get("data")).isEqualTo(JSON.readTree(JSON.writeValueAsString(STORED)));
        assertThat(published.get("id").asText()).isEqualTo(STORED.eventId().toString());
        assertThat(published.get("type").asText()).isEqualTo("io.antidote.run.StepSucceeded");
        assertThat(published.get("subject").asText()).isEqualTo(RUN.toString());
    }

    /**
     * The CloudEvent, attribute for attribute and in this order, around the envelope the API serves
     * (docs/messaging.md): consumers bind to it, and a change here breaks them.
     */
    @Test
    void the_published_cloud_event_is_pinned_attribute_for_attribute() throws Exception {
        assertThat(JSON.writeValueAsString(RunEventMessage.of(STORED))).isEqualTo("{\"specversion\":\"1.0\","
                + "\"id\":\"0b7c2e4a-1d3f-4a5b-8c6d-7e8f9a0b1c2d\",\"source\":\"/antidote/runs/" + RUN + "\","
                + "\"type\":\"io.antidote.run.StepSucceeded\",\"subject\":\"" + RUN + "\",\"time\":\"2021-03-06T10:00:00Z\","
                + "\"datacontenttype\":\"application/json\",\"data\":" + JSON.writeValueAsString(STORED) + "}");
    }

    private static StoredEvent stored(Instant at) {
        ObjectNode data = JSON.createObjectNode().put("exitCode", 0).put("stdout", "isolated");
        NewEvent event = new NewEvent(UUID.fromString("0b7c2e4a-1d3f-4a5b-8c6d-7e8f9a0b1c2d"), "StepSucceeded", at,
                "antidote", "ex01", "isolate", 1, data);
        String prevHash = "ab".repeat(32);
        return new StoredEvent(41, RUN, 3, event, prevHash, EventHash.of(prevHash, RUN, 3, event));
    }
}
