package io.antidote.workflow;

import java.util.Objects;
import java.util.UUID;

/**
 * Who holds a group of targets (a DAG) against a run, as the store says: the run, the member it holds it through,
 * and, when that member's target already ended, the step whose effect it left on the server (the member is still
 * in maintenance). The decider names it in the reason a target waits, so that a person sees what to do.
 *
 * @param keptStep the step left in effect on {@code member} after its target ended, or null while the holder is
 *                 still at work on the member
 */
public record GroupHold(String group, String member, UUID run, String keptStep) {

    public GroupHold {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(run, "run");
    }

    /** Why a member of the group may not start, in words a person acts on. */
    public String reason() {
        if (keptStep == null) {
            return "another run holds a member of its group '" + group + "': '" + member + "' in run " + run;
        }
        return "a member of its group '" + group + "' is still in maintenance: run " + run + " left '" + member
                + "' with its step '" + keptStep + "' in effect when the target ended; a new run on '" + member
                + "', or a release of '" + member + "' in run " + run + ", lets the group go";
    }
}
