package io.antidote.workflow;

/** The command does not fit the run's state (for example an outcome for a step that is not running). */
public class CommandRejected extends RuntimeException {

    public CommandRejected(String message) {
        super(message);
    }
}
