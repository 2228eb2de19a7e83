package io.antidote.winrm;

/** What a script left behind on the target: its exit code and both output streams. */
public record ScriptResult(int exitCode, String stdout, String stderr) {
}
