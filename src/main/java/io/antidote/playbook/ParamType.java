package io.antidote.playbook;

/** The kinds of value a playbook parameter takes; the YAML spelling is the lower-case name. */
public enum ParamType {
    STRING,
    INTEGER,
    BOOLEAN,
    ENUM,
    /** A string that is data for the script but never shown: redacted in dry-runs, logs and errors. */
    SECRET,
    /**
     * Where update packages come from: the name of a configured patch source, or a folder under one; the script gets
     * the folder's path ({@link PatchSources}). Any other path is refused when the run is requested.
     */
    SOURCE;

    String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
