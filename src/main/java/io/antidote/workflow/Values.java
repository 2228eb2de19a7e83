package io.antidote.workflow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Values that conditions compare and outputs carry: strings, booleans, null and whole numbers as
 * {@link Long}. Events come back from JSON with small numbers as Integer; normalising on the way in keeps
 * a value equal to itself across a restart.
 */
final class Values {

    private Values() {
    }

    static Object normalised(Object value) {
        return value instanceof Integer || value instanceof Short || value instanceof Byte
                ? Long.valueOf(((Number) value).longValue()) : value;
    }

    /** An unmodifiable copy in the same order, null values kept (an output not captured is null). */
    static Map<String, Object> copy(Map<String, Object> values) {
        if (values == null || values.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        values.forEach((name, value) -> copy.put(name, normalised(value)));
        return Collections.unmodifiableMap(copy);
    }
}
