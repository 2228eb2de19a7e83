package io.antidote.playbook;

/** The kinds of value a playbook parameter takes; the YAML spelling is the lower-case name. */
public enum ParamType {
    STRING,
    INTEGER,
    BOOLEAN,
    ENUM,
    /** A string that is data for the script but never shown: redacted in dry-runs, logs and errors. */
    SECRET;

    String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
