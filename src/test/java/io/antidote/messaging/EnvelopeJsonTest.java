package io.antidote.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
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

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
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

    private static StoredEvent stored(Instant at) {
        ObjectNode data = JSON.createObjectNode().put("exitCode", 0).put("stdout", "isolated");
        NewEvent event = new NewEvent(UUID.fromString("0b7c2e4a-1d3f-4a5b-8c6d-7e8f9a0b1c2d"), "StepSucceeded", at,
                "antidote", "ex01", "isolate", 1, data);
        String prevHash = "ab".repeat(32);
        return new StoredEvent(41, RUN, 3, event, prevHash, EventHash.of(prevHash, RUN, 3, event));
    }
}
