package io.antidote.store;

import java.util.UUID;

/**
 * An append that was to consume a person's command found it decided already (by another replica, or an earlier
 * try of this one): the append is rolled back, so that the command takes effect once.
 */
public class CommandDecidedException extends IllegalStateException {

    private final transient UUID commandId;

    public CommandDecidedException(UUID commandId) {
        super("command " + commandId + " was decided already; the events deciding it again are not appended");
        this.commandId = commandId;
    }

    public UUID commandId() {
        return commandId;
    }
}
