package io.antidote.store;

import static io.antidote.store.Events.data;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The event hash is a contract with every hash already stored and with auditors' tools, so this
 * suite pins its exact bytes, and shows that it sees every field and nothing but content.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EventHashTest {

    static final UUID RUN = UUID.fromString("3f2a6c1e-0000-4000-8000-000000000001");
    static final UUID EVENT = UUID.fromString("00000000-0000-4000-8000-0000000000aa");
    static final Instant AT = Instant.parse("2021-03-02T10:00:00.123456Z");

    static NewEvent sample(ObjectNode data) {
        return new NewEvent(EVENT, "StepSucceeded", AT, "alice", "lab-ex01", "patch", 2, data);
    }

    static final NewEvent SAMPLE = sample(data("{\"stdout\":\"ok\\n\",\"nested\":{\"z\":true,\"a\":null},\"exitCode\":0}"));

    @Test
    void the_canonical_json_has_sorted_keys_no_whitespace_and_microsecond_utc_time() {
        assertThat(EventHash.canonicalJson(RUN, 1, SAMPLE))
                .as("canonical envelope of the sample event")
                .isEqualTo("{\"actor\":\"alice\",\"attempt\":2,"
                        + "\"data\":{\"exitCode\":0,\"nested\":{\"a\":null,\"z\":true},\"stdout\":\"ok\\n\"},"
                        + "\"eventId\":\"00000000-0000-4000-8000-0000000000aa\","
                        + "\"occurredAt\":\"2021-03-02T10:00:00.123456Z\","
                        + "\"runId\":\"3f2a6c1e-0000-4000-8000-000000000001\",\"seq\":1,"
                        + "\"step\":\"patch\",\"target\":\"lab-ex01\",\"type\":\"StepSucceeded\"}");
    }

    @Test
    void the_hash_is_sha256_hex_of_the_previous_hash_a_newline_and_the_canonical_json() {
        // Computed outside Java: printf '%s\n%s' "$GENESIS" "$CANONICAL" | sha256sum
        assertThat(EventHash.of(EventHash.GENESIS, RUN, 1, SAMPLE))
                .as("hash of the sample event as first of its run")
                .isEqualTo("b4c6faf41180428139cf863a302825e130811619ff5d43abd52ffc06995eb159");
    }

    @Test
    void reordering_keys_in_data_at_any_depth_does_not_change_the_hash() {
        NewEvent reordered = sample(data("{\"exitCode\":0,\"nested\":{\"a\":null,\"z\":true},\"stdout\":\"ok\\n\"}"));
        assertThat(EventHash.of(EventHash.GENESIS, RUN, 1, reordered))
                .as("hash of the same data written in another key order")
                .isEqualTo(EventHash.of(EventHash.GENESIS, RUN, 1, SAMPLE));
    }

    @Test
    void changing_any_field_changes_the_hash() {
        String original = EventHash.of(EventHash.GENESIS, RUN, 1, SAMPLE);
        ObjectNode d = SAMPLE.data();
        Map<String, String> variants = new LinkedHashMap<>();
        variants.put("prevHash", EventHash.of("1".repeat(64), RUN, 1, SAMPLE));
        variants.put("runId", EventHash.of(EventHash.GENESIS, UUID.randomUUID(), 1, SAMPLE));
        variants.put("seq", EventHash.of(EventHash.GENESIS, RUN, 2, SAMPLE));
        variants.put("eventId", hash(new NewEvent(UUID.randomUUID(), "StepSucceeded", AT, "alice", "lab-ex01", "patch", 2, d)));
        variants.put("type", hash(new NewEvent(EVENT, "StepFailed", AT, "alice", "lab-ex01", "patch", 2, d)));
        variants.put("occurredAt", hash(new NewEvent(EVENT, "StepSucceeded", AT.plusNanos(1000), "alice", "lab-ex01", "patch", 2, d)));
        variants.put("actor", hash(new NewEvent(EVENT, "StepSucceeded", AT, "mallory", "lab-ex01", "patch", 2, d)));
        variants.put("target", hash(new NewEvent(EVENT, "StepSucceeded", AT, "alice", "lab-ex02", "patch", 2, d)));
        variants.put("target null", hash(new NewEvent(EVENT, "StepSucceeded", AT, "alice", null, "patch", 2, d)));
        variants.put("step", hash(new NewEvent(EVENT, "StepSucceeded", AT, "alice", "lab-ex01", "scan", 2, d)));
        variants.put("step null", hash(new NewEvent(EVENT, "StepSucceeded", AT, "alice", "lab-ex01", null, 2, d)));
        variants.put("attempt", hash(new NewEvent(EVENT, "StepSucceeded", AT, "alice", "lab-ex01", "patch", 3, d)));
        variants.put("attempt null", hash(new NewEvent(EVENT, "StepSucceeded", AT, "alice", "lab-ex01", "patch", null, d)));
        variants.put("data value", hash(sample(data("{\"stdout\":\"ok\\n\",\"nested\":{\"z\":true,\"a\":null},\"exitCode\":1}"))));
        variants.put("data key", hash(sample(data("{\"stdout\":\"ok\\n\",\"nested\":{\"z\":true,\"b\":null},\"exitCode\":0}"))));
        variants.put("data type", hash(sample(data("{\"stdout\":\"ok\\n\",\"nested\":{\"z\":true,\"a\":null},\"exitCode\":\"0\"}"))));
        variants.put("data missing null", hash(sample(data("{\"stdout\":\"ok\\n\",\"nested\":{\"z\":true},\"exitCode\":0}"))));

        variants.forEach((field, changed) -> assertThat(changed)
                .as("hash after changing %s", field)
                .isNotEqualTo(original));
        assertThat(hash(sample(data("{\"a\":[1,2]}")))).as("hash of arrays in another order")
                .isNotEqualTo(hash(sample(data("{\"a\":[2,1]}"))));
        assertThat(variants.values()).as("every variant hashes differently").doesNotHaveDuplicates();
    }

    @Test
    void time_finer_than_a_microsecond_is_truncated_before_hashing_and_storing() {
        NewEvent withNanos = new NewEvent(EVENT, "StepSucceeded", AT.plusNanos(999), "alice", "lab-ex01", "patch", 2, SAMPLE.data());
        assertThat(withNanos.occurredAt()).as("instant kept by the event").isEqualTo(AT);
        assertThat(hash(withNanos)).as("hash of an instant with extra nanoseconds").isEqualTo(hash(SAMPLE));
        assertThat(EventHash.formatInstant(Instant.parse("2021-03-02T10:00:00Z")))
                .as("a whole second still has six fraction digits")
                .isEqualTo("2021-03-02T10:00:00.000000Z");
    }

    @Test
    void integers_of_any_size_are_written_as_plain_digits() {
        ObjectNode big = JsonNodeFactory.instance.objectNode()
                .put("huge", new BigInteger("123456789012345678901234567890"))
                .put("negative", -5L);
        assertThat(EventHash.canonicalJson(RUN, 1, sample(big)))
                .as("canonical JSON of big and negative integers")
                .contains("\"data\":{\"huge\":123456789012345678901234567890,\"negative\":-5}");
    }

    @Test
    void strings_are_escaped_one_way_only() {
        ObjectNode text = JsonNodeFactory.instance.objectNode().put("s", "q\" b\\ \b\f\n\r\t \u0001 é € 😀 /");
        assertThat(EventHash.canonicalJson(RUN, 1, sample(text)))
                .as("canonical JSON of a string with quotes, controls and non-ASCII text")
                .contains("\"data\":{\"s\":\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0001 é € 😀 /\"}");
    }

    @Test
    void floating_point_numbers_are_refused_at_any_depth() {
        assertThatThrownBy(() -> hash(sample(data("{\"ratio\":0.5}"))))
                .as("a float at the top of data")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("floating-point");
        assertThatThrownBy(() -> hash(sample(data("{\"a\":[{\"b\":1.0}]}"))))
                .as("a float inside an array of objects")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void text_postgresql_cannot_store_or_that_has_no_single_encoding_is_refused() {
        assertThatThrownBy(() -> hash(sample(JsonNodeFactory.instance.objectNode().put("s", "a\u0000b"))))
                .as("a NUL character in data")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hash(sample(JsonNodeFactory.instance.objectNode().put("s", "a\ud800b"))))
                .as("an unpaired surrogate in data")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hash(new NewEvent(EVENT, "StepSucceeded", AT, "al\u0000ice", null, null, null, SAMPLE.data())))
                .as("a NUL character in the actor")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void data_nested_without_bound_is_refused() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode current = root;
        for (int i = 0; i < 10_000; i++) {
            current = current.putObject("n");
        }
        assertThatThrownBy(() -> hash(sample(root)))
                .as("data nested ten thousand levels deep")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nested deeper");
    }

    @Test
    void instants_outside_years_1_to_9999_are_refused() {
        assertThatThrownBy(() -> hash(new NewEvent(EVENT, "StepSucceeded", Instant.MAX, "alice", null, null, null, SAMPLE.data())))
                .as("the largest Java instant")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_malformed_previous_hash_is_refused() {
        assertThatThrownBy(() -> EventHash.of("ABC", RUN, 1, SAMPLE))
                .as("a previous hash that is not 64 lower-case hex digits")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventHash.of(EventHash.GENESIS.toUpperCase().replace('0', 'A'), RUN, 1, SAMPLE))
                .as("a previous hash in upper case")
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String hash(NewEvent event) {
        return EventHash.of(EventHash.GENESIS, RUN, 1, event);
    }
}
