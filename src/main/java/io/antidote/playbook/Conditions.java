package io.antidote.playbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Evaluates {@code when} conditions and captures step outputs. Pure functions, for the engine to call
 * when a step would start (conditions) and when a step succeeded (outputs).
 */
public final class Conditions {

    private Conditions() {
    }

    /**
     * Whether a step with this condition runs. A parameter that was not given, or an output that was
     * not captured, is {@code null}; values compare with their type ({@code "3"} is not {@code 3}).
     *
     * @param params  the run's resolved parameters (secrets may be absent: a condition on a secret is refused at parse time)
     * @param outputs captured outputs by step id, as {@link #capture} returns them
     */
    public static boolean evaluate(Condition condition, Map<String, Object> params,
                                   Map<String, Map<String, Object>> outputs) {
        if (condition == null) {
            return true;
        }
        Object actual;
        if (condition.subject() instanceof Condition.ParamValue param) {
            actual = params == null ? null : params.get(param.param());
        } else {
            Condition.StepOutput ref = (Condition.StepOutput) condition.subject();
            Map<String, Object> ofStep = outputs == null ? null : outputs.get(ref.step());
            actual = ofStep == null ? null : ofStep.get(ref.output());
        }
        boolean equal = Objects.equals(normalise(actual), condition.expected());
        return condition.negated() != equal;
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

    private static Object normalise(Object value) {
        return value instanceof Integer number ? Long.valueOf(number) : value;
    }
}
