package io.antidote.winrm;

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
}
