package io.antidote.playbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outputs of steps (docs/playbooks.md "Conditions (`when`) and outputs"): what a step captures from
 * the JSON it printed, and which captured outputs a later step sees. Pure functions, for the engine to
 * call when a step succeeded (capture) and when a step is about to run (visible to it).
 */
public final class StepOutputs {

    private StepOutputs() {
    }

    /**
     * The outputs a step declares, read from the JSON object it printed (the same object the expected
     * JSON checks read): strings, integers, booleans and null as such; other values as their JSON text.
     * A declared field that is missing is {@code null}; output that is not a JSON object captures nothing.
     */
    public static Map<String, Object> capture(Step step, String stdout) {
        Map<String, Object> captured = new LinkedHashMap<>();
        if (step.outputs().isEmpty()) {
            return captured;
        }
        ObjectNode object = Expectation.jsonObject(stdout == null ? "" : stdout);
        step.outputs().forEach((name, field) -> captured.put(name, object == null ? null : value(object.get(field))));
        return captured;
    }

    private static Object value(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        return node.toString();
    }

    /**
     * The outputs a step's script receives: every output declared by the steps before it in the playbook,
     * with the value its target recorded, or null when that step captured nothing there (it was skipped,
     * or printed no JSON), so that a script can always refer to them.
     *
     * @param recorded what the target captured so far, by step id (from the run's events)
     */
    public static Map<String, Map<String, Object>> visibleTo(Playbook playbook, Step step,
                                                            Map<String, Map<String, Object>> recorded) {
        Map<String, Map<String, Object>> outputs = new LinkedHashMap<>();
        for (Step earlier : playbook.steps()) {
            if (earlier.id().equals(step.id())) {
                break;
            }
            if (earlier.outputs().isEmpty()) {
                continue;
            }
            Map<String, Object> captured = recorded.getOrDefault(earlier.id(), Map.of());
            Map<String, Object> values = new LinkedHashMap<>();
            earlier.outputs().keySet().forEach(name -> values.put(name, captured.get(name)));
            outputs.put(earlier.id(), values);
        }
        return outputs;
    }
}
