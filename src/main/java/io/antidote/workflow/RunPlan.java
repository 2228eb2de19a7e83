package io.antidote.workflow;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run will do, fixed when it is requested: the playbook (by name and content digest), its
 * steps in order with their policies (retry, timeout, approval, compensation, idempotence), the
 * targets in the order they are rolled through, and how they are rolled through. Carried by
 * {@link RunEvent.RunRequested} so that the run never depends on the playbook file again.
 *
 * <p>Fields added after the first release are absent from older stored plans: every policy reads a
 * missing value as the behaviour of that release (one attempt, no approval, nothing undone, one target
 * at a time, the first failure stops the rollout).
 *
 * @param groups target name to group (e.g. its DAG); targets of one group never run at the same time, in
 *               this run or across runs
 * @param labels target name to the labels the inventory gave it when the run was requested: the history
 *               then says which servers a verdict was about (the server projection filters on them) even
 *               after the inventory changes. Empty in plans recorded before this existed.
 */
public record RunPlan(String playbook, String digest, List<PlannedStep> steps, List<String> targets,
                      Strategy strategy, Map<String, String> groups, OnBusy onBusy,
                      Map<String, Map<String, String>> labels) {

    /**
     * What a target held by another run does when its turn comes: wait for it to be let go, or fail at once
     * (the request said it would rather be refused than wait). Plans recorded before this existed wait.
     */
    public enum OnBusy { WAIT, REFUSE }

    public RunPlan {
        onBusy = onBusy == null ? OnBusy.WAIT : onBusy;
        steps = List.copyOf(steps);
        targets = List.copyOf(targets);
        strategy = strategy == null ? Strategy.ONE_AT_A_TIME : strategy;
        groups = groups == null ? Map.of() : Map.copyOf(groups);
        labels = labels == null ? Map.of() : labels.entrySet().stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> Map.copyOf(e.getValue())));
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a run plan needs at least one step");
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("a run plan needs at least one target");
        }
        if (targets.stream().distinct().count() != targets.size()) {
            throw new IllegalArgumentException("a run plan names each target once");
        }
        for (PlannedStep step : steps) {
            if (step.compensate() != null && steps.stream().noneMatch(s -> s.id().equals(step.compensate()))) {
                throw new IllegalArgumentException("step '" + step.id() + "' is undone by '" + step.compensate()
                        + "', which is not a step of the plan");
            }
        }
    }

    public RunPlan(String playbook, String digest, List<PlannedStep> steps, List<String> targets,
                   Strategy strategy, Map<String, String> groups, OnBusy onBusy) {
        this(playbook, digest, steps, targets, strategy, groups, onBusy, Map.of());
    }

    public RunPlan(String playbook, String digest, List<PlannedStep> steps, List<String> targets,
                   Strategy strategy, Map<String, String> groups) {
        this(playbook, digest, steps, targets, strategy, groups, OnBusy.WAIT);
    }

    public RunPlan(String playbook, String digest, List<PlannedStep> steps, List<String> targets) {
        this(playbook, digest, steps, targets, Strategy.ONE_AT_A_TIME, Map.of());
    }

    /**
     * One step as the workflow needs to know it; the script itself stays with the playbook version.
     *
     * @param timeoutMillis    the longest an attempt may run before it is recorded as timed out; 0: no limit
     * @param compensate       the step that undoes this one when its target fails or is cancelled, or null
     * @param keepOnFailure    when the target fails (not when it is cancelled), leave this step's effect in
     *                         place: a server whose patch failed stays isolated
     * @param compensationOnly the step runs only to undo another step, never in the normal order
     * @param idempotent       running it twice does what running it once does, so an attempt whose outcome
     *                         was lost in a crash may simply run again
     * @param when             the step runs in its normal order only if this holds, or null for always
     * @param restores         the step returns the server to service: it runs, in its order or as an undo,
     *                         only once the run verified the server fixed and clean ({@link Verdict#fixedAndClean})
     * @param verifies         what the step's success establishes about the server, for its verdict
     * @param readOnly         the step only reads the server: an attempt whose outcome was lost simply runs again.
     *                         Any other step changes the server: its script leaves a marker on the host, which
     *                         the engine probes before it decides what a lost outcome was (plans recorded before
     *                         this existed read as changing the server, as they were treated then)
     * @param liftsMitigation  the step takes away a mitigation (it makes the server reachable to the attack the
     *                         fix closes): it runs, in its order or as an undo, only once the run verified the
     *                         server fixed ({@link Verdict.Patch#PATCHED}); plans recorded before this existed
     *                         have no such step
     * @param holdsGroup       the step puts the server in maintenance (out of its DAG's service) until its undo
     *                         ({@code compensate}) runs: while its effect is kept on a target that ended, the
     *                         target's group stays held for that server across runs ({@link RunState#keptHold});
     *                         plans recorded before this existed have no such step
     */
    public record PlannedStep(String id, Retry retry, long timeoutMillis, Approval approval, String compensate,
                              boolean keepOnFailure, boolean compensationOnly, boolean idempotent, When when,
                              boolean restores, Set<Verification> verifies, boolean readOnly,
                              boolean liftsMitigation, boolean holdsGroup) {

        public PlannedStep {
            retry = retry == null ? Retry.NONE : retry;
            // Plans recorded before verdicts existed verify nothing and restore nothing.
            verifies = verifies == null ? Set.of() : Set.copyOf(verifies);
        }

        public PlannedStep(String id, Retry retry, long timeoutMillis, Approval approval, String compensate,
                           boolean keepOnFailure, boolean compensationOnly, boolean idempotent, When when,
                           boolean restores, Set<Verification> verifies, boolean readOnly, boolean liftsMitigation) {
            this(id, retry, timeoutMillis, approval, compensate, keepOnFailure, compensationOnly, idempotent, when,
                    restores, verifies, readOnly, liftsMitigation, false);
        }

        public PlannedStep(String id, Retry retry, long timeoutMillis, Approval approval, String compensate,
                           boolean keepOnFailure, boolean compensationOnly, boolean idempotent, When when,
                           boolean restores, Set<Verification> verifies, boolean readOnly) {
            this(id, retry, timeoutMillis, approval, compensate, keepOnFailure, compensationOnly, idempotent, when,
                    restores, verifies, readOnly, false);
        }

        public PlannedStep(String id, Retry retry, long timeoutMillis, Approval approval, String compensate,
                           boolean keepOnFailure, boolean compensationOnly, boolean idempotent, When when,
                           boolean restores, Set<Verification> verifies) {
            this(id, retry, timeoutMillis, approval, compensate, keepOnFailure, compensationOnly, idempotent, when,
                    restores, verifies, false);
        }

        public PlannedStep(String id, Retry retry, long timeoutMillis, Approval approval, String compensate,
                           boolean keepOnFailure, boolean compensationOnly, boolean idempotent, When when) {
            this(id, retry, timeoutMillis, approval, compensate, keepOnFailure, compensationOnly, idempotent, when,
                    false, Set.of());
        }

        public PlannedStep(String id, Retry retry, long timeoutMillis, Approval approval, String compensate,
                           boolean keepOnFailure, boolean compensationOnly, boolean idempotent) {
            this(id, retry, timeoutMillis, approval, compensate, keepOnFailure, compensationOnly, idempotent, null);
        }

        public PlannedStep(String id) {
            this(id, Retry.NONE, 0, null, null, false, false, false);
        }
    }

    /**
     * A step's condition: a run parameter ({@code param}) or an output of an earlier step of the same
     * target ({@code step} + {@code output}) compared with a literal. A parameter not given and an output
     * not captured (its step skipped, or no JSON printed) are null; values compare with their type.
     *
     * @param expected a String, Long, Boolean or null
     */
    public record When(String param, String step, String output, Object expected, boolean negated) {

        public When {
            if ((param == null) == (step == null) || (step != null && output == null)) {
                throw new IllegalArgumentException("a condition names a parameter, or a step and its output");
            }
            expected = Values.normalised(expected);
        }

        /** How the condition reads in events, e.g. {@code steps.precheck.build notEquals "15.1.2176.9"}. */
        public String text() {
            return subject() + (negated ? " notEquals " : " equals ") + literal(expected);
        }

        /** The value the condition looks at, by the name {@link #text()} gives it. */
        public Map<String, Object> valuesIn(Map<String, Object> params, Map<String, Map<String, Object>> outputs) {
            Object value;
            if (param != null) {
                value = params == null ? null : params.get(param);
            } else {
                Map<String, Object> ofStep = outputs == null ? null : outputs.get(step);
                value = ofStep == null ? null : ofStep.get(output);
            }
            Map<String, Object> values = new java.util.LinkedHashMap<>();
            values.put(subject(), Values.normalised(value));
            return values;
        }

        public boolean holds(Map<String, Object> params, Map<String, Map<String, Object>> outputs) {
            Object actual = valuesIn(params, outputs).get(subject());
            return negated != java.util.Objects.equals(actual, expected);
        }

        private String subject() {
            return param != null ? "params." + param : "steps." + step + "." + output;
        }

        private static String literal(Object value) {
            return value instanceof String text ? "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\""
                    : String.valueOf(value);
        }
    }

    /** Failures of these kinds (or these exit codes) start another attempt, until {@code maxAttempts}. */
    public record Retry(int maxAttempts, Backoff backoff, long initialDelayMillis, long maxDelayMillis,
                        Set<FailureKind> retryOn, Set<Integer> exitCodes) {

        public static final Retry NONE = new Retry(1, Backoff.FIXED, 0, 0, Set.of(), Set.of());

        public Retry {
            maxAttempts = Math.max(1, maxAttempts);
            backoff = backoff == null ? Backoff.FIXED : backoff;
            retryOn = retryOn == null ? Set.of() : Set.copyOf(retryOn);
            exitCodes = exitCodes == null ? Set.of() : Set.copyOf(exitCodes);
            maxDelayMillis = Math.max(maxDelayMillis, initialDelayMillis);
        }

        /** The wait before attempt {@code next} (2 for the first retry). */
        public long delayBefore(int next) {
            if (backoff == Backoff.FIXED) {
                return initialDelayMillis;
            }
            long delay = initialDelayMillis;
            for (int i = 2; i < next && delay < maxDelayMillis; i++) {
                delay *= 2;
            }
            return Math.min(delay, maxDelayMillis);
        }

        boolean covers(StepOutcome outcome) {
            if (outcome instanceof StepOutcome.Completed done) {
                return exitCodes.contains(done.exitCode());
            }
            if (!(outcome instanceof StepOutcome.Errored errored)) {
                return false; // an unknown outcome is resolved by the marker probe, never retried as such
            }
            return retryOn.contains(errored.kind());
        }
    }

    public enum Backoff { FIXED, EXPONENTIAL }

    /**
     * The step waits until someone approves it. {@code role} is recorded with the request (roles are checked
     * once authentication exists); {@code timeoutMillis} 0 waits for ever.
     */
    public record Approval(String role, long timeoutMillis, boolean requesterMayApprove) {
    }

    /**
     * How targets are rolled through: in batches of {@code batchSize} targets (or {@code batchPercent} of
     * them, rounded up), a batch only after the one before has finished; the rollout stops (targets not
     * started are skipped) once {@code failureThreshold} targets have failed.
     */
    public record Strategy(int batchSize, int batchPercent, int failureThreshold) {

        public static final Strategy ONE_AT_A_TIME = new Strategy(1, 0, 1);

        public Strategy {
            failureThreshold = Math.max(1, failureThreshold);
        }

        public int batchOf(int targets) {
            if (batchPercent > 0) {
                return Math.max(1, (int) Math.ceil(targets * batchPercent / 100.0));
            }
            return Math.max(1, batchSize);
        }
    }

    public int indexOf(String step) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).id().equals(step)) {
                return i;
            }
        }
        return -1;
    }

    public PlannedStep step(String id) {
        return steps.get(indexOf(id));
    }

    /** The group of a target, or its own name when it has none. */
    public String groupOf(String target) {
        return groups.getOrDefault(target, "target:" + target);
    }

    /**
     * The group the target shares with others (e.g. {@code dag=DAG01}), held across runs while the target runs
     * ({@code group_lease}); empty when it has none.
     */
    public java.util.Optional<String> sharedGroupOf(String target) {
        return java.util.Optional.ofNullable(groups.get(target));
    }
}
