package io.antidote.playbook;

/** A check on one top-level field of the JSON object a step printed. */
public sealed interface JsonCheck {

    /** The field holds an Exchange build that is (or, with {@code false}, is not) patched per {@link ProxyLogonBuilds}. */
    record ProxyLogonPatched(boolean expected) implements JsonCheck {
    }

    /** The field is (or is not) empty: {@code null}, {@code ""}, {@code []} and {@code {}} are empty. */
    record Empty(boolean expected) implements JsonCheck {
    }

    /** The field equals this value: a {@link String}, a {@link Long}, a {@link Boolean} or {@code null}. */
    record Equals(Object value) implements JsonCheck {
        public Equals {
            if (value instanceof Integer number) {
                value = number.longValue();
            }
            if (value != null && !(value instanceof String || value instanceof Long || value instanceof Boolean)) {
                throw new IllegalArgumentException("an equals check compares with a string, an integer, a boolean or null");
            }
        }
    }
}
