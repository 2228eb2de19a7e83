package io.antidote.store;

import io.antidote.workflow.GroupHold;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Another run holds a target this run wanted: its append tried to start it ({@code target_lease}), and
 * nothing of the append was written, so the run decides again with the target busy and waits; or its
 * request asked to be refused rather than wait.
 */
public class TargetBusyException extends RuntimeException {

    private final List<String> targets;
    private final GroupHold hold;

    /** The lease refused the run's start of {@code target}. */
    public TargetBusyException(UUID runId, String target) {
        this("run " + runId + " cannot start '" + target + "': another run holds it", List.of(target));
    }

    /** Other runs hold {@code targets}; the message says what was refused. */
    public TargetBusyException(String message, List<String> targets) {
        this(message, targets, null);
    }

    /** Another run (or a member left in maintenance) holds the group {@code hold} names. */
    public TargetBusyException(String message, List<String> targets, GroupHold hold) {
        super(message);
        this.targets = List.copyOf(targets);
        this.hold = hold;
    }

    /** Who holds the group the start was refused for, when it was a group. */
    public Optional<GroupHold> hold() {
        return Optional.ofNullable(hold);
    }

    /** The targets another run holds. */
    public List<String> targets() {
        return targets;
    }
}
