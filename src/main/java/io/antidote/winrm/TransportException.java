package io.antidote.winrm;

/**
 * The script could not be run or its outcome not read, for the reason {@link #failure()} names. The message
 * names the target and what happened, never a secret.
 */
public class TransportException extends RuntimeException {

    private final transient TransportFailure failure;

    public TransportException(String target, TransportFailure failure) {
        super(message(target, failure), null);
        this.failure = failure;
    }

    /** Says when it failed (before the script started, or after its command went out) unless the kind says it. */
    private static String message(String target, TransportFailure failure) {
        if (failure instanceof TransportFailure.TimedOutBeforeCommand
                || failure instanceof TransportFailure.TimedOutAfterCommand) {
            return "WinRM to '" + target + "' " + failure.describe();
        }
        return "WinRM to '" + target + "' failed " + (failure.commandMayHaveRun() ? "after the command was sent"
                : "before the script started") + ": " + failure.describe();
    }

    /** What went wrong, as a kind a caller can decide on. */
    public TransportFailure failure() {
        return failure;
    }

    /**
     * Whether the script may have begun on the target. When it had not, running it again is safe; when it
     * had, only the step's retry policy may decide.
     */
    public boolean commandStarted() {
        return failure.commandMayHaveRun();
    }
}
