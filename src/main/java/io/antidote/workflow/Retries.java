package io.antidote.workflow;

import io.antidote.workflow.RunCommand.RetryRun;
import io.antidote.workflow.RunEvent.RetryRequested;
import io.antidote.workflow.RunEvent.RunRequested;
import io.antidote.workflow.RunEvent.StepCarriedOver;
import io.antidote.workflow.RunEvent.StepSkippedByPerson;
import io.antidote.workflow.RunPlan.PlannedStep;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.antidote.workflow.RunEvent.SYSTEM;

/**
 * Going on from where an ended run stopped ({@link RetryRun}): which targets, from which step, with what carried
 * over, and which steps a person may skip. The rules, and why (docs/playbooks.md, "Retry from the failed step"):
 *
 * <ul>
 *   <li>Only a run that ended FAILED or CANCELLED; its targets that failed, were cancelled or were never reached,
 *       except one a person released from isolation (it is in service on their word: a new run, not a retry).</li>
 *   <li>A target resumes at its first step (in the playbook's order) that did not end SUCCEEDED or SKIPPED there,
 *       or at an earlier step whose undo was started after the failure (its effect may be gone, wholly or in
 *       part). The step it resumes at runs from its start, whatever it did before: a step that ran only partly is
 *       never counted as done.</li>
 *   <li>The steps before it are carried over as they ended ({@link StepCarriedOver}), with their outputs. So is
 *       what they did to the server: an isolation or a maintenance carried over is undone in the new run exactly
 *       as in the old one (on a cancel, and the restore only once the new run's verdict is fixed and clean), and a
 *       verification carried over counts for the verdict as it would have had the run gone on.</li>
 *   <li>Approvals are asked again: approvals are never carried over, and the person who asks for the retry is its
 *       requester.</li>
 * </ul>
 *
 * <p>A step may be skipped with a reason unless the verdict or the server's safety rests on it: a step that
 * verifies ({@code verifies}), returns the server to service ({@code restore}), lifts a mitigation, has an undo
 * ({@code compensate}: an isolation, a maintenance), only undoes others, or changes the server and whose last
 * attempt ended without a known outcome (timed out, interrupted: it may have run only partly).
 */
final class Retries {

    private Retries() {
    }

    static List<RunEvent> decide(RetryRun cmd) {
        RunState source = RunDecider.fold(cmd.source().stream().map(RetryRun.Recorded::event).toList());
        if (!source.exists()) {
            throw new CommandRejected("no such run to retry");
        }
        if (source.status() != RunStatus.FAILED && source.status() != RunStatus.CANCELLED) {
            throw new CommandRejected("run " + source.runId() + " is " + source.status() + ": only a run that ended"
                    + " FAILED or CANCELLED can be retried" + (source.status().terminal() ? ""
                    : "; wait for it to end, or cancel it"));
        }
        Provenance provenance = Provenance.of(cmd.source());
        RunPlan plan = source.plan();
        Map<String, Integer> resumeAt = new LinkedHashMap<>();
        for (TargetState t : source.targets()) {
            boolean notDone = t.status() == WorkStatus.FAILED || t.status() == WorkStatus.CANCELLED
                    || t.status() == WorkStatus.SKIPPED;
            if (notDone && t.release() == null) {
                resumeAt.put(t.name(), resumePoint(plan, t, provenance));
            }
        }
        if (resumeAt.isEmpty()) {
            throw new CommandRejected("run " + source.runId() + " has no target to retry: every target succeeded or"
                    + " was released from isolation by a person");
        }
        List<String> targets = List.copyOf(resumeAt.keySet());
        RunPlan retryPlan = new RunPlan(plan.playbook(), plan.digest(), plan.steps(), targets, plan.strategy(),
                only(plan.groups(), targets), plan.onBusy(), only(plan.labels(), targets));
        List<RunEvent> events = new ArrayList<>();
        events.add(new RunRequested(cmd.runId(), retryPlan, source.params(), source.ticket(), null, cmd.actor(),
                cmd.at()));
        events.add(new RetryRequested(source.runId(), targets, cmd.actor(), cmd.at()));
        for (String target : targets) {
            TargetState t = source.target(target).orElseThrow();
            for (int i = 0; i < resumeAt.get(target); i++) {
                PlannedStep p = plan.steps().get(i);
                StepState s = t.step(p.id()).orElseThrow();
                if (!p.compensationOnly()) {
                    Provenance.Where where = provenance.ended(target, p.id());
                    events.add(new StepCarriedOver(target, p.id(), s.status(), s.exitCode(), s.outputs(),
                            where.run(), where.seq(), SYSTEM, cmd.at()));
                }
            }
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < cmd.skips().size(); i++) {
            RetryRun.Skip skip = cmd.skips().get(i);
            String field = "skip[" + i + "]";
            checkSkip(skip, field, plan, resumeAt, provenance);
            if (!seen.add(skip.target() + "\n" + skip.step())) {
                throw new CommandRejected.InvalidPart(field, "step '" + skip.step() + "' on '" + skip.target()
                        + "' is named twice");
            }
            events.add(new StepSkippedByPerson(skip.target(), skip.step(), skip.reason().strip(), cmd.actor(),
                    cmd.at()));
        }
        return events;
    }

    /**
     * The index of the step the target resumes at: the first step of the order that did not end SUCCEEDED or
     * SKIPPED by its own event, or an earlier one whose undo was started.
     */
    private static int resumePoint(RunPlan plan, TargetState target, Provenance provenance) {
        int resume = plan.steps().size();
        for (int i = 0; i < plan.steps().size(); i++) {
            PlannedStep p = plan.steps().get(i);
            if (p.compensationOnly()) {
                continue;
            }
            StepState s = target.step(p.id()).orElseThrow();
            boolean ended = (s.status() == WorkStatus.SUCCEEDED || s.status() == WorkStatus.SKIPPED)
                    && provenance.ended(target.name(), p.id()) != null;
            if (!ended) {
                resume = i;
                break;
            }
        }
        for (String undone : provenance.undoStarted(target.name())) {
            resume = Math.min(resume, plan.indexOf(undone));
        }
        return resume;
    }

    private static void checkSkip(RetryRun.Skip skip, String field, RunPlan plan, Map<String, Integer> resumeAt,
                                  Provenance provenance) {
        if (skip.reason() == null || skip.reason().isBlank()) {
            throw new CommandRejected.InvalidPart(field + ".reason", "a skip needs a reason: why the step need not run");
        }
        Integer resume = resumeAt.get(skip.target());
        if (resume == null) {
            throw new CommandRejected.InvalidPart(field + ".target", "'" + skip.target() + "' is not a target this"
                    + " retry goes on with (" + String.join(", ", resumeAt.keySet()) + ")");
        }
        int index = plan.indexOf(skip.step());
        if (index < 0) {
            throw new CommandRejected.InvalidPart(field + ".step", "playbook " + plan.playbook() + " has no step '"
                    + skip.step() + "'");
        }
        PlannedStep p = plan.step(skip.step());
        String refused = null;
        if (index < resume && !p.compensationOnly()) {
            refused = "it is carried over: it ended in the run retried, and '" + skip.target() + "' resumes at step '"
                    + plan.steps().get(resume).id() + "'";
        } else if (!p.verifies().isEmpty()) {
            refused = "it verifies the server (" + p.verifies().stream().map(v -> v.name().toLowerCase())
                    .sorted().reduce((a, b) -> a + ", " + b).orElse("") + "): the verdict, and whether the server"
                    + " may return to service, rest on it";
        } else if (p.restores()) {
            refused = "it returns the server to service, which only the run's own verification allows";
        } else if (p.liftsMitigation()) {
            refused = "it lifts a mitigation, which only the run's own verification allows";
        } else if (p.compensate() != null) {
            refused = "it protects the server and is undone by step '" + p.compensate() + "': without it the undo"
                    + " would have nothing to stand on";
        } else if (p.compensationOnly()) {
            refused = "it only undoes another step, never runs in the order";
        } else if (!p.readOnly() && provenance.endedWithoutOutcome(skip.target(), skip.step())) {
            refused = "its last attempt changed the server and ended without a known outcome: it may have run only"
                    + " partly, so it runs again";
        }
        if (refused != null) {
            throw new CommandRejected.InvalidPart(field + ".step", "step '" + skip.step() + "' on '" + skip.target()
                    + "' may not be skipped: " + refused);
        }
    }

    private static <V> Map<String, V> only(Map<String, V> byTarget, List<String> targets) {
        Map<String, V> kept = new HashMap<>(byTarget);
        kept.keySet().retainAll(targets);
        return kept;
    }

    /** Where, in the source run, each step of each target ended in its order, and which steps an undo touched. */
    private record Provenance(Map<String, Where> ended, Map<String, Set<String>> undone,
                              Set<String> withoutOutcome) {

        record Where(UUID run, long seq) {
        }

        static Provenance of(List<RetryRun.Recorded> source) {
            UUID runId = null;
            Map<String, Where> ended = new HashMap<>();
            Map<String, Set<String>> undone = new HashMap<>();
            Set<String> withoutOutcome = new HashSet<>();
            Set<String> compensating = new HashSet<>();
            Set<String> targetsEnded = new HashSet<>();
            for (RetryRun.Recorded recorded : source) {
                RunEvent e = recorded.event();
                if (e instanceof RunRequested requested) {
                    runId = requested.runId();
                } else if (e instanceof RunEvent.EndsTarget t) {
                    targetsEnded.add(t.target());
                } else if (e instanceof RunEvent.AtStep at && targetsEnded.contains(at.target())) {
                    continue; // a release's restore step, after the target ended: not the run's order
                }
                if (!(e instanceof RunEvent.AtStep at)) {
                    if (e instanceof RunEvent.CompensationStarted c) {
                        undone.computeIfAbsent(c.target(), k -> new HashSet<>()).addAll(c.steps());
                    }
                    continue;
                }
                String key = at.target() + "\n" + at.step();
                if (e instanceof RunEvent.StepStarted started) {
                    if (started.compensates() != null) {
                        compensating.add(key);
                    } else {
                        compensating.remove(key);
                    }
                    withoutOutcome.remove(key);
                } else if (e instanceof RunEvent.StepSucceeded && !compensating.contains(key)
                        || e instanceof RunEvent.StepSkipped || e instanceof RunEvent.StepSkippedByPerson) {
                    ended.put(key, new Where(runId, recorded.seq()));
                } else if (e instanceof StepCarriedOver carried) {
                    // Carried over by an earlier retry: the record it names is the first one.
                    ended.put(key, new Where(carried.fromRun(), carried.fromSeq()));
                } else if (e instanceof RunEvent.StepTimedOut || e instanceof RunEvent.StepInterrupted) {
                    withoutOutcome.add(key);
                } else if (e instanceof RunEvent.StepFailed) {
                    withoutOutcome.remove(key);
                }
            }
            return new Provenance(ended, undone, withoutOutcome);
        }

        Where ended(String target, String step) {
            return ended.get(target + "\n" + step);
        }

        Set<String> undoStarted(String target) {
            return undone.getOrDefault(target, Set.of());
        }

        boolean endedWithoutOutcome(String target, String step) {
            return withoutOutcome.contains(target + "\n" + step);
        }
    }
}
