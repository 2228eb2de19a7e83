package io.antidote.workflow;

import io.antidote.workflow.RunCommand.Advance;
import io.antidote.workflow.RunCommand.RecordOutcome;
import io.antidote.workflow.RunCommand.RequestRun;
import io.antidote.workflow.RunEvent.RunFailed;
import io.antidote.workflow.RunEvent.RunRequested;
import io.antidote.workflow.RunEvent.RunStarted;
import io.antidote.workflow.RunEvent.RunSucceeded;
import io.antidote.workflow.RunEvent.StepFailed;
import io.antidote.workflow.RunEvent.StepStarted;
import io.antidote.workflow.RunEvent.StepSucceeded;
import io.antidote.workflow.RunEvent.TargetFailed;
import io.antidote.workflow.RunEvent.TargetSkipped;
import io.antidote.workflow.RunEvent.TargetStarted;
import io.antidote.workflow.RunEvent.TargetSucceeded;
import io.antidote.workflow.RunEvent.TargetWaiting;
import io.antidote.workflow.RunPlan.PlannedStep;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.antidote.workflow.DeciderSpec.givenEvents;
import static io.antidote.workflow.RunEvent.SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run rules of the walking skeleton, one rule a test: targets one at a time, steps in order, a failed
 * step stops its target before the steps that would bring the server back, and the first failed target
 * stops the rollout.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RunDeciderTest {

    static final UUID RUN = UUID.fromString("00000000-0000-0000-0000-000000000001");
    static final Instant T0 = Instant.parse("2021-03-03T08:00:00Z");
    static final Instant T1 = T0.plusSeconds(1);
    static final Instant T2 = T0.plusSeconds(2);
    static final RunPlan PLAN = new RunPlan("proxylogon-remediation", "d1gest",
            List.of(new PlannedStep("isolate"), new PlannedStep("patch"), new PlannedStep("restore")),
            List.of("ex01", "ex02"));

    static final RunRequested REQUESTED = new RunRequested(RUN, PLAN, Map.of("patchShare", "C:\\Patches"),
            "INC-1", "key-1", "alice", T0);
    static final RunStarted STARTED = new RunStarted(SYSTEM, T1);

    static StepOutcome ok() {
        return new StepOutcome.Completed(0, "done", "", List.of());
    }

    @Test
    void requesting_a_run_records_its_plan_and_who_asked() {
        givenEvents()
                .whenCommand(new RequestRun(RUN, PLAN, Map.of("patchShare", "C:\\Patches"), "INC-1", "key-1", "alice", T0))
                .thenEvents(REQUESTED);
    }

    @Test
    void a_run_is_requested_only_once() {
        givenEvents(REQUESTED)
                .whenCommand(new RequestRun(RUN, PLAN, Map.of(), null, null, "bob", T1))
                .thenRejected("already exists");
    }

    @Test
    void advancing_a_new_run_starts_it_on_its_first_target_with_the_first_step() {
        givenEvents(REQUESTED)
                .whenCommand(new Advance(T1))
                .thenEvents(STARTED,
                        new TargetStarted("ex01", SYSTEM, T1),
                        new StepStarted("ex01", "isolate", 1, SYSTEM, T1));
    }

    @Test
    void advancing_while_a_step_runs_decides_nothing() {
        givenEvents(REQUESTED, STARTED, new TargetStarted("ex01", SYSTEM, T1),
                new StepStarted("ex01", "isolate", 1, SYSTEM, T1))
                .whenCommand(new Advance(T2))
                .thenEvents();
    }

    @Test
    void a_succeeded_step_is_followed_by_the_next_step_of_the_same_target() {
        givenEvents(REQUESTED, STARTED, new TargetStarted("ex01", SYSTEM, T1),
                new StepStarted("ex01", "isolate", 1, SYSTEM, T1))
                .whenCommand(new RecordOutcome("ex01", "isolate", 1, ok(), T2))
                .thenEvents(new StepSucceeded("ex01", "isolate", 1, 0, "done", "", SYSTEM, T2),
                        new StepStarted("ex01", "patch", 1, SYSTEM, T2));
    }

    @Test
    void held_while_the_service_stops_an_outcome_is_recorded_and_nothing_new_starts() {
        List<RunEvent> given = List.of(REQUESTED, STARTED, new TargetStarted("ex01", SYSTEM, T1),
                new StepStarted("ex01", "isolate", 1, SYSTEM, T1));
        assertThat(RunDecider.decideHeld(new RecordOutcome("ex01", "isolate", 1, ok(), T2), RunDecider.fold(given)))
                .containsExactly(new StepSucceeded("ex01", "isolate", 1, 0, "done", "", SYSTEM, T2));
        List<RunEvent> recorded = new java.util.ArrayList<>(given);
        recorded.add(new StepSucceeded("ex01", "isolate", 1, 0, "done", "", SYSTEM, T2));
        assertThat(RunDecider.decideHeld(new Advance(T2.plusSeconds(1)), RunDecider.fold(recorded))).as("an advance, held").isEmpty();
        // The replica that adopts the run moves it on with its first command.
        givenEvents(recorded).whenCommand(new RunCommand.Recover(T2.plusSeconds(1), java.util.Set.of()))
                .thenEvents(new StepStarted("ex01", "patch", 1, SYSTEM, T2.plusSeconds(1)));
    }

    @Test
    void a_next_target_another_run_holds_waits_whatever_the_command_that_reaches_it() {
        // The store refused this run the lease on ex02: decided again, the outcome is recorded and ex02 waits.
        givenEvents(startedThrough("ex01", "restore"))
                .whenCommand(new RecordOutcome("ex01", "restore", 1, ok(), T2))
                .withAlsoBusy("ex02")
                .thenEvents(new StepSucceeded("ex01", "restore", 1, 0, "done", "", SYSTEM, T2),
                        new TargetSucceeded("ex01", SYSTEM, T2),
                        new TargetWaiting("ex02", "another run holds 'ex02'", SYSTEM, T2));
    }

    @Test
    void the_last_step_of_a_target_finishes_it_and_starts_the_next_target() {
        givenEvents(startedThrough("ex01", "restore"))
                .whenCommand(new RecordOutcome("ex01", "restore", 1, ok(), T2))
                .thenEvents(new StepSucceeded("ex01", "restore", 1, 0, "done", "", SYSTEM, T2),
                        new TargetSucceeded("ex01", SYSTEM, T2),
                        new TargetStarted("ex02", SYSTEM, T2),
                        new StepStarted("ex02", "isolate", 1, SYSTEM, T2));
    }

    @Test
    void the_run_succeeds_when_its_last_target_succeeds() {
        List<RunEvent> given = new java.util.ArrayList<>(startedThrough("ex01", "restore"));
        given.addAll(List.of(new StepSucceeded("ex01", "restore", 1, 0, "", "", SYSTEM, T2),
                new TargetSucceeded("ex01", SYSTEM, T2),
                new TargetStarted("ex02", SYSTEM, T2),
                new StepStarted("ex02", "isolate", 1, SYSTEM, T2),
                new StepSucceeded("ex02", "isolate", 1, 0, "", "", SYSTEM, T2),
                new StepStarted("ex02", "patch", 1, SYSTEM, T2),
                new StepSucceeded("ex02", "patch", 1, 0, "", "", SYSTEM, T2),
                new StepStarted("ex02", "restore", 1, SYSTEM, T2)));
        var spec = givenEvents(given).whenCommand(new RecordOutcome("ex02", "restore", 1, ok(), T2));
        spec.thenEvents(new StepSucceeded("ex02", "restore", 1, 0, "done", "", SYSTEM, T2),
                new TargetSucceeded("ex02", SYSTEM, T2),
                new RunSucceeded(SYSTEM, T2));
        assertThat(spec.thenState().status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void a_target_failed_by_a_step_says_the_first_line_of_the_steps_error_and_not_where_powershell_threw_it() {
        String errorView = "\r\nBuild 15.1.2044.4 is on a cumulative update that KB5000871 does not install on\r\n"
                + "At line:12 char:9\r\n+         throw \"Build $build is on ...\"\r\n"
                + "    + CategoryInfo          : OperationStopped: (Build 15.1.2044.4...:String) [], RuntimeException\r\n";
        var failure = new StepOutcome.Completed(1, "", errorView, List.of("exit code 1, expected 0"));
        var spec = givenEvents(startedThrough("ex01", "patch"))
                .whenCommand(new RecordOutcome("ex01", "patch", 1, failure, T2));
        assertThat(spec.thenState().target("ex01").orElseThrow().status()).isEqualTo(WorkStatus.FAILED);
        spec.thenEvents(
                new StepFailed("ex01", "patch", 1, 1, List.of("exit code 1, expected 0"), "", errorView, SYSTEM, T2),
                new TargetFailed("ex01", "patch", "step 'patch' failed: exit code 1, expected 0: Build 15.1.2044.4 is on"
                        + " a cumulative update that KB5000871 does not install on", SYSTEM, T2),
                new TargetSkipped("ex02", "rollout stopped after 'ex01' failed", SYSTEM, T2),
                new RunFailed("1 of 2 targets failed", SYSTEM, T2));
    }

    @Test
    void a_failed_step_fails_its_target_so_the_steps_after_it_never_run_and_the_rollout_stops() {
        var failure = new StepOutcome.Completed(1, "", "msiexec exit code 1603", List.of("exit code 1, expected 0"));
        var spec = givenEvents(startedThrough("ex01", "patch"))
                .whenCommand(new RecordOutcome("ex01", "patch", 1, failure, T2));
        spec.thenEvents(
                new StepFailed("ex01", "patch", 1, 1, List.of("exit code 1, expected 0"), "", "msiexec exit code 1603",
                        SYSTEM, T2),
                new TargetFailed("ex01", "patch", "step 'patch' failed: exit code 1, expected 0: msiexec exit code 1603",
                        SYSTEM, T2),
                new TargetSkipped("ex02", "rollout stopped after 'ex01' failed", SYSTEM, T2),
                new RunFailed("1 of 2 targets failed", SYSTEM, T2));
        RunState state = spec.thenState();
        assertThat(state.target("ex01").orElseThrow().step("restore").orElseThrow().status())
                .as("the step that brings the server back online must not have run")
                .isEqualTo(WorkStatus.PENDING);
        assertThat(state.target("ex02").orElseThrow().status()).isEqualTo(WorkStatus.SKIPPED);
    }

    @Test
    void a_step_that_could_not_run_fails_with_the_transport_reason_and_no_exit_code() {
        givenEvents(startedThrough("ex01", "isolate"))
                .whenCommand(new RecordOutcome("ex01", "isolate", 1, new StepOutcome.Errored("connection refused"), T2))
                .thenEvents(
                        new StepFailed("ex01", "isolate", 1, null, List.of("connection refused"), "", "", SYSTEM, T2),
                        new TargetFailed("ex01", "isolate", "step 'isolate' failed: connection refused", SYSTEM, T2),
                        new TargetSkipped("ex02", "rollout stopped after 'ex01' failed", SYSTEM, T2),
                        new RunFailed("1 of 2 targets failed", SYSTEM, T2));
    }

    @Test
    void an_outcome_is_recorded_once_even_when_reported_twice() {
        List<RunEvent> given = new java.util.ArrayList<>(startedThrough("ex01", "isolate"));
        given.add(new StepSucceeded("ex01", "isolate", 1, 0, "", "", SYSTEM, T2));
        given.add(new StepStarted("ex01", "patch", 1, SYSTEM, T2));
        givenEvents(given)
                .whenCommand(new RecordOutcome("ex01", "isolate", 1, ok(), T2))
                .thenRejected("is not running");
    }

    @Test
    void an_outcome_for_a_step_or_target_outside_the_plan_is_rejected() {
        givenEvents(startedThrough("ex01", "isolate"))
                .whenCommand(new RecordOutcome("ex09", "isolate", 1, ok(), T2))
                .thenRejected("target 'ex09' is not part of this run");
        givenEvents(startedThrough("ex01", "isolate"))
                .whenCommand(new RecordOutcome("ex01", "reboot", 1, ok(), T2))
                .thenRejected("step 'reboot' is not part of this run");
    }

    @Test
    void a_finished_run_decides_nothing_more() {
        List<RunEvent> given = new java.util.ArrayList<>(startedThrough("ex01", "isolate"));
        given.addAll(List.of(
                new StepFailed("ex01", "isolate", 1, null, List.of("x"), "", "", SYSTEM, T2),
                new TargetFailed("ex01", "isolate", "x", SYSTEM, T2),
                new TargetSkipped("ex02", "x", SYSTEM, T2),
                new RunFailed("1 of 2 targets failed", SYSTEM, T2)));
        givenEvents(given).whenCommand(new Advance(T2)).thenEvents();
        assertThat(RunDecider.isTerminal(RunDecider.fold(given))).isTrue();
    }

    @Test
    void commands_to_a_run_that_was_never_requested_are_rejected() {
        givenEvents().whenCommand(new Advance(T1)).thenRejected("no such run");
    }

    @Test
    void the_state_counts_one_version_per_event_and_keeps_step_timing() {
        List<RunEvent> given = startedThrough("ex01", "patch");
        RunState state = RunDecider.fold(given);
        assertThat(state.version()).isEqualTo(given.size());
        StepState patch = state.target("ex01").orElseThrow().step("patch").orElseThrow();
        assertThat(patch.status()).isEqualTo(WorkStatus.RUNNING);
        assertThat(patch.attempts()).isEqualTo(1);
        assertThat(patch.startedAt()).isEqualTo(T1);
        assertThat(state.requestedBy()).isEqualTo("alice");
        assertThat(state.ticket()).isEqualTo("INC-1");
    }

    /** Events of a run whose {@code target} has succeeded every step before {@code step}, which now runs. */
    static List<RunEvent> startedThrough(String target, String step) {
        List<RunEvent> events = new java.util.ArrayList<>(List.of(REQUESTED, STARTED,
                new TargetStarted(target, SYSTEM, T1)));
        for (PlannedStep s : PLAN.steps()) {
            events.add(new StepStarted(target, s.id(), 1, SYSTEM, T1));
            if (s.id().equals(step)) {
                return events;
            }
            events.add(new StepSucceeded(target, s.id(), 1, 0, "", "", SYSTEM, T1));
        }
        throw new IllegalArgumentException(step);
    }
}
