package io.antidote.engine;

import io.antidote.playbook.InvalidParamsException;
import io.antidote.playbook.ParamResolver;
import io.antidote.playbook.Playbook;
import io.antidote.playbook.PlaybookCatalog;
import io.antidote.playbook.ScriptRenderer;
import io.antidote.winrm.Inventory;
import io.antidote.winrm.Target;
import io.antidote.workflow.RunCommand.RequestRun;
import io.antidote.workflow.RunPlan;
import io.antidote.workflow.RunState;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

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

    /** What the requester asked for, as the API received it. */
    public record Request(String playbook, List<String> targets, Map<String, Object> params, String ticket,
                          String idempotencyKey, String actor) {
    }

    private final PlaybookCatalog catalog;
    private final Inventory inventory;
    private final PlaybookVersions versions;
    private final RunEngine engine;
    private final RunSecrets secrets;
    private final Clock clock;

    RunRequests(PlaybookCatalog catalog, Inventory inventory, PlaybookVersions versions, RunEngine engine,
                RunSecrets secrets, Clock clock) {
        this.secrets = secrets;
        this.catalog = catalog;
        this.inventory = inventory;
        this.versions = versions;
        this.engine = engine;
        this.clock = clock;
    }

    /** What a run would send: per target, each step's script exactly as rendered, secrets as {@code '***'}. */
    public record Preview(String playbook, String digest, List<TargetPreview> targets) {
        public record TargetPreview(String name, List<StepPreview> steps) {
        }

        public record StepPreview(String id, String description, String timeout, String script) {
        }
    }

    /**
     * A dry-run: validates the request exactly as {@link #submit} does and renders every script, but
     * writes nothing and runs nothing. Throws {@link InvalidRequestException} for a bad request.
     */
    public Preview preview(Request request) {
        Playbook playbook = validPlaybook(request);
        validTargets(request);
        Map<String, Object> params = validParams(playbook, request);
        List<Preview.StepPreview> steps = playbook.steps().stream()
                .map(step -> new Preview.StepPreview(step.id(), step.description(), step.timeout().toString(),
                        ScriptRenderer.renderRedacted(step, params, playbook.params())))
                .toList();
        // Scripts do not depend on the target today (targets never reach a script); listed per target so
        // that a future per-target input shows up here without changing the shape.
        return new Preview(playbook.name(), playbook.digest(), request.targets().stream()
                .map(name -> new Preview.TargetPreview(name, steps)).toList());
    }

    public Uni<RunState> submit(Request request) {
        Playbook playbook;
        Map<String, Object> params;
        try {
            playbook = validPlaybook(request);
            validTargets(request);
            params = validParams(playbook, request);
        } catch (InvalidRequestException e) {
            return Uni.createFrom().failure(e);
        }
        RunPlan plan = new RunPlan(playbook.name(), playbook.digest(),
                playbook.steps().stream().map(s -> new RunPlan.PlannedStep(s.id())).toList(),
                List.copyOf(request.targets()));
        UUID runId = UUID.randomUUID();
        RequestRun command = new RequestRun(runId, plan, secrets.keepAside(runId, playbook, params), request.ticket(),
                request.idempotencyKey(), request.actor(), clock.now());
        return versions.remember(playbook)
                .chain(() -> engine.request(command))
                .invoke(state -> engine.advanceLater(state.runId()));
    }

    private static Map<String, Object> validParams(Playbook playbook, Request request) {
        try {
            return ParamResolver.resolve(playbook, request.params() == null ? Map.of() : request.params());
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

    private void validTargets(Request request) {
        if (request.targets() == null || request.targets().isEmpty()) {
            throw new InvalidRequestException("targets", "at least one target is required");
        }
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
