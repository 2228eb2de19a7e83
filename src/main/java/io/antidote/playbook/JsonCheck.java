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

    /**
     * The field is a dotted version ({@code 15.1.2176.9}, leading zeros allowed) at least {@code minimum},
     * compared number by number, missing parts counting as 0. Not for the ProxyLogon verdict: see
     * {@link ProxyLogonPatched}, because a plain comparison is wrong across CUs.
     */
    record VersionAtLeast(String minimum) implements JsonCheck {
        public VersionAtLeast {
            if (Versions.parse(minimum) == null) {
                throw new IllegalArgumentException("a version is 2 to 4 dot-separated numbers");
            }
        }
    }

    /** The field is a dotted version strictly below {@code limit}, compared as {@link VersionAtLeast} does. */
    record VersionBelow(String limit) implements JsonCheck {
        public VersionBelow {
            if (Versions.parse(limit) == null) {
                throw new IllegalArgumentException("a version is 2 to 4 dot-separated numbers");
            }
        }
    }
}
