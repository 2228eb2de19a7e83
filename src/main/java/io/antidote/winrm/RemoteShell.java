package io.antidote.winrm;

import java.time.Duration;

/**
 * The port to the servers: run this PowerShell script on that target and say how it ended. Blocking:
 * callers run it on worker threads, never on the Vert.x event loop.
 */
public interface RemoteShell {

    /**
     * @throws TransportException when the script could not be run or its outcome could not be read
     *                            (connection refused, authentication, protocol fault).
     */
    ScriptResult runPowerShell(Target target, String script);

    /**
     * As {@link #runPowerShell(Target, String)}, but gives up once {@code timeout} has passed, so that a host
     * that never answers does not hold the calling thread much longer than that.
     *
     * @throws TransportException also when the timeout passed; {@link TransportException#commandStarted()}
     *                            says whether the script may have begun
     */
    default ScriptResult runPowerShell(Target target, String script, Duration timeout) {
        return runPowerShell(target, script);
    }

    /**
     * As {@link #runPowerShell(Target, String, Duration)}, with {@code stdin} as the script's standard input
     * (its {@code $input}): how secret values reach a script, never on its command line nor in a file.
     *
     * @throws UnsupportedOperationException from a shell that cannot send input, when there is some
     */
    default ScriptResult runPowerShell(Target target, String script, String stdin, Duration timeout) {
        if (stdin != null && !stdin.isEmpty()) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot send a script's input");
        }
        return runPowerShell(target, script, timeout);
    }

    /**
     * As {@link #runPowerShell(Target, String, String, Duration)}, with {@code timeout} counted from the moment
     * the attempt {@linkplain AttemptStart#begin() begins}, once the transport holds its connection slots: waiting
     * for one is not bounded by it.
     *
     * @throws TransportException with {@link TransportFailure.Interrupted} when the attempt was given up before it
     *                            began; nothing was sent
     */
    default ScriptResult runPowerShell(Target target, String script, String stdin, Duration timeout, AttemptStart start) {
        if (!start.begin()) {
            throw new TransportException(target.name(), new TransportFailure.Interrupted());
        }
        return runPowerShell(target, script, stdin, timeout);
    }
}
