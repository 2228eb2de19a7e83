package io.antidote.cli;

/** Ends a command with this exit code and a message for standard error (never a stack trace). */
final class CommandFailed extends RuntimeException {

    private final int exitCode;
    private final int httpStatus;

    CommandFailed(int exitCode, String message) {
        this(exitCode, message, 0);
    }

    /** A refusal by the service: {@code httpStatus} is its answer's status. */
    CommandFailed(int exitCode, String message, int httpStatus) {
        super(message);
        this.exitCode = exitCode;
        this.httpStatus = httpStatus;
    }

    int exitCode() {
        return exitCode;
    }

    /** The service's HTTP status when it refused; 0 when the failure is not an answer of the service. */
    int httpStatus() {
        return httpStatus;
    }
}
