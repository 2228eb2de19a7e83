package io.antidote.workflow;

import io.antidote.workflow.RunPlan.PlannedStep;
import io.antidote.workflow.Verdict.Compromise;
import io.antidote.workflow.Verdict.Patch;
import io.antidote.workflow.Verdict.Service;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A target's verdict, read off what its steps recorded in this run and what the plan says they verify
 * ({@link PlannedStep#verifies()}, {@link PlannedStep#restores()}): nothing an earlier run or a person
 * claimed counts, so a server is only ever called fixed or clean on this run's evidence.
 */
final class Verdicts {

    static final String PATCHED_OUTPUT = "patched";
    static final String INDICATORS_OUTPUT = "indicators";
    static final String ISOLATED_OUTPUT = "isolated";

    private Verdicts() {
    }

    /** The verdict now; {@code ended} (or null) is how the target ended, kept among the reasons. */
    static Verdict of(RunPlan plan, TargetState target, String ended) {
        List<String> reasons = new ArrayList<>();
        Patch patch = Patch.UNKNOWN;
        String patchWhy = "no step of this run verified it fixed";
        Set<String> indicators = new LinkedHashSet<>();
        boolean scanned = false;
        String scanWhy = "no scan of this run completed";
        boolean scanFailed = false;
        for (StepState s : target.steps()) {
            PlannedStep p = plan.step(s.id());
            boolean ran = s.status() == WorkStatus.SUCCEEDED || s.status() == WorkStatus.COMPENSATED;
            boolean failed = s.status() == WorkStatus.FAILED;
            if (p.verifies().contains(Verification.FIXED)) {
                if (ran && Boolean.FALSE.equals(s.outputs().get(PATCHED_OUTPUT))) {
                    patch = Patch.VULNERABLE;
                    patchWhy = "step '" + s.id() + "' found it without the fix" + build(s.outputs());
                } else if (ran) {
                    patch = Patch.PATCHED;
                } else if (failed && patch != Patch.VULNERABLE) {
                    patch = Patch.UNKNOWN;
                    patchWhy = "step '" + s.id() + "' did not verify it fixed";
                }
            }
            if (p.verifies().contains(Verification.MITIGATED) && ran && patch != Patch.PATCHED) {
                patch = Patch.MITIGATED;
            }
            if (p.verifies().contains(Verification.CLEAN)) {
                if (ran) {
                    scanned = true;
                    indicators.addAll(indicatorsIn(s.outputs().get(INDICATORS_OUTPUT)));
                } else if (failed) {
                    scanFailed = true;
                    scanWhy = "scan '" + s.id() + "' did not complete";
                }
            }
        }
        Compromise compromise = !indicators.isEmpty() ? Compromise.COMPROMISED
                : scanned && !scanFailed ? Compromise.CLEAN : Compromise.UNKNOWN;
        Service service = service(plan, target);
        if (patch == Patch.VULNERABLE || patch == Patch.UNKNOWN) {
            reasons.add((patch == Patch.VULNERABLE ? "vulnerable: " : "patch state unknown: ") + patchWhy);
        } else if (patch == Patch.MITIGATED) {
            reasons.add("mitigated, not fixed");
        }
        if (compromise == Compromise.COMPROMISED) {
            reasons.add("compromised: " + indicators.size() + " indicator" + (indicators.size() == 1 ? "" : "s")
                    + " of compromise found");
        } else if (compromise == Compromise.UNKNOWN) {
            reasons.add("compromise unknown: " + scanWhy);
        }
        if (service == Service.ISOLATED) {
            reasons.add("kept isolated: this run did not verify it fixed and clean");
        }
        if (ended != null && !ended.isBlank()) {
            reasons.add(ended);
        }
        return new Verdict(patch, compromise, List.copyOf(indicators), service, reasons);
    }

    /**
     * Isolated while a step that the plan's restore step undoes (its {@code compensate}) succeeded and was
     * not undone, and no restore step succeeded since; a step may say it did not isolate after all by
     * capturing an output {@code isolated} that is false. Any other step that captured a boolean
     * {@code isolated} looked at the server and says how it found it: a read-only run on a server an earlier
     * run isolated must not call it in service.
     */
    private static Service service(RunPlan plan, TargetState target) {
        boolean isolated = false;
        for (StepState s : target.steps()) {
            PlannedStep p = plan.step(s.id());
            if (p.restores() && s.status() == WorkStatus.SUCCEEDED) {
                return Service.IN_SERVICE;
            }
            Object seen = s.status() == WorkStatus.SUCCEEDED ? s.outputs().get(ISOLATED_OUTPUT) : null;
            if (p.compensate() != null && plan.step(p.compensate()).restores() && s.status() == WorkStatus.SUCCEEDED
                    && !Boolean.FALSE.equals(seen)) {
                isolated = true;
            } else if (seen instanceof Boolean found) {
                isolated = found;
            }
        }
        return isolated ? Service.ISOLATED : Service.IN_SERVICE;
    }

    private static List<String> indicatorsIn(Object value) {
        if (value == null) {
            return List.of();
        }
        List<String> found = new ArrayList<>();
        for (String part : value.toString().split("\\s*\\|\\s*")) {
            if (!part.isBlank()) {
                found.add(part.strip());
            }
        }
        return found;
    }

    private static String build(Map<String, Object> outputs) {
        Object build = outputs.get("build");
        return build == null ? "" : " (build " + build + ")";
    }
}
