package io.antidote.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Events to feed the store and the hash in tests. */
final class Events {

    static final ObjectMapper JSON = new ObjectMapper();

    private Events() {}

    static ObjectNode data(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    static NewEvent event(String type) {
        return new NewEvent(UUID.randomUUID(), type, Instant.now(), "tester", "lab-ex01", "patch", 1,
                data("{\"note\":\"" + type + "\"}"));
    }

    static List<NewEvent> events(String... types) {
        List<NewEvent> events = new ArrayList<>();
        for (String type : types) {
            events.add(event(type));
        }
        return events;
    }

    /** A correctly chained stream built without the database, as the store would write it. */
    static List<StoredEvent> chain(UUID runId, List<NewEvent> events) {
        List<StoredEvent> stored = new ArrayList<>();
        String prev = EventHash.GENESIS;
        long seq = 0;
        for (NewEvent e : events) {
            seq++;
            String hash = EventHash.of(prev, runId, seq, e);
            stored.add(new StoredEvent(seq, runId, seq, e, prev, hash));
            prev = hash;
        }
        return stored;
    }
}
