package io.antidote.bench;

import io.antidote.winrm.ScriptResult;
import io.antidote.winrm.Target;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/** A shell with no latency and no cost, whose answers meet every expectation of the benchmark playbook. */
@Alternative
@ApplicationScoped
public class InstantShell extends TimedShell {

    private static final String STDOUT = "{\"build\":\"15.1.2176.9\",\"stoppedServices\":[]}";

    @Override
    public ScriptResult runPowerShell(Target target, String script) {
        stopwatch().handedOver(target.name());
        stopwatch().returned(target.name());
        return new ScriptResult(0, STDOUT, "");
    }
}
