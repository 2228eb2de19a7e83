package io.antidote.winrm;

/** The script could not be run or its outcome not read. The message names the target, never a secret. */
public class TransportException extends RuntimeException {

    private final boolean commandStarted;

    public TransportException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public TransportException(String message, Throwable cause, boolean commandStarted) {
        super(message, cause);
        this.commandStarted = commandStarted;
    }

    /**
     * Whether the script may have begun on the target. When it had not, running it again is safe; when it
     * had, only the step's retry policy may decide.
     */
    public boolean commandStarted() {
        return commandStarted;
    }
}
