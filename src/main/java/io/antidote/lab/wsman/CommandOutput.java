package io.antidote.lab.wsman;

import java.util.Objects;

/** What a command printed and how it ended, as text; the server encodes it in the shell's code page. */
public record CommandOutput(String stdout, String stderr, int exitCode) {

    public CommandOutput {
        stdout = Objects.requireNonNullElse(stdout, "");
        stderr = Objects.requireNonNullElse(stderr, "");
    }
}
