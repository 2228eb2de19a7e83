package io.antidote.playbook;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a playbook step runs a library step: which one, and the value of each input it sets. The library
 * step's script sees its inputs, never the playbook's parameters, and sees them as data in the generated
 * param block (see {@link ScriptRenderer}).
 *
 * @param with input name to its value; inputs not set here take their default
 */
public record Uses(LibraryStep step, Map<String, Binding> with) {

    public Uses {
        Objects.requireNonNull(step, "step");
        with = with == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(with));
    }

    /** What an input is set to: a value written in the playbook, or the value of one of the run's parameters. */
    public sealed interface Binding {
    }

    /** @param value a {@link String}, {@link Long} or {@link Boolean}, as the input's type requires */
    public record Literal(Object value) implements Binding {
    }

    public record ParamRef(String param) implements Binding {
    }

    /** Every input's value for a run with these resolved parameters: set, defaulted, or absent (null). */
    public Map<String, Object> inputValues(Map<String, Object> resolved) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Param input : step.inputs()) {
            Binding binding = with.get(input.name());
            Object value = binding instanceof Literal literal ? literal.value()
                    : binding instanceof ParamRef ref ? resolved.get(ref.param()) : null;
            if (value == null) {
                value = input.defaultValue();
            }
            if (value != null) {
                values.put(input.name(), value);
            }
        }
        return values;
    }
}
