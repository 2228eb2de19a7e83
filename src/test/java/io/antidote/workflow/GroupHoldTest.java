package io.antidote.workflow;

import io.antidote.workflow.RunCommand.Advance;
import io.antidote.workflow.RunCommand.RecordOutcome;
import io.antidote.workflow.RunCommand.ReleaseTarget;
import io.antidote.workflow.RunEvent.RunRequested;
import io.antidote.workflow.RunEvent.RunStarted;
import io.antidote.workflow.RunEvent.StepStarted;
import io.antidote.workflow.RunEvent.StepSucceeded;
import io.antidote.workflow.RunEvent.TargetReleased;
import io.antidote.workflow.RunEvent.TargetStarted;
import io.antidote.workflow.RunEvent.TargetWaiting;
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
 * Issue 12, point 5, in the pure core: a target that ended with its maintenance kept ({@code holdsGroup}, kept on
 * failure) still holds its DAG ({@link RunState#keptHold}, which the engine turns into a kept group lease); a
 * release ends that maintenance (the kept step's undo) before it reopens the server, which lets the DAG go; and a
 * member that waits for such a DAG says which member and which run hold it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GroupHoldTest {

    static final UUID RUN = UUID.fromString("00000000-0000-0000-0000-000000001205");
    static final UUID OTHER = UUID.fromString("00000000-0000-0000-0000-000000001206");
    static final Instant T0 = Instant.parse("2021-03-03T08:00:00Z");
    static final Instant T1 = T0.plusSeconds(1);
    static final Instant T2 = T0.plusSeconds(2);

    static PlannedStep step(String id, String compensate, boolean keep, boolean restores, boolean holdsGroup) {
        return new PlannedStep(id, Retry.NONE, 0, null, compensate, keep, false, true, null, restores,
                Set.of(), false, false, holdsGroup);
    }

    static final RunPlan PLAN = new RunPlan("proxylogon-remediation", "cd".repeat(32), List.of(
            new PlannedStep("precheck", Retry.NONE, 0, null, null, false, false, true, null, false,
                    Set.of(Verification.FIXED)),
            step("isolate", "restore", true, false, false),
            step("maintenance", "leave-maintenance", true, false, true),
            step("patch", null, false, false, false),
            step("leave-maintenance", null, false, false, false),
            step("restore", null, false, true, false)), List.of("ex01", "ex02"),
            new RunPlan.Strategy(1, 0, 2), Map.of("ex01", "dag=DAG01", "ex02", "dag=DAG01"));

    static List<RunEvent> ran(String target, String step) {
        return List.of(new StepStarted(target, step, 1, SYSTEM, T0),
                new StepSucceeded(target, step, 1, 0, "", "", Map.of(), SYSTEM, T0));
    }

    /** ex01 unpatched, isolated and in maintenance; its patch is running. */
    static List<RunEvent> patching() {
        List<RunEvent> events = new ArrayList<>(List.of(new RunRequested(RUN, PLAN, Map.of(), null, null, "alice", T0),
                new RunStarted(SYSTEM, T0), new TargetStarted("ex01", SYSTEM, T0)));
        events.addAll(List.of(new StepStarted("ex01", "precheck", 1, SYSTEM, T0),
                new StepSucceeded("ex01", "precheck", 1, 0, "", "", Map.of("patched", false, "build", "15.1.2176.2"),
                        SYSTEM, T0)));
        events.addAll(ran("ex01", "isolate"));
        events.addAll(ran("ex01", "maintenance"));
        events.add(new StepStarted("ex01", "patch", 1, SYSTEM, T0));
        return events;
    }

    /** Who holds the DAG once ex01 failed in maintenance, as the store answers when it refuses ex02's start. */
    static final GroupHold KEPT = new GroupHold("dag=DAG01", "ex01", RUN, "maintenance");

    /**
     * ex01's patch failed (the failure threshold of 2 lets the rollout go on): the decider starts ex02, the store
     * refuses its DAG, and the command is decided again with the DAG busy, as the engine does.
     */
    static List<RunEvent> failedInMaintenance() {
        List<RunEvent> given = new ArrayList<>(patching());
        given.addAll(RunDecider.decide(new RecordOutcome("ex01", "patch", 1,
                new StepOutcome.Completed(1603, "", "msiexec failed", List.of("exit code 1603, expected 0"), Map.of()),
                T1), RunDecider.fold(patching()), Set.of("dag=DAG01"), Map.of("dag=DAG01", KEPT)));
        return given;
    }

    @Test
    void a_target_whose_patch_failed_keeps_its_maintenance_and_so_its_dag() {
        RunState state = RunDecider.fold(failedInMaintenance());
        assertThat(state.target("ex01").orElseThrow().status()).isEqualTo(WorkStatus.FAILED);
        assertThat(state.keptHold("ex01")).as("the step that keeps the DAG held for ex01").contains("maintenance");
        assertThat(RunDecider.fold(patching()).keptHold("ex01")).as("while ex01 runs").isEmpty();
    }

    @Test
    void a_member_waiting_for_a_dag_kept_for_a_member_in_maintenance_names_the_member_and_the_run() {
        List<TargetWaiting> waited = failedInMaintenance().stream().filter(TargetWaiting.class::isInstance)
                .map(TargetWaiting.class::cast).toList();
        assertThat(waited).as("ex02's waiting in the same run").containsExactly(
                new TargetWaiting("ex02", KEPT.reason(), SYSTEM, T1));
        assertThat(waited.get(0).reason()).contains("'dag=DAG01'", "'ex01'", RUN.toString(), "'maintenance'",
                "still in maintenance");
        assertThat(failedInMaintenance()).as("ex02 never started").noneMatch(e -> e instanceof TargetStarted t
                && t.target().equals("ex02"));

        // A run that finds the DAG so held when it advances says the same.
        GroupHold live = new GroupHold("dag=DAG01", "ex07", OTHER, null);
        List<RunEvent> fresh = List.of(new RunRequested(OTHER, PLAN, Map.of(), null, null, "bob", T0));
        givenEvents(fresh).whenCommand(new Advance(T2, Set.of("dag=DAG01"), Map.of("dag=DAG01", live)))
                .thenEvents(new RunStarted(SYSTEM, T2), new TargetWaiting("ex01", live.reason(), SYSTEM, T2));
        assertThat(live.reason()).isEqualTo("another run holds a member of its group 'dag=DAG01': 'ex07' in run "
                + OTHER);
    }

    @Test
    void a_release_ends_the_kept_maintenance_before_it_reopens_the_server_and_that_lets_the_dag_go() {
        List<RunEvent> given = new ArrayList<>(failedInMaintenance());
        givenEvents(given).whenCommand(new ReleaseTarget("ex01", "patched by hand (CHG-12)", "dana", T2))
                .withAlsoBusy("dag=DAG01")
                .thenEvents(new TargetReleased("ex01", "restore", "patched by hand (CHG-12)", "dana", T2),
                        new StepStarted("ex01", "leave-maintenance", 1, null, "dana", T2));
        given.add(new TargetReleased("ex01", "restore", "patched by hand (CHG-12)", "dana", T2));
        given.add(new StepStarted("ex01", "leave-maintenance", 1, null, "dana", T2));
        assertThat(RunDecider.fold(given).keptHold("ex01")).as("while the release ends the maintenance")
                .contains("maintenance");

        List<RunEvent> ended = RunDecider.decide(new RecordOutcome("ex01", "leave-maintenance", 1,
                new StepOutcome.Completed(0, "", "", List.of(), Map.of()), T2), RunDecider.fold(given), Set.of("ex02"));
        assertThat(ended).startsWith(new StepSucceeded("ex01", "leave-maintenance", 1, 0, "", "", Map.of(), SYSTEM, T2),
                new StepStarted("ex01", "restore", 1, null, SYSTEM, T2));
        given.addAll(ended);
        assertThat(RunDecider.fold(given).keptHold("ex01")).as("once the maintenance ended").isEmpty();
    }
}
