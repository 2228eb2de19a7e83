package io.antidote.lab.powershell;

/**
 * What running a script gives back, as powershell.exe -EncodedCommand would over WinRM:
 * the text of standard output and standard error (lines end with CRLF) and the process exit code.
 */
public record ScriptResult(String stdout, String stderr, int exitCode) {
}
