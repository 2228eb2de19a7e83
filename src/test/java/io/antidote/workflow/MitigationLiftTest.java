package io.antidote.workflow;

import io.antidote.workflow.RunCommand.Cancel;
import io.antidote.workflow.RunCommand.CancelMode;
import io.antidote.workflow.RunCommand.RecordOutcome;
import io.antidote.workflow.RunEvent.CancelRequested;
import io.antidote.workflow.RunEvent.CompensationStarted;
import io.antidote.workflow.RunEvent.RunCancelled;
import io.antidote.workflow.RunEvent.RunFailed;
import io.antidote.workflow.RunEvent.RunRequested;
import io.antidote.workflow.RunEvent.RunStarted;
import io.antidote.workflow.RunEvent.StepStarted;
import io.antidote.workflow.RunEvent.StepSucceeded;
import io.antidote.workflow.RunEvent.TargetCancelled;
import io.antidote.workflow.RunEvent.TargetFailed;
import io.antidote.workflow.RunEvent.TargetStarted;
import io.antidote.workflow.RunPlan.PlannedStep;
import io.antidote.workflow.RunPlan.Retry;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.antidote.workflow.DeciderSpec.givenEvents;
import static io.antidote.workflow.RunEvent.SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, points 1 and 6: a step that takes a mitigation away ({@code liftsMitigation}) makes the server reachable
 * again to the attack the fix closes, so the engine runs it, in its order or as an undo after a failure or a
 * cancel, only once the same run verified the server fixed; otherwise the mitigation stays and the verdict says why.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MitigationLiftTest {

    static final UUID RUN = UUID.fromString("00000000-0000-0000-0000-000000000612");
    static final Instant T0 = Instant.parse("2021-03-03T08:00:00Z");
    static final Instant T1 = T0.plusSeconds(1);

    static PlannedStep step(String id, String compensate, Set<Verification> verifies, boolean lifts) {
        return new PlannedStep(id, Retry.NONE, 0, null, compensate, false, false, true, null, false, verifies, false,
                lifts);
    }

    /** The mitigation is undone by the lift, which also runs in its order once the build is verified. */
    static final RunPlan PLAN = new RunPlan("proxylogon-remediation", "ef".repeat(32), List.of(
            step("precheck", null, Set.of(Verification.FIXED), false),
            step("mitigate", "lift", Set.of(), false),
            step("lift", null, Set.of(), true),
            step("verify", null, Set.of(Verification.FIXED), false)), List.of("ex01"));

    static List<RunEvent> mitigating(boolean patched) {
        return new ArrayList<>(List.of(new RunRequested(RUN, PLAN, Map.of(), null, null, "alice", T0),
                new RunStarted(SYSTEM, T0), new TargetStarted("ex01", SYSTEM, T0),
                new StepStarted("ex01", "precheck", 1, SYSTEM, T0),
                new StepSucceeded("ex01", "precheck", 1, 0, "", "", Map.of("patched", patched), SYSTEM, T0),
                new StepStarted("ex01", "mitigate", 1, SYSTEM, T0)));
    }

    static StepOutcome ok() {
        return new StepOutcome.Completed(0, "", "", List.of(), Map.of());
    }

    @Test
    void on_a_server_this_run_did_not_verify_fixed_the_lift_is_not_run_and_the_target_fails_saying_why() {
        String reason = "step 'lift' not run, the mitigation stays: this run did not verify the server fixed"
                + " (vulnerable: step 'precheck' found it without the fix)";
        List<RunEvent> events = givenEvents(mitigating(false))
                .whenCommand(new RecordOutcome("ex01", "mitigate", 1, ok(), T1))
                .thenEvents(new StepSucceeded("ex01", "mitigate", 1, 0, "", "", Map.of(), SYSTEM, T1),
                        new TargetFailed("ex01", "lift", reason, SYSTEM, T1),
                        new RunFailed("1 of 1 targets failed", SYSTEM, T1));
        assertThat(events).noneMatch(e -> e instanceof StepStarted s && s.step().equals("lift"));
        assertThat(events).noneMatch(CompensationStarted.class::isInstance);
    }

    @Test
    void on_a_server_this_run_verified_fixed_the_lift_runs_in_its_order() {
        givenEvents(mitigating(true))
                .whenCommand(new RecordOutcome("ex01", "mitigate", 1, ok(), T1))
                .thenEvents(new StepSucceeded("ex01", "mitigate", 1, 0, "", "", Map.of(), SYSTEM, T1),
                        new StepStarted("ex01", "lift", 1, SYSTEM, T1));
    }

    @Test
    void a_cancel_on_a_server_not_verified_fixed_leaves_the_mitigation_in_place() {
        List<RunEvent> mitigated = new ArrayList<>(mitigating(false));
        mitigated.add(new CancelRequested(CancelMode.FINISH_STEP, "carol", T0));
        List<RunEvent> ended = givenEvents(mitigated)
                .whenCommand(new RecordOutcome("ex01", "mitigate", 1, ok(), T1))
                .thenEvents(new StepSucceeded("ex01", "mitigate", 1, 0, "", "", Map.of(), SYSTEM, T1),
                        new TargetCancelled("ex01", "cancelled by request", SYSTEM, T1),
                        new RunCancelled("cancelled by request", SYSTEM, T1));
        assertThat(ended).noneMatch(e -> e instanceof StepStarted s && s.step().equals("lift"));
    }

    @Test
    void a_cancel_on_a_server_verified_fixed_undoes_the_mitigation() {
        List<RunEvent> mitigated = new ArrayList<>(mitigating(true));
        mitigated.add(new CancelRequested(CancelMode.FINISH_STEP, "carol", T0));
        givenEvents(mitigated)
                .whenCommand(new RecordOutcome("ex01", "mitigate", 1, ok(), T1))
                .thenEvents(new StepSucceeded("ex01", "mitigate", 1, 0, "", "", Map.of(), SYSTEM, T1),
                        new CompensationStarted("ex01", null, "cancelled by request", true, List.of("mitigate"),
                                SYSTEM, T1),
                        new StepStarted("ex01", "lift", 1, "mitigate", SYSTEM, T1));
    }
}
