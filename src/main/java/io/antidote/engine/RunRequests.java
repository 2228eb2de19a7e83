package io.antidote.engine;

import io.antidote.playbook.InvalidParamsException;
import io.antidote.playbook.ParamResolver;
import io.antidote.playbook.Playbook;
import io.antidote.playbook.PlaybookCatalog;
import io.antidote.playbook.ScriptRenderer;
import io.antidote.playbook.RunPlanner;
import io.antidote.playbook.Step;
import io.antidote.playbook.StepOutputs;
import io.antidote.playbook.TargetSelector;
import io.antidote.store.IdempotencyClaim;
import io.antidote.store.IdempotencyKeyTaken;
import io.antidote.store.IdempotencyKeys;
import io.antidote.store.Projector;
import io.antidote.store.TargetBusyException;
import io.antidote.winrm.Inventory;
import io.antidote.winrm.Target;
import io.antidote.workflow.RunCommand.RequestRun;
import io.antidote.workflow.RunPlan;
import io.antidote.workflow.RunState;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Checks a run request completely before anything is written (playbook, targets, parameters), then
 * records it and lets the run go on by itself.
 */
@ApplicationScoped
public class RunRequests {

    /**
     * What the requester asked for, as the API received it.
     *
     * @param targetLabels select, besides {@code targets}, every target carrying all these labels; with
     *                     neither, the playbook's default targets
     */
    public record Request(String playbook, List<String> targets, Map<String, Object> params, String ticket,
                          String idempotencyKey, String actor, String onBusy, Map<String, String> targetLabels) {

        public Request(String playbook, List<String> targets, Map<String, Object> params, String ticket,
                       String idempotencyKey, String actor, String onBusy) {
            this(playbook, targets, params, ticket, idempotencyKey, actor, onBusy, null);
        }

        public Request(String playbook, List<String> targets, Map<String, Object> params, String ticket,
                       String idempotencyKey, String actor) {
            this(playbook, targets, params, ticket, idempotencyKey, actor, null, null);
        }
    }

    /**
     * What a request led to: a new run, or ({@code earlier}) the run an earlier request with the same
     * {@code Idempotency-Key} and body created.
     */
    public record Submitted(RunState run, boolean earlier) {
    }

    /** Header name, as errors about the key name it. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** Visible ASCII, as a structured-field string carries it; long enough for any UUID or ticket-based key. */
    private static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile("[\\x21-\\x7E]{1,200}");
    /** As long as a run list filter may be: a ticket is a reference to a change, not its text. */
    static final int MAX_TICKET_CHARS = 200;
    static final int MAX_LABELS = 20;
    /** Tried again this many times when a concurrent request's key expired between the claim and the look-up. */
    private static final int KEY_RETRIES = 2;

    private final PlaybookCatalog catalog;
    private final Inventory inventory;
    private final PlaybookVersions versions;
    private final RunEngine engine;
    private final RunSecrets secrets;
    private final Clock clock;
    private final IdempotencyKeys keys;
    private final RequestFingerprint fingerprints;
    private final Duration keepKeysFor;
    private final int maxTargets;
    private final Vertx vertx;
    private final ConfiguredPatchSources patchSources;
    /** Field-injected so that the constructor, already long, stays as it is. */
    @Inject
    RunTraces traces;

    RunRequests(PlaybookCatalog catalog, Inventory inventory, PlaybookVersions versions, RunEngine engine,
                RunSecrets secrets, Clock clock, IdempotencyKeys keys, RequestFingerprint fingerprints, Vertx vertx, ConfiguredPatchSources patchSources,
                IdempotencyConfig idempotency, RunsConfig runs) {
        this.vertx = vertx;
        this.patchSources = patchSources;
        this.maxTargets = runs.maxTargets();
        this.keys = keys;
        this.fingerprints = fingerprints;
        this.keepKeysFor = idempotency.keepFor();
        this.secrets = secrets;
        this.catalog = catalog;
        this.inventory = inventory;
        this.versions = versions;
        this.engine = engine;
        this.clock = clock;
    }

    /**
     * What a run would send, found by a dry run: the playbook, the targets it would act on and each step as
     * it would be rendered (secrets as {@code '***'}). The API answers it in a view of its own.
     *
     * @param steps the playbook's steps in order; scripts do not depend on the target today (targets never
     *              reach a script), so each target would receive these
     */
    public record DryRun(Playbook playbook, List<String> targets, List<RenderedStep> steps) {

        /**
         * @param script   the exact text a host would receive, without the declarations of earlier outputs
         * @param when     the step's condition as the run will evaluate it on each target, or null
         * @param receives outputs of earlier steps the script gets in its param block, unknown before the run:
         *                 variable to where its value will come from
         */
        public record RenderedStep(Step step, String script, String when, Map<String, String> receives) {
        }
    }

    /**
     * A dry-run: validates the request exactly as {@link #submit} does and renders every script, but
     * writes nothing and runs nothing. Throws {@link InvalidRequestException} for a bad request.
     */
    public Uni<DryRun> dryRun(Request request) {
        return offTheEventLoop(() -> preview(request));
    }

    /** As {@link #dryRun}, on the caller's thread. */
    public DryRun preview(Request request) {
        bounds(request);
        Playbook playbook = validPlaybook(request);
        List<String> targets = targets(playbook, request);
        Map<String, Object> params = validParams(playbook, request);
        return new DryRun(playbook, targets, playbook.steps().stream()
                .map(step -> new DryRun.RenderedStep(step, ScriptRenderer.renderRedacted(step, params, playbook.params()),
                        step.when() == null ? null : RunPlanner.when(step.when()).text(), receives(playbook, step)))
                .toList());
    }

    /**
     * The earlier outputs a step's script will get, which a dry-run cannot know: each variable with the
     * step, output and JSON field it comes from (the script shown has no such lines yet).
     */
    private static Map<String, String> receives(Playbook playbook, Step step) {
        Map<String, String> receives = new java.util.LinkedHashMap<>();
        StepOutputs.visibleTo(playbook, step, Map.of()).forEach((stepId, outputs) -> outputs.keySet().forEach(
                name -> receives.put("$" + ScriptRenderer.outputVariable(stepId, name), "output '" + name
                        + "' of step '" + stepId + "' (JSON field '" + playbook.step(stepId).orElseThrow().outputs()
                        .get(name) + "'), known once that step succeeds on the target; $null if it was skipped")));
        return receives;
    }

    /** Records the request as a new run; see {@link #accept(Request)} for one that carries an idempotency key. */
    public Uni<RunState> submit(Request request) {
        return accept(request).map(Submitted::run);
    }

    /**
     * Records the request as a new run, unless the caller sent the same {@code Idempotency-Key} before and
     * it has not expired: then the same body gets that run ({@code earlier}), and another body a 422 naming
     * the key. The key is claimed in the transaction of the run's first events, so of concurrent requests
     * with one key exactly one creates a run and the others answer with it.
     */
    public Uni<Submitted> accept(Request request) {
        if (request.idempotencyKey() == null) {
            return submit(request, false).map(run -> new Submitted(run, false));
        }
        if (!KEY.matcher(request.idempotencyKey()).matches()) {
            return Uni.createFrom().failure(new InvalidRequestException(IDEMPOTENCY_KEY,
                    "must be 1 to 200 visible ASCII characters"));
        }
        // Off the event loop: the body may be as large as the HTTP limit allows, and the bounds are checked later.
        return offTheEventLoop(() -> catalog.find(request.playbook())
                .map(playbook -> fingerprints.of(request, playbook))
                .orElseGet(() -> fingerprints.ofUnknownPlaybook(request)))
                .chain(fingerprint -> accept(request, fingerprint, KEY_RETRIES));
    }

    private Uni<Submitted> accept(Request request, String fingerprint, int retries) {
        return earlier(request, fingerprint).chain(earlier -> earlier != null ? Uni.createFrom().item(earlier)
                : submit(request, true).map(run -> new Submitted(run, false))
                        .onFailure(IdempotencyKeyTaken.class).recoverWithUni(taken -> retries == 0
                                ? Uni.createFrom().failure(taken)
                                : accept(request, fingerprint, retries - 1)));
    }

    /** The run the caller's key answers for, or null; a 422 naming the key when it came with another body. */
    private Uni<Submitted> earlier(Request request, String fingerprint) {
        return keys.find(request.actor(), request.idempotencyKey()).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().nullItem();
            }
            if (!found.get().fingerprint().equals(fingerprint)) {
                return Uni.createFrom().failure(new IdempotencyKeyReused(IDEMPOTENCY_KEY, "'"
                        + printable(request.idempotencyKey()) + "' was sent earlier with another request body, for run "
                        + found.get().runId() + "; a different request needs a new key"));
            }
            return engine.load(found.get().runId()).map(run -> new Submitted(run, true));
        });
    }

    /** @param claimKey whether the request's key is claimed with the run (it carries one) */
    private Uni<RunState> submit(Request request, boolean claimKey) {
        return offTheEventLoop(() -> validated(request, claimKey)).chain(valid -> submit(request, valid));
    }

    /**
     * A request found valid, with what its run is made of.
     *
     * @param fingerprint the body's fingerprint to claim the key with, else null; taken with the very playbook the
     *                    run records, so that a reload in between cannot leave a secret outside the keyed part
     */
    private record Validated(Playbook playbook, List<String> targets, Map<String, Object> params, RunPlan plan,
                             String fingerprint) {
    }

    /** Every check of the request, in one pass over it; throws {@link InvalidRequestException}. */
    private Validated validated(Request request, boolean fingerprinted) {
        bounds(request);
        Playbook playbook = validPlaybook(request);
        List<String> targets = targets(playbook, request);
        if (request.onBusy() != null && !request.onBusy().equals("WAIT") && !request.onBusy().equals("REFUSE")) {
            throw new InvalidRequestException("onBusy", "must be WAIT or REFUSE");
        }
        Map<String, Object> params = validParams(playbook, request);
        // The selection is resolved now and the plan records the names: inventory edits never change a requested run.
        RunPlan plan = RunPlanner.planOf(playbook, targets.stream().map(n -> inventory.find(n).orElseThrow()).toList(),
                "REFUSE".equals(request.onBusy()) ? RunPlan.OnBusy.REFUSE : RunPlan.OnBusy.WAIT);
        return new Validated(playbook, targets, params, plan, fingerprinted ? fingerprints.of(request, playbook) : null);
    }

    private Uni<RunState> submit(Request request, Validated valid) {
        return submit(request, valid, runId -> valid.fingerprint() == null ? Projector.NONE
                : models -> models.claim(new IdempotencyClaim(request.actor(), request.idempotencyKey(),
                        valid.fingerprint(), runId, keepKeysFor)));
    }

    /**
     * At most one run per {@code scope} and {@code key} (an alert rule and a server) within {@code window}: the pair
     * is claimed in the transaction of the run's first events, as an {@code Idempotency-Key} is, in the same table
     * under a caller no person or token can be ({@code alert:...}), so that of concurrent requests on any replica
     * exactly one records a run; the others fail with {@link IdempotencyKeyTaken} and {@link #heldBy} names the run.
     */
    public record Once(String scope, String key, Duration window) {
        /** What the claim's fingerprint column holds (a SHA-256, as the column wants): nothing compares it, the pair decides. */
        String fingerprint() {
            return io.antidote.playbook.Sha256.hex(scope + "\n" + key);
        }
    }

    /**
     * Records the request as a new run unless {@code once} is held: validated, planned and recorded exactly as
     * {@link #submit(Request)} does, with {@code approveFirst} making a person approve the run's first step on each
     * target before anything runs (the role {@code approver}), and {@code alongside} written in the run's
     * transaction. Fails with {@link IdempotencyKeyTaken} when another run holds {@code once}.
     */
    public Uni<RunState> submitOnce(Request request, boolean approveFirst, Once once,
                                    java.util.function.Function<UUID, Projector> alongside) {
        return offTheEventLoop(() -> validated(request, false)).chain(valid -> {
            Validated gated = approveFirst ? new Validated(valid.playbook(), valid.targets(), valid.params(),
                    approvedFirst(valid.plan()), null) : valid;
            return submit(request, gated, runId -> {
                Projector extra = alongside.apply(runId);
                return models -> models.claim(new IdempotencyClaim(once.scope(), once.key(), once.fingerprint(), runId,
                        once.window())).chain(() -> extra.project(models));
            });
        });
    }

    /** The run that holds {@code once} now, if its window has not passed. */
    public Uni<java.util.Optional<UUID>> heldBy(Once once) {
        return keys.find(once.scope(), once.key()).map(found -> found.map(IdempotencyKeys.Claimed::runId));
    }

    /** The approval a gated run's first step waits for: the playbooks' approval role (docs/security.md). */
    static final RunPlan.Approval FIRST_STEP_APPROVAL = new RunPlan.Approval("approver", 0, false);

    /** The plan with its first step (in the normal order) waiting for a person, unless it already does. */
    static RunPlan approvedFirst(RunPlan plan) {
        List<RunPlan.PlannedStep> steps = new ArrayList<>(plan.steps());
        for (int i = 0; i < steps.size(); i++) {
            RunPlan.PlannedStep s = steps.get(i);
            if (s.compensationOnly()) {
                continue;
            }
            if (s.approval() == null) {
                steps.set(i, new RunPlan.PlannedStep(s.id(), s.retry(), s.timeoutMillis(), FIRST_STEP_APPROVAL,
                        s.compensate(), s.keepOnFailure(), s.compensationOnly(), s.idempotent(), s.when(), s.restores(),
                        s.verifies(), s.readOnly(), s.liftsMitigation(), s.holdsGroup()));
            }
            break;
        }
        return new RunPlan(plan.playbook(), plan.digest(), steps, plan.targets(), plan.strategy(), plan.groups(),
                plan.onBusy(), plan.labels());
    }

    private Uni<RunState> submit(Request request, Validated valid, java.util.function.Function<UUID, Projector> claimFor) {
        UUID runId = UUID.randomUUID();
        List<String> targets = valid.targets();
        Uni<Void> free = "REFUSE".equals(request.onBusy())
                ? engine.busyTargets(targets).invoke(busy -> {
                    List<String> held = targets.stream().filter(busy::contains).toList();
                    if (!held.isEmpty()) {
                        throw new TargetBusyException("another run holds " + String.join(", ", held)
                                + "; the request asked to be refused rather than wait (onBusy: REFUSE)", held);
                    }
                }).replaceWithVoid()
                : Uni.createFrom().voidItem();
        Projector claim = claimFor.apply(runId);
        return free.chain(() -> {
            RequestRun command = new RequestRun(runId, valid.plan(), secrets.keepAside(runId, valid.playbook(),
                    valid.params()), request.ticket(), request.idempotencyKey(), request.actor(), clock.now());
            return submit(valid.playbook(), command, claim)
                    // Nothing of the run was stored: its secrets have no run to go to.
                    .onFailure().invoke(() -> secrets.forget(runId));
        });
    }

    /**
     * The limits checked before anything else, so that an oversized request costs no more than reading it: the
     * number of targets named and the ticket. (Parameters are held to their playbook's {@code maxLength}.)
     */
    private void bounds(Request request) {
        List<InvalidRequestException.Violation> violations = new ArrayList<>();
        if (request.targets() != null && request.targets().size() > maxTargets) {
            violations.add(new InvalidRequestException.Violation("targets", "at most " + maxTargets
                    + " targets per request, got " + request.targets().size() + "; split the rollout into several runs"));
        }
        if (request.targetLabels() != null && request.targetLabels().size() > MAX_LABELS) {
            violations.add(new InvalidRequestException.Violation("targetLabels", "at most " + MAX_LABELS + " labels"));
        }
        RequestText.check("ticket", request.ticket(), MAX_TICKET_CHARS, violations);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
    }

    /**
     * Validation and rendering are CPU work proportional to the request: on a worker thread, so that a large or
     * hostile request never holds an event loop (four requests of 100,000 targets once froze the service, health
     * checks included, for 116 s). The result comes back on the caller's Vert.x context.
     */
    private <T> Uni<T> offTheEventLoop(java.util.concurrent.Callable<T> work) {
        return Uni.createFrom().completionStage(() -> vertx.executeBlocking(work, false).toCompletionStage());
    }

    private Uni<RunState> submit(Playbook playbook, RequestRun command, Projector alongside) {
        return Uni.createFrom().deferred(() -> {
            // Started here, on the request's context, so that it links to the request's own span.
            Span span = traces.requested(command.runId(), playbook.name(), command.plan().targets().size());
            return versions.remember(playbook)
                    .chain(() -> engine.request(command, alongside))
                    .invoke(state -> engine.advanceLater(state.runId()))
                    .onTermination().invoke((state, failure, cancelled) -> {
                        if (failure != null) {
                            span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
                        }
                        span.end();
                    });
        });
    }

    private Map<String, Object> validParams(Playbook playbook, Request request) {
        try {
            return ParamResolver.resolve(playbook, request.params() == null ? Map.of() : request.params(),
                    patchSources.sources());
        } catch (InvalidParamsException e) {
            throw new InvalidRequestException(e.errors().stream()
                    .map(p -> new InvalidRequestException.Violation("params." + p.param(), p.message())).toList());
        }
    }

    private Playbook validPlaybook(Request request) {
        if (request.playbook() == null || request.playbook().isBlank()) {
            throw new InvalidRequestException("playbook", "is required");
        }
        return catalog.find(request.playbook()).orElseThrow(() -> new InvalidRequestException("playbook",
                "no playbook named '" + printable(request.playbook()) + "'; GET /api/v1/playbooks lists them"));
    }

    /**
     * The names of the targets the run acts on: those the request names plus those carrying all its
     * {@code targetLabels}, or else the playbook's default targets; each target once, names first.
     */
    private List<String> targets(Playbook playbook, Request request) {
        boolean byName = request.targets() != null && !request.targets().isEmpty();
        boolean byLabel = request.targetLabels() != null && !request.targetLabels().isEmpty();
        if (!byName && !byLabel) {
            if (playbook.targets().isEmpty()) {
                throw new InvalidRequestException("targets", "at least one target is required, by name (targets) or"
                        + " by labels (targetLabels); playbook '" + playbook.name() + "' declares no default targets");
            }
            return defaultTargets(playbook);
        }
        List<InvalidRequestException.Violation> violations = new ArrayList<>();
        Set<String> selected = new java.util.LinkedHashSet<>();
        if (byName) {
            try {
                validTargets(request);
                selected.addAll(request.targets());
            } catch (InvalidRequestException e) {
                violations.addAll(e.violations());
            }
        }
        if (byLabel) {
            labelled(request.targetLabels(), "targetLabels", violations).forEach(selected::add);
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        return List.copyOf(selected);
    }

    private List<String> defaultTargets(Playbook playbook) {
        TargetSelector defaults = playbook.targets();
        List<InvalidRequestException.Violation> violations = new ArrayList<>();
        Set<String> selected = new java.util.LinkedHashSet<>();
        for (String name : defaults.names()) {
            if (inventory.find(name).isEmpty()) {
                violations.add(new InvalidRequestException.Violation("targets", "playbook '" + playbook.name()
                        + "' targets '" + name + "' by default, which is not in the inventory; name targets in the request"));
            } else {
                selected.add(name);
            }
        }
        if (!defaults.labels().isEmpty()) {
            List<String> matched = matching(defaults);
            if (matched.isEmpty()) {
                violations.add(new InvalidRequestException.Violation("targets", "playbook '" + playbook.name()
                        + "' targets the labels " + defaults.describeLabels() + " by default, and no target in the"
                        + " inventory has them; name targets in the request"));
            }
            selected.addAll(matched);
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        return List.copyOf(selected);
    }

    /** Every target carrying all {@code labels}, in name order; a selector matching none is a violation. */
    private List<String> labelled(Map<String, String> labels, String field, List<InvalidRequestException.Violation> violations) {
        int before = violations.size();
        labels.forEach((label, value) -> {
            if (label == null || label.isBlank() || label.length() > 63 || value == null || value.isEmpty()
                    || value.length() > 200) {
                violations.add(new InvalidRequestException.Violation(field + "." + printable(label),
                        "a label selector maps a label name to the value a target must have, 1 to 200 characters"));
            }
        });
        if (violations.size() > before) {
            return List.of();
        }
        TargetSelector selector = new TargetSelector(List.of(), labels);
        List<String> matched = matching(selector);
        if (matched.isEmpty()) {
            violations.add(new InvalidRequestException.Violation(field, "no target in the inventory has the labels "
                    + printable(selector.describeLabels()) + "; GET /api/v1/targets lists targets and their labels"));
        }
        return matched;
    }

    /** The inventory's targets carrying every label of the selector, in name order. */
    private List<String> matching(TargetSelector selector) {
        return inventory.all().stream().filter(t -> selector.matches(t.labels())).map(Target::name).sorted().toList();
    }

    private void validTargets(Request request) {
        List<InvalidRequestException.Violation> violations = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < request.targets().size(); i++) {
            String name = request.targets().get(i);
            String field = "targets[" + i + "]";
            if (name == null || !Target.NAME.matcher(name).matches()) {
                violations.add(new InvalidRequestException.Violation(field,
                        "'" + printable(name) + "' is not a valid target name"));
            } else if (!seen.add(name)) {
                violations.add(new InvalidRequestException.Violation(field, "'" + name + "' is named twice"));
            } else if (inventory.find(name).isEmpty()) {
                violations.add(new InvalidRequestException.Violation(field,
                        "no target named '" + name + "' in the inventory; GET /api/v1/targets lists them"));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
    }

    /** Hostile names are echoed in errors: keep them short and free of control characters. */
    static String printable(String value) {
        if (value == null) {
            return "null";
        }
        String cleaned = value.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return cleaned.length() > 80 ? cleaned.substring(0, 80) + "…" : cleaned;
    }
}
