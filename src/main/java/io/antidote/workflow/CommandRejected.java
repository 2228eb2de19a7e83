package io.antidote.workflow;

/** The command does not fit the run's state (for example an outcome for a step that is not running). */
public class CommandRejected extends RuntimeException {

    public CommandRejected(String message) {
        super(message);
    }

    /** The command is well formed but the one who sent it may not do this (e.g. approve their own run). */
    public static class NotAllowed extends CommandRejected {
        public NotAllowed(String message) {
            super(message);
        }
    }
}
