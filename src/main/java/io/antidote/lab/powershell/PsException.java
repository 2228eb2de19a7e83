package io.antidote.lab.powershell;

/**
 * A terminating error. Script-terminating ones (throw) end the script unless caught;
 * statement-terminating ones (a cmdlet's terminating error, a bad call, a command not found)
 * end only their statement, unless inside try or under $ErrorActionPreference = 'Stop'.
 */
final class PsException extends RuntimeException {

    final ErrorRecord record;
    final boolean scriptTerminating;

    PsException(ErrorRecord record, boolean scriptTerminating) {
        super(record.message, null, false, false);
        this.record = record;
        this.scriptTerminating = scriptTerminating;
    }
}
