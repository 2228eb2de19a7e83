package io.antidote.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.antidote.store.NewEvent;
import io.antidote.store.StoredEvent;
import io.antidote.workflow.RunEvent;
import io.antidote.workflow.RunEventTypes;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns workflow events into stored envelopes and back. The stored type is the stable name {@link
 * RunEventTypes} gives each event, never a qualified class name, so classes can move without rewriting
 * history. Envelope fields (actor, time, target, step, attempt) live in their own columns and are left out
 * of {@code data}. Events stored before approvals, skips, compensations and target failures had their step column filled keep it in
 * {@code data}; they decode the same.
 */
@ApplicationScoped
public class EventCodec {

    private static final Map<String, Class<? extends RunEvent>> BY_NAME = RunEventTypes.ALL.stream()
            .collect(Collectors.toMap(RunEventTypes::nameOf, Function.identity()));

    private final ObjectMapper mapper;

    EventCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public static String typeOf(RunEvent event) {
        return RunEventTypes.nameOf(event);
    }

    public NewEvent encode(RunEvent event) {
        ObjectNode data = mapper.valueToTree(event);
        data.remove(List.of("actor", "at"));
        String target = null;
        String step = null;
        Integer attempt = null;
        if (event instanceof RunEvent.OfTarget t) {
            target = t.target();
            data.remove("target");
        }
        if (event instanceof RunEvent.AtStep s) {
            step = s.step();
            data.remove("step");
        }
        if (event instanceof RunEvent.OfStep s) {
            attempt = s.attempt();
            data.remove("attempt");
        }
        if (event instanceof RunEvent.StepStarted started && started.compensates() == null) {
            data.remove("compensates"); // a step in its normal order: StepStarted stays as it always was
        }
        if (event instanceof RunEvent.StepStarted started && started.crashRerun() == null) {
            data.remove("crashRerun"); // not a re-run after a lost outcome: likewise
        }
        return new NewEvent(UUID.randomUUID(), typeOf(event), event.at(), event.actor(), target, step, attempt, data);
    }

    public RunEvent decode(StoredEvent stored) {
        Class<? extends RunEvent> type = BY_NAME.get(stored.type());
        if (type == null) {
            throw new IllegalStateException("run " + stored.runId() + " seq " + stored.seq()
                    + " has an event type this version does not know: " + stored.type());
        }
        ObjectNode node = stored.data().deepCopy();
        node.put("actor", stored.actor());
        node.put("at", stored.occurredAt().toString());
        if (stored.target() != null) {
            node.put("target", stored.target());
        }
        if (stored.step() != null) {
            node.put("step", stored.step());
        }
        if (stored.attempt() != null) {
            node.put("attempt", stored.attempt());
        }
        try {
            return mapper.treeToValue(node, type);
        } catch (Exception e) {
            throw new IllegalStateException("run " + stored.runId() + " seq " + stored.seq() + " (" + stored.type()
                    + ") cannot be read: " + e.getMessage(), e);
        }
    }

    public List<RunEvent> decodeAll(List<StoredEvent> stored) {
        return stored.stream().map(this::decode).toList();
    }
}
