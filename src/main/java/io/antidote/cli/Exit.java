package io.antidote.cli;

/**
 * The exit codes scripts can rely on (docs/cli.md): one per kind of outcome a script would act on differently.
 * A run that ended badly and an export that fails verification are both 1: the thing asked about is not good.
 */
public final class Exit {

    /** Done; a watched run succeeded; an export verifies; the files lint clean. */
    public static final int OK = 0;
    /** The answer is bad: a run failed or was cancelled, verification failed, lint found errors, a run not confirmed. */
    public static final int FAILED = 1;
    /** The command line, or what it asked the service for, is wrong (bad option, 400 or 422 problem). */
    public static final int USAGE = 2;
    /** Not logged in, or the service refused who we are or did not find what we named (401, 403, 404). */
    public static final int DENIED = 3;
    /** The thing is not in a state that allows it (409): nothing waits for that approval, the run has ended. */
    public static final int CONFLICT = 4;
    /** The service could not be reached or failed (5xx, network). Trying again later may work. */
    public static final int UNAVAILABLE = 5;

    private Exit() {
    }

    /** The exit code for an HTTP status the service answered with, when it is not a success. */
    static int forStatus(int status) {
        if (status == 401 || status == 403 || status == 404) {
            return DENIED;
        }
        if (status == 409) {
            return CONFLICT;
        }
        if (status >= 500) {
            return UNAVAILABLE;
        }
        return USAGE;
    }
}
