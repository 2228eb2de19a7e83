package io.antidote.workflow;

import io.antidote.workflow.RunCommand.CancelMode;
import io.antidote.workflow.RunEvent.EndsRun;
import io.antidote.workflow.RunEvent.EndsStep;
import io.antidote.workflow.RunEvent.EndsTarget;
import io.antidote.workflow.RunPlan.PlannedStep;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.antidote.workflow.RunEvent.SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one list of event facts says what the fold does: an event marked as ending a target is exactly one
 * after which the fold finds that target finished, and likewise for runs; the stored names are the ones
 * streams already hold.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RunEventTypesTest {

    static final Instant AT = Instant.parse("2021-03-03T08:00:00Z");
    static final RunPlan PLAN = new RunPlan("p", "ab".repeat(32),
            List.of(new PlannedStep("a"), new PlannedStep("b")), List.of("t1", "t2"));

    /** A run at work on step a of target t1, the state every event below is folded into. */
    static final List<RunEvent> AT_WORK = List.of(
            new RunEvent.RunRequested(UUID.randomUUID(), PLAN, Map.of(), null, null, "alice", AT),
            new RunEvent.RunStarted(SYSTEM, AT),
            new RunEvent.TargetStarted("t1", SYSTEM, AT),
            new RunEvent.StepStarted("t1", "a", 1, SYSTEM, AT));

    /** Each kind of event that can follow {@link #AT_WORK}, after what it needs to be recorded first. */
    static final List<List<RunEvent>> EACH_AFTER_WORK = List.of(
            List.of(new RunEvent.RunStarted(SYSTEM, AT)),
            List.of(new RunEvent.TargetStarted("t2", SYSTEM, AT)),
            List.of(new RunEvent.StepStarted("t1", "b", 1, SYSTEM, AT)),
            List.of(new RunEvent.StepBegan("t1", "a", 1, SYSTEM, AT)),
            List.of(new RunEvent.StepSucceeded("t1", "a", 1, 0, "", "", SYSTEM, AT)),
            List.of(new RunEvent.StepSkipped("t1", "b", "params.x equals 1", Map.of(), SYSTEM, AT)),
            List.of(new RunEvent.StepFailed("t1", "a", 1, 1, List.of("exit code 1"), "", "", SYSTEM, AT)),
            List.of(new RunEvent.StepTimedOut("t1", "a", 1, "timed out", SYSTEM, AT)),
            List.of(new RunEvent.StepInterrupted("t1", "a", 1, "the service stopped", false, SYSTEM, AT)),
            List.of(new RunEvent.StepOutcomeUnknown("t1", "a", 1, "the service stopped", SYSTEM, AT)),
            List.of(new RunEvent.StepOutcomeUnknown("t1", "a", 1, "the service stopped", SYSTEM, AT),
                    new RunEvent.StepOutcomeFound("t1", "a", 1, HostMarker.STARTED, "started, not finished", SYSTEM,
                            AT)),
            List.of(new RunEvent.StepRetryScheduled("t1", "a", 2, AT, "connection refused", SYSTEM, AT)),
            List.of(new RunEvent.ApprovalRequested("t1", "b", "approver", null, SYSTEM, AT)),
            List.of(new RunEvent.ApprovalGranted("t1", "b", null, "bob", AT)),
            List.of(new RunEvent.ApprovalRejected("t1", "b", null, "bob", AT)),
            List.of(new RunEvent.ApprovalTimedOut("t1", "b", SYSTEM, AT)),
            List.of(compensating()),
            List.of(compensating(), new RunEvent.StepCompensated("t1", "a", "b", SYSTEM, AT)),
            List.of(compensating(), new RunEvent.CompensationFailed("t1", "a", "b", "refused", SYSTEM, AT)),
            List.of(new RunEvent.TargetWaiting("t2", "another run holds 't2'", SYSTEM, AT)),
            List.of(new RunEvent.TargetVerdictRecorded("t1", new Verdict(Verdict.Patch.VULNERABLE,
                    Verdict.Compromise.UNKNOWN, List.of(), Verdict.Service.ISOLATED, List.of("not fixed")), SYSTEM, AT)),
            List.of(new RunEvent.TargetReleased("t1", "b", "checked by hand", "admin", AT)),
            List.of(new RunEvent.TargetCancelled("t1", "cancelled", SYSTEM, AT)),
            List.of(new RunEvent.CancelRequested(CancelMode.INTERRUPT, "carol", AT)),
            List.of(new RunEvent.RunCancelled("cancelled", SYSTEM, AT)),
            List.of(new RunEvent.TargetSucceeded("t1", SYSTEM, AT)),
            List.of(new RunEvent.TargetFailed("t1", "a", "step 'a' failed", SYSTEM, AT)),
            List.of(new RunEvent.TargetSkipped("t2", "rollout stopped", SYSTEM, AT)),
            List.of(new RunEvent.RunSucceeded(SYSTEM, AT)),
            List.of(new RunEvent.RunFailed("1 of 2 targets failed", SYSTEM, AT)),
            List.of(new RunEvent.RetryRequested(UUID.randomUUID(), List.of("t1", "t2"), "alice", AT)),
            List.of(new RunEvent.StepCarriedOver("t2", "a", WorkStatus.SUCCEEDED, 0, Map.of(), UUID.randomUUID(), 5,
                    SYSTEM, AT)),
            List.of(new RunEvent.StepSkippedByPerson("t1", "b", "checked by hand", "admin", AT)));

    private static RunEvent compensating() {
        return new RunEvent.CompensationStarted("t1", "a", "step 'a' failed", false, List.of("a"), SYSTEM, AT);
    }

    @Test
    void every_kind_of_event_is_checked_here() {
        List<Class<?>> checked = new ArrayList<>(List.of(RunEvent.RunRequested.class));
        EACH_AFTER_WORK.forEach(events -> checked.add(last(events).getClass()));
        assertThat(checked).as("event kinds folded by this test").containsExactlyInAnyOrderElementsOf(RunEventTypes.ALL);
    }

    /** The visitor is what makes folds exhaustive: each kind must land in its own method, and no other. */
    @Test
    void every_kind_of_event_reaches_the_visitor_method_named_after_it() {
        List<String> called = new ArrayList<>();
        @SuppressWarnings("unchecked")
        RunEvent.Visitor<Object> recorder = (RunEvent.Visitor<Object>) Proxy.newProxyInstance(
                RunEvent.Visitor.class.getClassLoader(), new Class<?>[] {RunEvent.Visitor.class},
                (proxy, method, args) -> {
                    called.add(method.getName() + ":" + args[0].getClass().getSimpleName());
                    return null;
                });
        List<RunEvent> oneOfEach = new ArrayList<>(List.of(AT_WORK.get(0)));
        EACH_AFTER_WORK.forEach(events -> oneOfEach.add(last(events)));
        oneOfEach.forEach(event -> event.accept(recorder));

        assertThat(called).as("visitor methods called, one event of each kind").containsExactlyElementsOf(
                oneOfEach.stream().map(e -> {
                    String name = e.getClass().getSimpleName();
                    return Character.toLowerCase(name.charAt(0)) + name.substring(1) + ":" + name;
                }).toList());
        assertThat(RunEvent.Visitor.class.getDeclaredMethods()).as("one visitor method per kind of event")
                .hasSize(RunEventTypes.ALL.size());
    }

    @Test
    void an_event_ends_a_target_exactly_when_the_fold_finds_the_target_finished_after_it() {
        for (List<RunEvent> events : EACH_AFTER_WORK) {
            RunEvent event = last(events);
            if (!(event instanceof RunEvent.OfTarget ofTarget)) {
                assertThat(event).isNotInstanceOf(EndsTarget.class);
                continue;
            }
            boolean before = target(fold(AT_WORK), ofTarget.target()).status().finished();
            boolean after = target(fold(concat(AT_WORK, events)), ofTarget.target()).status().finished();
            assertThat(!before && after).as("%s finishes %s", event, ofTarget.target())
                    .isEqualTo(event instanceof EndsTarget);
        }
    }

    @Test
    void an_event_ends_a_run_exactly_when_the_fold_finds_the_run_over_after_it() {
        assertThat(RunDecider.isTerminal(fold(AT_WORK))).isFalse();
        for (List<RunEvent> events : EACH_AFTER_WORK) {
            RunEvent event = last(events);
            assertThat(RunDecider.isTerminal(fold(concat(AT_WORK, events)))).as("%s ends the run", event)
                    .isEqualTo(event instanceof EndsRun);
        }
    }

    @Test
    void an_event_that_ends_a_step_leaves_its_attempt_no_longer_running() {
        for (List<RunEvent> events : EACH_AFTER_WORK) {
            if (last(events) instanceof EndsStep ended) {
                assertThat(ended.attempt()).as("the attempt %s ends", ended).isEqualTo(1);
                StepState step = target(fold(concat(AT_WORK, events)), ended.target()).step(ended.step()).orElseThrow();
                assertThat(step.status()).as("%s after %s", ended.step(), ended).isNotEqualTo(WorkStatus.RUNNING);
            }
        }
        assertThat(RunEventTypes.namesOf(EndsStep.class))
                .containsExactlyInAnyOrder("StepSucceeded", "StepFailed", "StepTimedOut", "StepInterrupted");
    }

    @Test
    void the_sets_the_store_queries_by_are_read_off_the_markers() {
        assertThat(RunEventTypes.ENDING_TARGET)
                .containsExactlyInAnyOrder("TargetSucceeded", "TargetFailed", "TargetCancelled", "TargetSkipped");
        assertThat(RunEventTypes.ENDING_RUN).containsExactlyInAnyOrder("RunSucceeded", "RunFailed", "RunCancelled");
    }

    /** Names in streams already written: renaming an event's record would leave its history unreadable. */
    @Test
    void the_stored_names_are_the_ones_streams_already_hold() {
        assertThat(RunEventTypes.ALL.stream().map(RunEventTypes::nameOf)).containsExactlyInAnyOrder(
                "RunRequested", "RunStarted", "TargetStarted", "StepStarted", "StepSucceeded", "StepFailed",
                "TargetSucceeded", "TargetFailed", "TargetSkipped", "RunSucceeded", "RunFailed", "StepTimedOut",
                "StepInterrupted", "StepRetryScheduled", "ApprovalRequested", "ApprovalGranted", "ApprovalRejected",
                "ApprovalTimedOut", "CompensationStarted", "StepCompensated", "CompensationFailed", "TargetWaiting",
                "TargetCancelled", "CancelRequested", "RunCancelled", "StepSkipped", "TargetVerdictRecorded",
                "TargetReleased", "StepOutcomeUnknown", "StepOutcomeFound", "StepBegan", "RetryRequested",
                "StepCarriedOver", "StepSkippedByPerson");
    }

    private static RunState fold(List<RunEvent> events) {
        return RunDecider.fold(events);
    }

    private static TargetState target(RunState state, String name) {
        return state.target(name).orElseThrow();
    }

    private static RunEvent last(List<RunEvent> events) {
        return events.get(events.size() - 1);
    }

    private static List<RunEvent> concat(List<RunEvent> a, List<RunEvent> b) {
        List<RunEvent> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
