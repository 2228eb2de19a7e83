package io.antidote.workflow;

import java.util.List;

/** How an attempt of a step ended, as the engine observed it. */
public sealed interface StepOutcome {

    /** The script ran to its end; {@code unmet} lists the playbook expectations it missed (empty: success). */
    record Completed(int exitCode, String stdout, String stderr, List<String> unmet) implements StepOutcome {
        public Completed {
            unmet = List.copyOf(unmet);
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
}
