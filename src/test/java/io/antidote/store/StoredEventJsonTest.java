package io.antidote.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The JSON of a stored event, which the API serves and messages carry, is enough to recompute its hash:
 * drop {@code position}, {@code prevHash} and {@code hash}, write the rest canonically.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StoredEventJsonTest {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    static final UUID RUN = UUID.fromString("5a1f3c0e-7b2d-4e8a-9c61-0d4f2b7e9a13");

    /** A whole second: serialized as an Instant, Jackson would drop the fraction the hash includes. */
    static final StoredEvent STORED = stored(Instant.parse("2021-03-06T10:00:00Z"));

    @Test
    void the_served_json_is_the_hashed_envelope_with_its_place_in_the_chain() throws Exception {
        ObjectNode served = (ObjectNode) JSON.readTree(JSON.writeValueAsString(STORED));

        assertThat(served.get("occurredAt").asText()).isEqualTo("2021-03-06T10:00:00.000000Z");
        assertThat(served.get("position").asLong()).isEqualTo(41);
        assertThat(served.get("seq").asLong()).isEqualTo(3);
        assertThat(served.get("eventId").asText()).isEqualTo(STORED.eventId().toString());
        assertThat(served.get("data").get("exitCode").asInt()).isZero();

        String prevHash = served.remove("prevHash").asText();
        String hash = served.remove("hash").asText();
        served.remove("position");
        assertThat(EventHash.hash(prevHash, CanonicalJson.write(served)))
                .as("hash recomputed from the served JSON alone").isEqualTo(hash).isEqualTo(STORED.hash());
    }

    /**
     * The served form, key for key and in this order: docs/api.md's example, the CLI and the offline verifier
     * (src/verify/Verify.java) read it, and exports hold it. A change here breaks them.
     */
    @Test
    void the_served_json_is_pinned_field_for_field() throws Exception {
        assertThat(JSON.writeValueAsString(STORED)).isEqualTo("{\"actor\":\"antidote\",\"attempt\":1,"
                + "\"data\":{\"exitCode\":0,\"stdout\":\"isolated\"},\"eventId\":\"0b7c2e4a-1d3f-4a5b-8c6d-7e8f9a0b1c2d\","
                + "\"occurredAt\":\"2021-03-06T10:00:00.000000Z\",\"runId\":\"5a1f3c0e-7b2d-4e8a-9c61-0d4f2b7e9a13\","
                + "\"seq\":3,\"step\":\"isolate\",\"target\":\"ex01\",\"type\":\"StepSucceeded\",\"position\":41,"
                + "\"prevHash\":\"" + "ab".repeat(32) + "\",\"hash\":\"" + STORED.hash() + "\"}");
    }

    @Test
    void an_event_about_no_target_is_served_with_its_empty_columns_as_nulls() throws Exception {
        NewEvent event = new NewEvent(UUID.fromString("0b7c2e4a-1d3f-4a5b-8c6d-7e8f9a0b1c2e"), "RunStarted",
                Instant.parse("2021-03-06T10:00:00.123456789Z"), "antidote", null, null, null, JSON.createObjectNode());
        StoredEvent stored = new StoredEvent(7, RUN, 2, event, "cd".repeat(32), EventHash.of("cd".repeat(32), RUN, 2, event));

        assertThat(JSON.writeValueAsString(stored)).isEqualTo("{\"actor\":\"antidote\",\"attempt\":null,\"data\":{},"
                + "\"eventId\":\"0b7c2e4a-1d3f-4a5b-8c6d-7e8f9a0b1c2e\",\"occurredAt\":\"2021-03-06T10:00:00.123456Z\","
                + "\"runId\":\"5a1f3c0e-7b2d-4e8a-9c61-0d4f2b7e9a13\",\"seq\":2,\"step\":null,\"target\":null,"
                + "\"type\":\"RunStarted\",\"position\":7,\"prevHash\":\"" + "cd".repeat(32) + "\",\"hash\":\""
                + stored.hash() + "\"}");
    }

    static StoredEvent stored(Instant at) {
        ObjectNode data = JSON.createObjectNode().put("exitCode", 0).put("stdout", "isolated");
        NewEvent event = new NewEvent(UUID.fromString("0b7c2e4a-1d3f-4a5b-8c6d-7e8f9a0b1c2d"), "StepSucceeded", at,
                "antidote", "ex01", "isolate", 1, data);
        String prevHash = "ab".repeat(32);
        return new StoredEvent(41, RUN, 3, event, prevHash, EventHash.of(prevHash, RUN, 3, event));
    }
}
