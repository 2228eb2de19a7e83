package io.antidote.workflow;

/**
 * What a step's success establishes about its server, for the verdict and for the safety rule that only a
 * server verified fixed and clean by the same run is put back in service (docs/playbooks.md, "Verdicts").
 */
public enum Verification {
    /**
     * The server has the fix: the step succeeded, unless it captured an output {@code patched} that is
     * false, which says the server is vulnerable.
     */
    FIXED,
    /** The server is mitigated (not fixed): the step succeeded. */
    MITIGATED,
    /**
     * A scan: it succeeded and its output {@code indicators} (names joined by {@code " | "}) names what it
     * found; none found by any such step, and at least one ran, is clean.
     */
    CLEAN
}
