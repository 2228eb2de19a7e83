package io.antidote.workflow;

import java.util.List;
import java.util.Map;

/** How an attempt of a step ended, as the engine observed it. */
public sealed interface StepOutcome {

    /**
     * The script ran to its end; {@code unmet} lists the playbook expectations it missed (empty: success);
     * {@code outputs} are the values captured from its output for later steps (null values allowed).
     */
    record Completed(int exitCode, String stdout, String stderr, List<String> unmet, Map<String, Object> outputs)
            implements StepOutcome {
        public Completed {
            unmet = List.copyOf(unmet);
            outputs = Values.copy(outputs);
        }

        public Completed(int exitCode, String stdout, String stderr, List<String> unmet) {
            this(exitCode, stdout, stderr, unmet, Map.of());
        }
    }

    /** The script could not run or did not finish: connection refused, authentication, timeout, fault. */
    record Errored(FailureKind kind, String reason) implements StepOutcome {
        public Errored {
            kind = kind == null ? FailureKind.FAULT : kind;
        }

        public Errored(String reason) {
            this(FailureKind.FAULT, reason);
        }
    }

    /**
     * The command was sent and no answer came back (a reply timeout, a connection lost after the send): the
     * script may have run, in part or to its end. Not a failure: the engine probes the step's marker on the
     * host ({@link RunCommand.ResolveOutcome}) before anything is decided.
     */
    record Unknown(String reason) implements StepOutcome {
    }
}
