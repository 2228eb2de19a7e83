package io.antidote.workflow;

import java.util.Optional;

/**
 * A failed step's own words for what went wrong: the first line of its error stream that says something.
 * PowerShell's error view puts the message first and then where it happened ("At line:1 char:1", "+ ...")
 * and its category, so the first line is the one a person needs beside the exit code.
 */
final class StepMessage {

    /** Long enough for any message the playbooks throw; a host that writes a novel is cut. */
    static final int MAX_CHARS = 400;

    private StepMessage() {
    }

    static Optional<String> of(String stderr) {
        if (stderr == null) {
            return Optional.empty();
        }
        return stderr.lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst()
                .map(line -> line.length() <= MAX_CHARS ? line : line.substring(0, MAX_CHARS) + "...");
    }
}
