package io.antidote.api;

import io.antidote.engine.RunRequests;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A dry run's answer to {@code POST /api/v1/runs}: per target, each step's script exactly as it would be sent,
 * secrets as {@code '***'}; nothing was written or run. The schema keeps the names the contract has always used.
 */
@Schema(name = "Preview")
public record DryRunView(String playbook, String digest, List<TargetView> targets) {

    @Schema(name = "TargetPreview")
    public record TargetView(String name, List<StepView> steps) {
    }

    /**
     * @param when     the step's condition as the run will evaluate it on each target, or null
     * @param outputs  what the step captures for later steps: output name to JSON field
     * @param receives outputs of earlier steps the script gets in its param block, unknown before the run:
     *                 variable to where its value will come from
     */
    @Schema(name = "StepPreview")
    public record StepView(String id, String description, String timeout, String script, String when,
                           Map<String, String> outputs, Map<String, String> receives) {
    }

    static DryRunView of(RunRequests.DryRun dryRun) {
        List<StepView> steps = dryRun.steps().stream()
                .map(s -> new StepView(s.step().id(), s.step().description(), s.step().timeout().toString(), s.script(),
                        s.when(), s.step().outputs(), s.receives()))
                .toList();
        // Listed per target, so that a future per-target input shows up here without changing the shape.
        return new DryRunView(dryRun.playbook().name(), dryRun.playbook().digest(),
                dryRun.targets().stream().map(name -> new TargetView(name, steps)).toList());
    }
}
