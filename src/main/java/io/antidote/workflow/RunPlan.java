package io.antidote.workflow;

import java.util.List;

/**
 * What a run will do, fixed when it is requested: the playbook (by name and content digest), its
 * steps in order, and the targets in the order they are rolled through. Carried by
 * {@link RunEvent.RunRequested} so that the run never depends on the playbook file again.
 */
public record RunPlan(String playbook, String digest, List<PlannedStep> steps, List<String> targets) {

    public RunPlan {
        steps = List.copyOf(steps);
        targets = List.copyOf(targets);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a run plan needs at least one step");
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("a run plan needs at least one target");
        }
        if (targets.stream().distinct().count() != targets.size()) {
            throw new IllegalArgumentException("a run plan names each target once");
        }
    }

    /** One step as the workflow needs to know it; the script itself stays with the playbook version. */
    public record PlannedStep(String id) {
    }

    public int indexOf(String step) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).id().equals(step)) {
                return i;
            }
        }
        return -1;
    }
}
