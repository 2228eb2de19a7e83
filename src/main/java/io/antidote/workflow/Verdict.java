package io.antidote.workflow;

import java.util.List;

/**
 * What a run found a server to be when it was done with it: whether it has the fix, whether it was
 * compromised (and by what), whether it is in service, and why, in words, when it is not both fixed and
 * clean. Computed from the run's own events by {@link Verdicts}; recorded as {@link RunEvent.TargetVerdictRecorded}.
 *
 * @param indicators every indicator of compromise a scan of the run named, in the order found
 * @param reasons    why the server is not fixed, clean or in service, and how its target ended
 */
public record Verdict(Patch patch, Compromise compromise, List<String> indicators, Service service,
                      List<String> reasons) {

    public enum Patch { VULNERABLE, PATCHED, MITIGATED, UNKNOWN }

    public enum Compromise { CLEAN, COMPROMISED, UNKNOWN }

    public enum Service { IN_SERVICE, ISOLATED }

    public Verdict {
        indicators = indicators == null ? List.of() : List.copyOf(indicators);
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    /** The one state in which the step that returns the server to service may run. */
    public boolean fixedAndClean() {
        return patch == Patch.PATCHED && compromise == Compromise.CLEAN;
    }
}
