package io.antidote.workflow;

/** The command does not fit the run's state (for example an outcome for a step that is not running). */
public class CommandRejected extends RuntimeException {

    public CommandRejected(String message) {
        super(message);
    }

    /**
     * One part of the command can never apply, whatever the run's state becomes (e.g. a skip of a step that may not
     * be skipped): {@code field} names the part, as the request named it.
     */
    public static class InvalidPart extends CommandRejected {
        private final String field;

        public InvalidPart(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** The command is well formed but the one who sent it may not do this (e.g. approve their own run). */
    public static class NotAllowed extends CommandRejected {
        public NotAllowed(String message) {
            super(message);
        }
    }
}
