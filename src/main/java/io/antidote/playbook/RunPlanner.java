package io.antidote.playbook;

import io.antidote.winrm.Target;
import io.antidote.workflow.FailureKind;
import io.antidote.workflow.RunPlan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a playbook and the targets a request selected into the plan a run carries ({@link RunPlan}):
 * pure, so a plan depends on nothing but the playbook version and the targets. The engine carries the
 * plan out; the workflow decides by it, conditions included ({@link RunPlan.When#holds} is the one
 * evaluator of a {@code when}).
 */
public final class RunPlanner {

    /** The label naming a target's database availability group. */
    public static final String DAG_LABEL = "dag";

    private RunPlanner() {
    }

    public static RunPlan planOf(Playbook playbook, List<Target> targets) {
        return planOf(playbook, targets, RunPlan.OnBusy.WAIT);
    }

    /**
     * The plan a run of this playbook on these targets follows: each step's policy, the strategy, and the
     * targets ordered by the strategy's {@code orderBy} label (stable: request order among equals) and
     * grouped by its {@code groupBy} label, or by their {@code dag} label when it names none. Targets without the
     * label keep their place and their own group.
     */
    public static RunPlan planOf(Playbook playbook, List<Target> targets, RunPlan.OnBusy onBusy) {
        Rollout rollout = playbook.rollout();
        List<Target> ordered = new ArrayList<>(targets);
        if (rollout.orderBy() != null) {
            ordered.sort(Comparator.comparing(t -> t.labels().getOrDefault(rollout.orderBy(), "\uffff")));
        }
        // Members of one DAG are never in maintenance together, whether or not the playbook says so: without a
        // groupBy, the dag label groups them (one at a time in this run, and across runs through group_lease).
        String groupBy = rollout.groupBy() != null ? rollout.groupBy() : DAG_LABEL;
        Map<String, String> groups = new LinkedHashMap<>();
        ordered.forEach(t -> {
            String group = t.labels().get(groupBy);
            if (group != null) {
                groups.put(t.name(), groupBy + "=" + group);
            }
        });
        Map<String, Map<String, String>> labels = new LinkedHashMap<>();
        ordered.forEach(t -> labels.put(t.name(), t.labels()));
        List<RunPlan.PlannedStep> steps = playbook.steps().stream().map(RunPlanner::plannedStep).toList();
        return new RunPlan(playbook.name(), playbook.digest(), steps, ordered.stream().map(Target::name).toList(),
                new RunPlan.Strategy(rollout.batchSize(), rollout.batchPercent(), rollout.failureThreshold()), groups,
                onBusy, labels);
    }

    private static RunPlan.PlannedStep plannedStep(Step step) {
        StepPolicy policy = step.policy();
        StepPolicy.Retry r = policy.retry();
        Set<FailureKind> kinds = new HashSet<>();
        r.on().forEach(kind -> kinds.add(kind.equals("timeout") ? FailureKind.TIMEOUT : FailureKind.CONNECTION));
        RunPlan.Retry retry = new RunPlan.Retry(r.attempts(), r.exponential() ? RunPlan.Backoff.EXPONENTIAL
                : RunPlan.Backoff.FIXED, r.delay().toMillis(), r.maxDelay().toMillis(), kinds, r.exitCodes());
        RunPlan.Approval approval = policy.approval() == null ? null : new RunPlan.Approval(policy.approval().role(),
                policy.approval().timeout() == null ? 0 : policy.approval().timeout().toMillis(),
                policy.approval().requesterMayApprove());
        return new RunPlan.PlannedStep(step.id(), retry, step.timeout().toMillis(), approval, policy.compensate(),
                policy.keepOnFailure(), policy.compensationOnly(), policy.idempotent(), when(step.when()),
                step.restore(), step.verifies(), policy.readOnly(), step.liftsMitigation(),
                step.holdsGroup());
    }

    /** The playbook's condition as the plan records it, for the decider to evaluate; null: the step always runs. */
    public static RunPlan.When when(Condition condition) {
        if (condition == null) {
            return null;
        }
        if (condition.subject() instanceof Condition.ParamValue param) {
            return new RunPlan.When(param.param(), null, null, condition.expected(), condition.negated());
        }
        Condition.StepOutput output = (Condition.StepOutput) condition.subject();
        return new RunPlan.When(null, output.step(), output.output(), condition.expected(), condition.negated());
    }
}
