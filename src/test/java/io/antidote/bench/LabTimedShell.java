package io.antidote.bench;

import io.antidote.winrm.ScriptResult;
import io.antidote.winrm.Target;
import io.antidote.winrm.WinRm4jShell;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * The real transport (WinRM4j, NTLM over HTTP to lab hosts), timed around each call: the measured intervals
 * end when a script is handed to WinRM4j and start when it returned, so WinRM's own time is outside them,
 * while its CPU is spent on the same two cores.
 */
@Alternative
@ApplicationScoped
public class LabTimedShell extends TimedShell {

    @Inject
    WinRm4jShell winRm;

    @Override
    public ScriptResult runPowerShell(Target target, String script) {
        return runPowerShell(target, script, Duration.ofMinutes(2));
    }

    @Override
    public ScriptResult runPowerShell(Target target, String script, Duration timeout) {
        stopwatch().handedOver(target.name());
        try {
            return winRm.runPowerShell(target, script, timeout);
        } finally {
            stopwatch().returned(target.name());
        }
    }
}
