package io.antidote.engine;

import io.antidote.playbook.Playbook;
import io.antidote.playbook.ScriptRenderer;
import io.antidote.playbook.Sha256;
import io.antidote.playbook.Step;
import io.antidote.playbook.StepOutputs;
import io.antidote.workflow.RunPlan;
import io.antidote.workflow.RunState;
import io.antidote.workflow.StepState;
import io.antidote.workflow.TargetState;
import io.antidote.workflow.WorkStatus;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The text a host receives for one attempt of a step, rendered in one place for the engine that sends it and for the
 * approver who must see it before it is sent: what is approved is what runs, and its digest says so.
 */
@ApplicationScoped
public class StepScripts {

    private final PlaybookVersions playbooks;
    private final RunSecrets secrets;

    StepScripts(PlaybookVersions playbooks, RunSecrets secrets) {
        this.playbooks = playbooks;
        this.secrets = secrets;
    }

    /**
     * The script of {@code attempt} of {@code step} on a target whose earlier steps captured {@code outputs}. A step
     * that changes the server runs inside its marker (keyed by run, step and attempt, so that a lost outcome can be
     * found on the host later); a read-only step runs as written. Secret values are never part of the text.
     */
    static String render(UUID runId, Playbook playbook, Step step, int attempt, Map<String, Object> params,
                         Map<String, Map<String, Object>> outputs) {
        UnaryOperator<String> around = step.policy().readOnly() ? UnaryOperator.identity()
                : StepMarker.of(runId, step.id(), attempt)::around;
        return ScriptRenderer.renderWithOutputs(step, params, playbook.params(),
                StepOutputs.visibleTo(playbook, step, outputs), around);
    }

    /**
     * A step waiting for a person's approval on one target, with the script its next attempt will send.
     *
     * @param playbookDigest the digest of the playbook version the run was planned from
     * @param script         the exact text the host will receive for {@code attempt} (secrets as {@code '***'})
     * @param scriptDigest   SHA-256 (hex) of {@code script}'s UTF-8 bytes
     */
    public record Waiting(String target, String step, String role, Instant dueAt, int attempt, String playbookDigest,
                          String script, String scriptDigest) {
    }

    /** Every step of the run waiting for approval, by target in the run's order. */
    public Uni<List<Waiting>> waitingIn(RunState run) {
        if (run.targets().stream().noneMatch(TargetState::waitingApproval)) {
            return Uni.createFrom().item(List.of());
        }
        return playbooks.of(run.plan()).map(playbook -> {
            Map<String, Object> params = renderable(run, playbook);
            List<Waiting> waiting = new ArrayList<>();
            for (TargetState target : run.targets()) {
                for (StepState state : target.steps()) {
                    if (state.status() != WorkStatus.WAITING_APPROVAL) {
                        continue;
                    }
                    Step step = playbook.step(state.id()).orElseThrow();
                    RunPlan.PlannedStep planned = run.plan().step(state.id());
                    int attempt = state.attempts() + 1;
                    String script = render(run.runId(), playbook, step, attempt, params, target.outputs());
                    waiting.add(new Waiting(target.name(), state.id(), planned.approval().role(), state.dueAt(),
                            attempt, run.plan().digest(), script, Sha256.hex(script)));
                }
            }
            return waiting;
        });
    }

    /**
     * The values the engine will render with. A secret's value never reaches the text (it is {@code '***'} there and
     * travels as standard input), but whether it is empty does; once this process no longer holds it (a restart),
     * the recorded placeholder stands in, as it would if the step had to run without it.
     */
    private Map<String, Object> renderable(RunState run, Playbook playbook) {
        try {
            return secrets.restore(run.runId(), playbook.params(), run.params());
        } catch (IllegalStateException gone) {
            return run.params();
        }
    }
}
