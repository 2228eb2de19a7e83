package io.antidote.workflow;

import io.antidote.workflow.RunCommand.Advance;
import io.antidote.workflow.RunCommand.RecordOutcome;
import io.antidote.workflow.RunCommand.Recover;
import io.antidote.workflow.RunEvent.ApprovalRequested;
import io.antidote.workflow.RunEvent.CompensationStarted;
import io.antidote.workflow.RunEvent.RunRequested;
import io.antidote.workflow.RunEvent.RunStarted;
import io.antidote.workflow.RunEvent.RunSucceeded;
import io.antidote.workflow.RunEvent.StepFailed;
import io.antidote.workflow.RunEvent.StepSkipped;
import io.antidote.workflow.RunEvent.StepStarted;
import io.antidote.workflow.RunEvent.StepSucceeded;
import io.antidote.workflow.RunEvent.TargetFailed;
import io.antidote.workflow.RunEvent.TargetStarted;
import io.antidote.workflow.RunEvent.TargetSucceeded;
import io.antidote.workflow.RunPlan.Approval;
import io.antidote.workflow.RunPlan.PlannedStep;
import io.antidote.workflow.RunPlan.Retry;
import io.antidote.workflow.RunPlan.When;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.antidote.workflow.DeciderSpec.givenEvents;
import static io.antidote.workflow.RunEvent.SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Steps with a {@code when} condition and steps that capture outputs: a false condition skips the step on
 * that target only, outputs are recorded with the step's success, and the fold of the events alone gives
 * them back (so a run resumed after a crash sees the same values).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StepConditionsTest {

    static final UUID RUN = UUID.fromString("00000000-0000-0000-0000-000000000003");
    static final Instant T0 = Instant.parse("2021-03-03T08:00:00Z");
    static final Instant T1 = T0.plusSeconds(1);
    static final Instant T2 = T0.plusSeconds(2);

    static final When NOT_PATCHED = new When(null, "precheck", "patched", true, true);

    static PlannedStep step(String id, When when) {
        return new PlannedStep(id, Retry.NONE, 0, null, null, false, false, false, when);
    }

    static RunRequested requested(Map<String, Object> params, PlannedStep... steps) {
        return new RunRequested(RUN, new RunPlan("p", "d", List.of(steps), List.of("ex01", "ex02")), params, null,
                null, "alice", T0);
    }

    static final RunRequested PATCH_UNLESS_PATCHED = requested(Map.of(), step("precheck", null),
            step("patch", NOT_PATCHED), step("verify", null));

    static List<RunEvent> events(RunEvent... events) {
        return new ArrayList<>(Arrays.asList(events));
    }

    static Map<String, Object> outputs(Object... nameValue) {
        Map<String, Object> outputs = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            outputs.put((String) nameValue[i], nameValue[i + 1]);
        }
        return outputs;
    }

    static StepOutcome okWith(Map<String, Object> outputs) {
        return new StepOutcome.Completed(0, "{}", "", List.of(), outputs);
    }

    static StepStarted started(String target, String step, Instant at) {
        return new StepStarted(target, step, 1, SYSTEM, at);
    }

    static StepSucceeded succeeded(String target, String step, Map<String, Object> outputs, Instant at) {
        return new StepSucceeded(target, step, 1, 0, "{}", "", outputs, SYSTEM, at);
    }

    /** ex01 is running precheck. */
    static List<RunEvent> precheckRunning(RunRequested requested) {
        return events(requested, new RunStarted(SYSTEM, T0), new TargetStarted("ex01", SYSTEM, T0),
                started("ex01", "precheck", T0));
    }

    @Test
    void a_step_whose_condition_is_false_is_skipped_with_the_condition_and_its_value_and_the_target_goes_on() {
        givenEvents(precheckRunning(PATCH_UNLESS_PATCHED))
                .whenCommand(new RecordOutcome("ex01", "precheck", 1, okWith(outputs("patched", true)), T1))
                .thenEvents(succeeded("ex01", "precheck", outputs("patched", true), T1),
                        new StepSkipped("ex01", "patch", "steps.precheck.patched notEquals true",
                                outputs("steps.precheck.patched", true), SYSTEM, T1),
                        started("ex01", "verify", T1));
    }

    @Test
    void a_step_whose_condition_holds_runs() {
        givenEvents(precheckRunning(PATCH_UNLESS_PATCHED))
                .whenCommand(new RecordOutcome("ex01", "precheck", 1, okWith(outputs("patched", false)), T1))
                .thenEvents(succeeded("ex01", "precheck", outputs("patched", false), T1),
                        started("ex01", "patch", T1));
    }

    @Test
    void the_condition_is_evaluated_per_target_on_that_targets_own_outputs() {
        List<RunEvent> given = precheckRunning(PATCH_UNLESS_PATCHED);
        given.add(succeeded("ex01", "precheck", outputs("patched", true), T1));
        given.add(new StepSkipped("ex01", "patch", NOT_PATCHED.text(), outputs("steps.precheck.patched", true),
                SYSTEM, T1));
        given.add(started("ex01", "verify", T1));
        given.add(new StepSucceeded("ex01", "verify", 1, 0, "", "", SYSTEM, T1));
        given.add(new TargetSucceeded("ex01", SYSTEM, T1));
        given.add(new TargetStarted("ex02", SYSTEM, T1));
        given.add(started("ex02", "precheck", T1));
        givenEvents(given)
                .whenCommand(new RecordOutcome("ex02", "precheck", 1, okWith(outputs("patched", false)), T2))
                .thenEvents(succeeded("ex02", "precheck", outputs("patched", false), T2),
                        started("ex02", "patch", T2));
    }

    @Test
    void an_output_not_captured_is_null_in_the_condition_and_in_the_skip_reason() {
        When buildKnown = new When(null, "precheck", "build", null, true);
        RunRequested requested = requested(Map.of(), step("precheck", null), step("patch", buildKnown));
        Map<String, Object> nothing = new HashMap<>();
        nothing.put("build", null);
        Map<String, Object> reason = new HashMap<>();
        reason.put("steps.precheck.build", null);
        givenEvents(precheckRunning(requested))
                .whenCommand(new RecordOutcome("ex01", "precheck", 1, okWith(nothing), T1))
                .thenEvents(succeeded("ex01", "precheck", nothing, T1),
                        new StepSkipped("ex01", "patch", "steps.precheck.build notEquals null", reason, SYSTEM, T1),
                        new TargetSucceeded("ex01", SYSTEM, T1), new TargetStarted("ex02", SYSTEM, T1),
                        started("ex02", "precheck", T1));
    }

    @Test
    void a_condition_on_a_parameter_reads_the_recorded_parameters_and_compares_with_the_type() {
        When full = new When("mode", null, null, "full", false);
        When threeCopies = new When("copies", null, null, 3L, false);
        // Recorded parameters come back from JSON with small numbers as Integer: 3 still equals 3.
        RunRequested requested = requested(Map.of("mode", "audit", "copies", 3), step("scan", full),
                step("copy", threeCopies));
        givenEvents(requested)
                .whenCommand(new Advance(T1))
                .thenEvents(new RunStarted(SYSTEM, T1), new TargetStarted("ex01", SYSTEM, T1),
                        new StepSkipped("ex01", "scan", "params.mode equals \"full\"", outputs("params.mode", "audit"),
                                SYSTEM, T1),
                        started("ex01", "copy", T1));
        assertThat(new When("mode", null, null, "3", false).holds(Map.of("mode", 3), Map.of()))
                .as("the string '3' is not the number 3").isFalse();
    }

    @Test
    void a_skipped_step_asks_for_no_approval() {
        PlannedStep patch = new PlannedStep("patch", Retry.NONE, 0, new Approval("approver", 0, false), null,
                false, false, false, NOT_PATCHED);
        RunRequested requested = requested(Map.of(), step("precheck", null), patch);
        givenEvents(precheckRunning(requested))
                .whenCommand(new RecordOutcome("ex01", "precheck", 1, okWith(outputs("patched", true)), T1))
                .thenEvents(succeeded("ex01", "precheck", outputs("patched", true), T1),
                        new StepSkipped("ex01", "patch", NOT_PATCHED.text(), outputs("steps.precheck.patched", true),
                                SYSTEM, T1),
                        new TargetSucceeded("ex01", SYSTEM, T1), new TargetStarted("ex02", SYSTEM, T1),
                        started("ex02", "precheck", T1));
        givenEvents(precheckRunning(requested))
                .whenCommand(new RecordOutcome("ex01", "precheck", 1, okWith(outputs("patched", false)), T1))
                .thenEvents(succeeded("ex01", "precheck", outputs("patched", false), T1),
                        new ApprovalRequested("ex01", "patch", "approver", null, SYSTEM, T1));
    }

    @Test
    void compensation_leaves_a_skipped_step_alone_there_is_nothing_to_undo() {
        // isolate is skipped (the server was already out of rotation); the patch fails: nothing is restored.
        When notIsolated = new When(null, "precheck", "isolated", true, true);
        RunRequested requested = requested(Map.of(), step("precheck", null),
                new PlannedStep("isolate", Retry.NONE, 0, null, "restore", false, false, true, notIsolated),
                step("patch", null),
                new PlannedStep("restore", Retry.NONE, 0, null, null, false, true, true));
        List<RunEvent> given = precheckRunning(requested);
        given.add(succeeded("ex01", "precheck", outputs("isolated", true), T1));
        given.add(new StepSkipped("ex01", "isolate", notIsolated.text(), outputs("steps.precheck.isolated", true),
                SYSTEM, T1));
        given.add(started("ex01", "patch", T1));
        givenEvents(given)
                .whenCommand(new RecordOutcome("ex01", "patch", 1, new StepOutcome.Errored("access denied"), T2))
                .thenEvents(new StepFailed("ex01", "patch", 1, null, List.of("access denied"), "", "", SYSTEM, T2),
                        new TargetFailed("ex01", "patch", "step 'patch' failed: access denied", SYSTEM, T2),
                        new RunEvent.TargetSkipped("ex02", "rollout stopped after 'ex01' failed", SYSTEM, T2),
                        new RunEvent.RunFailed("1 of 2 targets failed", SYSTEM, T2));
        // The same run with isolate done does undo it: the skip, not the plan, made the difference.
        List<RunEvent> isolated = precheckRunning(requested);
        isolated.add(succeeded("ex01", "precheck", outputs("isolated", false), T1));
        isolated.add(started("ex01", "isolate", T1));
        isolated.add(succeeded("ex01", "isolate", Map.of(), T1));
        isolated.add(started("ex01", "patch", T1));
        givenEvents(isolated)
                .whenCommand(new RecordOutcome("ex01", "patch", 1, new StepOutcome.Errored("access denied"), T2))
                .thenEvents(new StepFailed("ex01", "patch", 1, null, List.of("access denied"), "", "", SYSTEM, T2),
                        new CompensationStarted("ex01", "patch", "step 'patch' failed: access denied", false,
                                List.of("isolate"), SYSTEM, T2),
                        new StepStarted("ex01", "restore", 1, "isolate", SYSTEM, T2));
    }

    @Test
    void outputs_of_a_failed_attempt_are_not_recorded() {
        var missed = new StepOutcome.Completed(1, "{\"patched\":true}", "", List.of("exit code 1, expected 0"),
                outputs("patched", true));
        RunState after = givenEvents(precheckRunning(PATCH_UNLESS_PATCHED))
                .whenCommand(new RecordOutcome("ex01", "precheck", 1, missed, T1)).thenState();
        assertThat(after.target("ex01").orElseThrow().outputs()).isEmpty();
    }

    @Test
    void the_fold_of_the_events_alone_gives_back_the_outputs_so_a_resumed_run_renders_the_same_values() {
        Map<String, Object> hostile = outputs("build", "15.2.792.3'; Remove-Item C:\\ -Recurse #\n$(whoami)",
                "count", 3L, "patched", false, "missing", null);
        List<RunEvent> given = precheckRunning(PATCH_UNLESS_PATCHED);
        given.addAll(RunDecider.decide(new RecordOutcome("ex01", "precheck", 1, okWith(hostile), T1),
                RunDecider.fold(given)));
        // The process dies while patch runs; a new one knows only the events.
        RunState resumed = RunDecider.fold(List.copyOf(given));
        assertThat(resumed.target("ex01").orElseThrow().outputs()).containsOnlyKeys("precheck");
        assertThat(resumed.target("ex01").orElseThrow().outputs().get("precheck")).isEqualTo(hostile);
        givenEvents(given).whenCommand(new Recover(T2))
                .thenEvents(new RunEvent.StepOutcomeUnknown("ex01", "patch", 1, "the service stopped during attempt 1"
                        + " and the step changes the server; its marker on the host is probed", SYSTEM, T2));
    }

    @Test
    void a_run_where_every_condition_is_false_still_succeeds() {
        RunRequested requested = new RunRequested(RUN, new RunPlan("p", "d",
                List.of(step("precheck", null), step("patch", NOT_PATCHED)), List.of("ex01")), Map.of(), null, null,
                "alice", T0);
        List<RunEvent> given = events(requested, new RunStarted(SYSTEM, T0), new TargetStarted("ex01", SYSTEM, T0),
                started("ex01", "precheck", T0));
        givenEvents(given)
                .whenCommand(new RecordOutcome("ex01", "precheck", 1, okWith(outputs("patched", true)), T1))
                .thenEvents(succeeded("ex01", "precheck", outputs("patched", true), T1),
                        new StepSkipped("ex01", "patch", NOT_PATCHED.text(), outputs("steps.precheck.patched", true),
                                SYSTEM, T1),
                        new TargetSucceeded("ex01", SYSTEM, T1), new RunSucceeded(SYSTEM, T1));
        RunState after = givenEvents(given)
                .whenCommand(new RecordOutcome("ex01", "precheck", 1, okWith(outputs("patched", true)), T1))
                .thenState();
        assertThat(after.target("ex01").orElseThrow().step("patch").orElseThrow().status())
                .isEqualTo(WorkStatus.SKIPPED);
    }

    @Test
    void a_condition_names_a_parameter_or_a_step_output_never_both_or_neither() {
        assertThatThrownBy(() -> new When("mode", "precheck", "build", "x", false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new When(null, null, null, "x", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new When(null, "precheck", null, "x", false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
