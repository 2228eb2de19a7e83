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
 * @param maxLength    the most UTF-8 bytes a string or secret value may have: {@value #DEFAULT_MAX_LENGTH} unless
 *                     the playbook declares {@code maxLength}
 */
public record Param(String name, ParamType type, String description, Object defaultValue, boolean required,
                    List<String> values, String pattern, int maxLength) {

    /**
     * 4 KiB: more than any share path, host name or ticket text, small enough that a value cannot make the
     * request, its stored event and the script sent to every host megabytes long.
     */
    public static final int DEFAULT_MAX_LENGTH = 4096;
    /** What a playbook may declare at most: 256 KiB, well under the request body limit (1 MiB by default). */
    public static final int MAX_MAX_LENGTH = 1 << 18;

    public Param {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        description = description == null ? "" : description;
        values = values == null ? List.of() : List.copyOf(values);
        if (maxLength < 1 || maxLength > MAX_MAX_LENGTH) {
            throw new IllegalArgumentException("maxLength from 1 to " + MAX_MAX_LENGTH + ", not " + maxLength);
        }
    }

    /** A parameter with the default length limit. */
    public Param(String name, ParamType type, String description, Object defaultValue, boolean required,
                 List<String> values, String pattern) {
        this(name, type, description, defaultValue, required, values, pattern, DEFAULT_MAX_LENGTH);
    }
}
