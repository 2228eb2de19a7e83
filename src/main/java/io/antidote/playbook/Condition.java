package io.antidote.playbook;

import java.util.Objects;

/**
 * When a step runs: one value, a parameter or an earlier step's captured output, compared with a
 * literal. Evaluated by Antidote, never by PowerShell: planned as a
 * {@link io.antidote.workflow.RunPlan.When} ({@link RunPlanner#when}), which the workflow decider evaluates.
 *
 * @param expected a {@link String}, {@link Long}, {@link Boolean} or {@code null}
 * @param negated  {@code true} for {@code notEquals}
 */
public record Condition(Subject subject, Object expected, boolean negated) {

    /** What a condition looks at. */
    public sealed interface Subject {
    }

    /** A run parameter by name. */
    public record ParamValue(String param) implements Subject {
        public ParamValue {
            Objects.requireNonNull(param, "param");
        }
    }

    /** An output captured from an earlier step (see {@link Step#outputs()}). */
    public record StepOutput(String step, String output) implements Subject {
        public StepOutput {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(output, "output");
        }
    }

    public Condition {
        Objects.requireNonNull(subject, "subject");
        if (expected instanceof Integer number) {
            expected = number.longValue();
        }
        if (expected != null && !(expected instanceof String || expected instanceof Long || expected instanceof Boolean)) {
            throw new IllegalArgumentException("a condition compares with a string, an integer, a boolean or null");
        }
    }
}
