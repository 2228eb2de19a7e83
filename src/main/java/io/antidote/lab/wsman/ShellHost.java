package io.antidote.lab.wsman;

/**
 * What a lab host runs behind its WS-Management endpoint.
 *
 * <p>The server calls {@link #execute} on a worker thread (never on the event loop), so an
 * implementation may block, for instance to simulate a slow or hanging command.
 */
public interface ShellHost {

    /**
     * Runs one command line exactly as cmd.exe would get it from WinRS: the request's Command
     * and Arguments joined with spaces. A PowerShell script arrives as
     * {@code powershell -encodedcommand <base64>}; {@link EncodedCommand#decode} recovers it.
     */
    CommandOutput execute(String commandLine);

    /**
     * The same, knowing which shell and command the client created for it (a host that keeps a log of
     * what it ran records them; most hosts do not care).
     */
    default CommandOutput execute(String shellId, String commandId, String commandLine) {
        return execute(commandLine);
    }

    /**
     * A command arrived and is about to run: called on the endpoint's event loop, in the order commands
     * arrive at this host, before {@link #execute} is; must not block. A host that keeps a log of what it
     * received writes it here, so that the log's order is the order of arrival.
     */
    default void received(String shellId, String commandId, String commandLine) {
    }

    /**
     * The same, with the command's standard input, which the client sends with {@code rsp:Send} after the
     * command started; a host whose commands read no input ignores it.
     */
    default CommandOutput execute(String shellId, String commandId, String commandLine, CommandInput stdin) {
        return execute(shellId, commandId, commandLine);
    }
}
