package io.antidote.playbook;

import java.util.List;
import java.util.Objects;

/**
 * A playbook parameter, rendered into the script as a PowerShell variable of the same name.
 *
 * @param defaultValue a {@link String} (string, enum), {@link Long} (integer) or {@link Boolean}
 *                     (boolean), or {@code null} when there is none; secrets never have one
 * @param values       the allowed values of an enum parameter, empty otherwise
 * @param pattern      a regular expression the whole value must match (string and secret), or {@code null}
 */
public record Param(String name, ParamType type, String description, Object defaultValue, boolean required,
                    List<String> values, String pattern) {

    public Param {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        description = description == null ? "" : description;
        values = values == null ? List.of() : List.copyOf(values);
    }
}
