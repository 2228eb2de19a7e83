package io.antidote.playbook;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A reusable step from the step library ({@code playbooks/steps/<name>.yaml}, docs/playbooks.md "Step
 * library"): a script with typed inputs, what a good outcome looks like, and defaults for timeout, retry
 * and idempotence that a step using it may override.
 *
 * @param timeout null: the using step's default ({@link StepsReader#DEFAULT_TIMEOUT}) unless it sets one
 * @param readOnly the step only reads the server (docs/playbooks.md, "Restarts and lost outcomes")
 * @param source  the exact text of the library file, part of every using playbook's identity
 */
public record LibraryStep(String name, String description, List<Param> inputs, String powershell, Duration timeout,
                          StepPolicy.Retry retry, Expectation expect, boolean idempotent, boolean readOnly,
                          String file, String source) {

    public LibraryStep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(powershell, "powershell");
        description = description == null ? "" : description;
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        retry = retry == null ? StepPolicy.Retry.NONE : retry;
        expect = expect == null ? Expectation.SUCCESS : expect;
    }

    public Optional<Param> input(String inputName) {
        return inputs.stream().filter(input -> input.name().equals(inputName)).findFirst();
    }

    /** Lowercase hex SHA-256 of the file's text. */
    public String digest() {
        return Sha256.hex(source);
    }
}
