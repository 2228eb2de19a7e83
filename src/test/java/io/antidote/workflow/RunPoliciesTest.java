package io.antidote.workflow;

import io.antidote.workflow.RunCommand.NoteBegun;
import io.antidote.workflow.RunCommand.Advance;
import io.antidote.workflow.RunCommand.Cancel;
import io.antidote.workflow.RunCommand.CancelMode;
import io.antidote.workflow.RunCommand.DecideApproval;
import io.antidote.workflow.RunCommand.RecordOutcome;
import io.antidote.workflow.RunCommand.Recover;
import io.antidote.workflow.RunEvent.ApprovalGranted;
import io.antidote.workflow.RunEvent.ApprovalRejected;
import io.antidote.workflow.RunEvent.ApprovalRequested;
import io.antidote.workflow.RunEvent.ApprovalTimedOut;
import io.antidote.workflow.RunEvent.CancelRequested;
import io.antidote.workflow.RunEvent.CompensationFailed;
import io.antidote.workflow.RunEvent.CompensationStarted;
import io.antidote.workflow.RunEvent.RunCancelled;
import io.antidote.workflow.RunEvent.RunFailed;
import io.antidote.workflow.RunEvent.RunRequested;
import io.antidote.workflow.RunEvent.RunStarted;
import io.antidote.workflow.RunEvent.RunSucceeded;
import io.antidote.workflow.RunEvent.StepCompensated;
import io.antidote.workflow.RunEvent.StepFailed;
import io.antidote.workflow.RunEvent.StepInterrupted;
import io.antidote.workflow.RunEvent.StepRetryScheduled;
import io.antidote.workflow.RunEvent.StepStarted;
import io.antidote.workflow.RunEvent.StepSucceeded;
import io.antidote.workflow.RunEvent.StepBegan;
import io.antidote.workflow.RunEvent.StepTimedOut;
import io.antidote.workflow.RunEvent.TargetCancelled;
import io.antidote.workflow.RunEvent.TargetFailed;
import io.antidote.workflow.RunEvent.TargetSkipped;
import io.antidote.workflow.RunEvent.TargetStarted;
import io.antidote.workflow.RunEvent.TargetSucceeded;
import io.antidote.workflow.RunEvent.TargetWaiting;
import io.antidote.workflow.RunPlan.Approval;
import io.antidote.workflow.RunPlan.Backoff;
import io.antidote.workflow.RunPlan.PlannedStep;
import io.antidote.workflow.RunPlan.Retry;
import io.antidote.workflow.RunPlan.Strategy;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.antidote.workflow.DeciderSpec.givenEvents;
import static io.antidote.workflow.RunEvent.SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The policies a playbook gives its steps and its rollout, one rule a test: retries and timeouts,
 * approvals, compensation, batches and failure thresholds, one run per target, cancel, and what happens
 * to an attempt whose outcome was lost in a crash.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RunPoliciesTest {

    static final UUID RUN = UUID.fromString("00000000-0000-0000-0000-000000000002");
    static final Instant T0 = Instant.parse("2021-03-03T08:00:00Z");
    static final Instant T1 = T0.plusSeconds(1);
    static final Instant T2 = T0.plusSeconds(2);
    static final Instant T3 = T0.plusSeconds(3);

    static final Retry CONNECTION_RETRIES = new Retry(3, Backoff.EXPONENTIAL, 10_000, 15_000,
            Set.of(FailureKind.CONNECTION, FailureKind.TIMEOUT), Set.of(1618));

    /** The ProxyLogon shape: isolate is undone by restore but kept when the patch fails. */
    static PlannedStep isolate() {
        return new PlannedStep("isolate", Retry.NONE, 0, null, "restore", true, false, true);
    }

    static PlannedStep patch(Retry retry, Approval approval, boolean idempotent) {
        return new PlannedStep("patch", retry, 60_000, approval, null, false, false, idempotent);
    }

    static PlannedStep plain(String id) {
        return new PlannedStep(id);
    }

    static RunRequested requested(List<PlannedStep> steps, Strategy strategy, Map<String, String> groups,
                                  String... targets) {
        return new RunRequested(RUN, new RunPlan("p", "d", steps, List.of(targets), strategy, groups), Map.of(),
                null, null, "alice", T0);
    }

    static RunRequested requested(PlannedStep... steps) {
        return requested(List.of(steps), null, null, "ex01", "ex02");
    }

    static List<RunEvent> events(RunEvent... events) {
        return new ArrayList<>(Arrays.asList(events));
    }

    static StepOutcome ok() {
        return new StepOutcome.Completed(0, "", "", List.of());
    }

    static StepOutcome refused() {
        return new StepOutcome.Errored(FailureKind.CONNECTION, "connection refused");
    }

    static StepStarted started(String target, String step, int attempt, Instant at) {
        return new StepStarted(target, step, attempt, SYSTEM, at);
    }

    static StepSucceeded succeeded(String target, String step, int attempt, Instant at) {
        return new StepSucceeded(target, step, attempt, 0, "", "", SYSTEM, at);
    }

    static StepFailed failedToConnect(String target, String step, int attempt, Instant at) {
        return new StepFailed(target, step, attempt, null, List.of("connection refused"), "", "", SYSTEM, at);
    }

    @Nested
    class Retries_and_timeouts {

        final RunRequested requested = requested(List.of(patch(CONNECTION_RETRIES, null, true), plain("verify")),
                null, null, "ex01");
        final List<RunEvent> patchRunning = events(requested, new RunStarted(SYSTEM, T0),
                new TargetStarted("ex01", SYSTEM, T0), started("ex01", "patch", 1, T0));

        @Test
        void a_connection_failure_the_policy_covers_schedules_the_next_attempt_after_the_backoff() {
            givenEvents(patchRunning)
                    .whenCommand(new RecordOutcome("ex01", "patch", 1, refused(), T1))
                    .thenEvents(failedToConnect("ex01", "patch", 1, T1),
                            new StepRetryScheduled("ex01", "patch", 2, T1.plusSeconds(10), "connection refused",
                                    SYSTEM, T1));
        }

        @Test
        void a_retry_starts_when_it_falls_due_and_not_a_moment_before() {
            List<RunEvent> given = events();
            given.addAll(patchRunning);
            given.add(failedToConnect("ex01", "patch", 1, T1));
            Instant due = T1.plusSeconds(10);
            given.add(new StepRetryScheduled("ex01", "patch", 2, due, "connection refused", SYSTEM, T1));
            assertThat(RunDecider.fold(given).nextDueAt()).as("the engine's next timer").contains(due);
            givenEvents(given).whenCommand(new Advance(due.minusMillis(1))).thenEvents();
            givenEvents(given).whenCommand(new Advance(due)).thenEvents(started("ex01", "patch", 2, due));
        }

        @Test
        void exponential_backoff_doubles_the_delay_up_to_its_cap() {
            assertThat(List.of(CONNECTION_RETRIES.delayBefore(2), CONNECTION_RETRIES.delayBefore(3),
                    CONNECTION_RETRIES.delayBefore(4))).as("delays before attempts 2, 3 and 4")
                    .containsExactly(10_000L, 15_000L, 15_000L);
            Retry fixed = new Retry(5, Backoff.FIXED, 2_000, 0, Set.of(FailureKind.CONNECTION), Set.of());
            assertThat(fixed.delayBefore(4)).isEqualTo(2_000L);
        }

        @Test
        void the_last_attempt_failing_fails_the_target() {
            List<RunEvent> given = events();
            given.addAll(patchRunning);
            given.add(failedToConnect("ex01", "patch", 1, T1));
            given.add(new StepRetryScheduled("ex01", "patch", 2, T1, "connection refused", SYSTEM, T1));
            given.add(started("ex01", "patch", 2, T1));
            given.add(failedToConnect("ex01", "patch", 2, T1));
            given.add(new StepRetryScheduled("ex01", "patch", 3, T1, "connection refused", SYSTEM, T1));
            given.add(started("ex01", "patch", 3, T1));
            givenEvents(given).whenCommand(new RecordOutcome("ex01", "patch", 3, refused(), T2))
                    .thenEvents(failedToConnect("ex01", "patch", 3, T2),
                            new TargetFailed("ex01", "patch", "step 'patch' failed: connection refused", SYSTEM, T2),
                            new RunFailed("1 of 1 targets failed", SYSTEM, T2));
        }

        @Test
        void a_failure_the_policy_does_not_cover_is_not_retried() {
            givenEvents(patchRunning)
                    .whenCommand(new RecordOutcome("ex01", "patch", 1,
                            new StepOutcome.Errored(FailureKind.FAULT, "access denied"), T1))
                    .thenEvents(new StepFailed("ex01", "patch", 1, null, List.of("access denied"), "", "", SYSTEM, T1),
                            new TargetFailed("ex01", "patch", "step 'patch' failed: access denied", SYSTEM, T1),
                            new RunFailed("1 of 1 targets failed", SYSTEM, T1));
        }

        @Test
        void a_listed_exit_code_is_retried_and_another_is_not() {
            var busyInstaller = new StepOutcome.Completed(1618, "", "", List.of("exit code 1618, expected 0"));
            givenEvents(patchRunning).whenCommand(new RecordOutcome("ex01", "patch", 1, busyInstaller, T1))
                    .thenEvents(new StepFailed("ex01", "patch", 1, 1618, List.of("exit code 1618, expected 0"), "", "",
                                    SYSTEM, T1),
                            new StepRetryScheduled("ex01", "patch", 2, T1.plusSeconds(10), "exit code 1618, expected 0",
                                    SYSTEM, T1));
            var refusedUpdate = new StepOutcome.Completed(1603, "", "", List.of("exit code 1603, expected 0"));
            assertThat(givenEvents(patchRunning)
                    .whenCommand(new RecordOutcome("ex01", "patch", 1, refusedUpdate, T1)).thenState()
                    .target("ex01").orElseThrow().status()).as("exit code 1603 is not listed: the target fails")
                    .isEqualTo(WorkStatus.FAILED);
        }

        @Test
        void a_timed_out_attempt_is_recorded_as_timed_out_and_retried_when_the_policy_covers_timeouts() {
            givenEvents(patchRunning)
                    .whenCommand(new RecordOutcome("ex01", "patch", 1,
                            new StepOutcome.Errored(FailureKind.TIMEOUT, "timed out after PT1M"), T1))
                    .thenEvents(new StepTimedOut("ex01", "patch", 1, "timed out after PT1M", SYSTEM, T1),
                            new StepRetryScheduled("ex01", "patch", 2, T1.plusSeconds(10), "timed out after PT1M",
                                    SYSTEM, T1));
        }

        @Test
        void the_core_enforces_the_step_timeout_itself_from_when_the_attempt_began_and_a_late_outcome_is_then_refused() {
            List<RunEvent> began = events();
            began.addAll(patchRunning);
            began.add(new StepBegan("ex01", "patch", 1, SYSTEM, T2));
            Instant deadline = T2.plusSeconds(60);
            assertThat(RunDecider.fold(began).nextDueAt()).as("timer for the running attempt").contains(deadline);
            givenEvents(began).whenCommand(new Advance(deadline.minusMillis(1))).thenEvents();
            // The patch changes the server: by its deadline it may have run, so its marker decides, not a retry.
            List<RunEvent> decided = givenEvents(began).whenCommand(new Advance(deadline)).thenEvents(
                    new RunEvent.StepOutcomeUnknown("ex01", "patch", 1, "timed out after PT1M with no reply: the"
                            + " script may have run; the step's marker on the host is probed", SYSTEM, deadline));
            List<RunEvent> after = events();
            after.addAll(began);
            after.addAll(decided);
            assertThat(RunDecider.fold(after).nextDueAt()).as("no deadline while the marker is probed").isEmpty();
            givenEvents(after).whenCommand(new RecordOutcome("ex01", "patch", 1, ok(), deadline.plusSeconds(1)))
                    .thenRejected("outcome unknown");
        }

        @Test
        void a_read_only_step_past_its_deadline_is_timed_out_and_retried_when_the_policy_covers_timeouts() {
            PlannedStep check = new PlannedStep("check", CONNECTION_RETRIES, 60_000, null, null, false, false, false, null,
                    false, Set.of(), true);
            List<RunEvent> began = events(requested(List.of(check), null, null, "ex01"), new RunStarted(SYSTEM, T0),
                    new TargetStarted("ex01", SYSTEM, T0), started("ex01", "check", 1, T0),
                    new StepBegan("ex01", "check", 1, SYSTEM, T2));
            Instant deadline = T2.plusSeconds(60);
            givenEvents(began).whenCommand(new Advance(deadline)).thenEvents(
                    new StepTimedOut("ex01", "check", 1, "timed out after PT1M", SYSTEM, deadline),
                    new StepRetryScheduled("ex01", "check", 2, deadline.plusSeconds(10), "timed out after PT1M",
                            SYSTEM, deadline));
        }

        NoteBegun begun(int attempt, Instant at) {
            return new NoteBegun(List.of(new NoteBegun.Began("ex01", "patch", attempt, at)), at);
        }

        @Test
        void beginnings_noted_together_record_those_still_waiting_to_begin_and_pass_over_the_others() {
            givenEvents(patchRunning).whenCommand(new NoteBegun(List.of(new NoteBegun.Began("ex01", "patch", 0, T1),
                            new NoteBegun.Began("ex01", "patch", 1, T2)), T3))
                    .thenEvents(new StepBegan("ex01", "patch", 1, SYSTEM, T2));
        }

        @Test
        void an_attempt_waiting_for_a_worker_has_no_deadline_however_long_it_waits() {
            assertThat(RunDecider.fold(patchRunning).nextDueAt()).as("timer while the attempt waits to begin").isEmpty();
            givenEvents(patchRunning).whenCommand(new Advance(T0.plusSeconds(3600))).thenEvents();
        }

        @Test
        void an_attempt_is_noted_as_begun_once_and_only_while_it_runs() {
            givenEvents(patchRunning).whenCommand(begun(1, T2))
                    .thenEvents(new StepBegan("ex01", "patch", 1, SYSTEM, T2));
            List<RunEvent> began = events();
            began.addAll(patchRunning);
            began.add(new StepBegan("ex01", "patch", 1, SYSTEM, T2));
            givenEvents(began).whenCommand(begun(1, T3)).thenRejected("waiting to begin");
            givenEvents(patchRunning).whenCommand(begun(2, T2))
                    .thenRejected("waiting to begin");
            List<RunEvent> ended = events();
            ended.addAll(patchRunning);
            ended.add(succeeded("ex01", "patch", 1, T1));
            givenEvents(ended).whenCommand(begun(1, T2)).thenRejected("waiting to begin");
        }
    }

    @Nested
    class Approvals {

        final RunRequested requested = requested(List.of(plain("precheck"),
                patch(CONNECTION_RETRIES, new Approval("approver", 3_600_000, false), true)), null, null, "ex01");
        final List<RunEvent> precheckRunning = events(requested, new RunStarted(SYSTEM, T0),
                new TargetStarted("ex01", SYSTEM, T0), started("ex01", "precheck", 1, T0));
        final Instant due = T1.plusSeconds(3600);

        List<RunEvent> waiting() {
            List<RunEvent> given = events();
            given.addAll(precheckRunning);
            given.add(succeeded("ex01", "precheck", 1, T1));
            given.add(new ApprovalRequested("ex01", "patch", "approver", due, SYSTEM, T1));
            return given;
        }

        @Test
        void a_step_that_needs_approval_waits_for_it_and_the_run_shows_it() {
            var spec = givenEvents(precheckRunning).whenCommand(new RecordOutcome("ex01", "precheck", 1, ok(), T1));
            spec.thenEvents(succeeded("ex01", "precheck", 1, T1),
                    new ApprovalRequested("ex01", "patch", "approver", due, SYSTEM, T1));
            RunState state = spec.thenState();
            assertThat(state.status()).isEqualTo(RunStatus.WAITING_APPROVAL);
            assertThat(state.nextDueAt()).as("approval deadline timer").contains(due);
            givenEvents(waiting()).whenCommand(new Advance(T2)).thenEvents();
        }

        @Test
        void an_approval_starts_the_step_and_records_the_approver() {
            var spec = givenEvents(waiting())
                    .whenCommand(new DecideApproval(null, "patch", true, "CHG-7", "bob", T2));
            spec.thenEvents(new ApprovalGranted("ex01", "patch", "CHG-7", "bob", T2), started("ex01", "patch", 1, T2));
            assertThat(spec.thenState().status()).isEqualTo(RunStatus.RUNNING);
        }

        @Test
        void a_retry_of_an_approved_step_needs_no_second_approval() {
            List<RunEvent> given = waiting();
            given.add(new ApprovalGranted("ex01", "patch", null, "bob", T2));
            given.add(started("ex01", "patch", 1, T2));
            given.add(failedToConnect("ex01", "patch", 1, T2));
            given.add(new StepRetryScheduled("ex01", "patch", 2, T3, "connection refused", SYSTEM, T2));
            givenEvents(given).whenCommand(new Advance(T3)).thenEvents(started("ex01", "patch", 2, T3));
        }

        @Test
        void a_rejection_fails_the_target_without_running_the_step() {
            givenEvents(waiting())
                    .whenCommand(new DecideApproval("ex01", "patch", false, "not tonight", "bob", T2))
                    .thenEvents(new ApprovalRejected("ex01", "patch", "not tonight", "bob", T2),
                            new TargetFailed("ex01", "patch", "step 'patch' rejected by 'bob': not tonight", SYSTEM, T2),
                            new RunFailed("1 of 1 targets failed", SYSTEM, T2));
        }

        @Test
        void an_approval_nobody_gives_in_time_fails_the_target() {
            givenEvents(waiting()).whenCommand(new Advance(due.minusMillis(1))).thenEvents();
            givenEvents(waiting()).whenCommand(new Advance(due))
                    .thenEvents(new ApprovalTimedOut("ex01", "patch", SYSTEM, due),
                            new TargetFailed("ex01", "patch", "nobody approved step 'patch' by " + due, SYSTEM, due),
                            new RunFailed("1 of 1 targets failed", SYSTEM, due));
        }

        @Test
        void the_requester_may_not_approve_their_own_run_when_the_playbook_forbids_it() {
            givenEvents(waiting())
                    .whenCommand(new DecideApproval(null, "patch", true, null, "alice", T2))
                    .thenRejected("'alice' requested this run");
            RunRequested lenient = requested(List.of(plain("precheck"),
                    patch(Retry.NONE, new Approval("approver", 0, true), true)), null, null, "ex01");
            List<RunEvent> given = waiting();
            given.set(0, lenient);
            givenEvents(given).whenCommand(new DecideApproval(null, "patch", true, null, "alice", T2))
                    .thenEvents(new ApprovalGranted("ex01", "patch", null, "alice", T2),
                            started("ex01", "patch", 1, T2));
        }

        @Test
        void the_requester_is_refused_as_not_allowed_rather_than_as_a_conflict() {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunDecider.decide(
                            new DecideApproval(null, "patch", true, null, "alice", T2), RunDecider.fold(waiting())))
                    .isInstanceOf(CommandRejected.NotAllowed.class);
        }

        @Test
        void a_decision_when_nothing_waits_for_approval_is_rejected() {
            givenEvents(precheckRunning).whenCommand(new DecideApproval(null, "patch", true, null, "bob", T2))
                    .thenRejected("is not waiting for approval");
        }
    }

    @Nested
    class Compensation {

        final PlannedStep drain = new PlannedStep("drain", Retry.NONE, 0, null, "undrain", false, false, true);
        final PlannedStep undrain = new PlannedStep("undrain", Retry.NONE, 0, null, null, false, true, true);
        final RunRequested requested = requested(List.of(isolate(), drain, patch(Retry.NONE, null, true),
                plain("restore"), undrain), null, null, "ex01");

        List<RunEvent> patchRunning() {
            return events(requested, new RunStarted(SYSTEM, T0), new TargetStarted("ex01", SYSTEM, T0),
                    started("ex01", "isolate", 1, T0), succeeded("ex01", "isolate", 1, T0),
                    started("ex01", "drain", 1, T0), succeeded("ex01", "drain", 1, T0),
                    started("ex01", "patch", 1, T0));
        }

        @Test
        void a_failed_target_undoes_its_completed_steps_newest_first_but_keeps_those_kept_on_failure() {
            // isolate is kept on failure: a server whose patch failed stays isolated; drain is undone.
            var spec = givenEvents(patchRunning()).whenCommand(new RecordOutcome("ex01", "patch", 1, refused(), T1));
            spec.thenEvents(failedToConnect("ex01", "patch", 1, T1),
                    new CompensationStarted("ex01", "patch", "step 'patch' failed: connection refused", false,
                            List.of("drain"), SYSTEM, T1),
                    new StepStarted("ex01", "undrain", 1, "drain", SYSTEM, T1));
            List<RunEvent> given = patchRunning();
            given.addAll(RunDecider.decide(new RecordOutcome("ex01", "patch", 1, refused(), T1), RunDecider.fold(given)));
            var undone = givenEvents(given).whenCommand(new RecordOutcome("ex01", "undrain", 1, ok(), T2));
            undone.thenEvents(succeeded("ex01", "undrain", 1, T2),
                    new StepCompensated("ex01", "drain", "undrain", SYSTEM, T2),
                    new TargetFailed("ex01", "patch", "step 'patch' failed: connection refused", SYSTEM, T2),
                    new RunFailed("1 of 1 targets failed", SYSTEM, T2));
            TargetState target = undone.thenState().target("ex01").orElseThrow();
            assertThat(target.step("drain").orElseThrow().status()).isEqualTo(WorkStatus.COMPENSATED);
            assertThat(target.step("isolate").orElseThrow().status()).as("isolation kept after a failed patch")
                    .isEqualTo(WorkStatus.SUCCEEDED);
            assertThat(target.step("restore").orElseThrow().status()).isEqualTo(WorkStatus.PENDING);
        }

        @Test
        void a_failed_undo_step_is_recorded_and_the_other_undo_steps_still_run() {
            RunRequested bothUndone = requested(List.of(
                    new PlannedStep("isolate", Retry.NONE, 0, null, "restore", false, false, true), drain,
                    patch(Retry.NONE, null, true), plain("restore"), undrain), null, null, "ex01");
            List<RunEvent> given = patchRunning();
            given.set(0, bothUndone);
            given.add(failedToConnect("ex01", "patch", 1, T1));
            given.add(new CompensationStarted("ex01", "patch", "step 'patch' failed: connection refused", false,
                    List.of("drain", "isolate"), SYSTEM, T1));
            given.add(new StepStarted("ex01", "undrain", 1, "drain", SYSTEM, T1));
            givenEvents(given).whenCommand(new RecordOutcome("ex01", "undrain", 1, refused(), T2))
                    .thenEvents(failedToConnect("ex01", "undrain", 1, T2),
                            new CompensationFailed("ex01", "drain", "undrain", "connection refused", SYSTEM, T2),
                            new StepStarted("ex01", "restore", 1, "isolate", SYSTEM, T2));
        }

        @Test
        void a_step_that_only_undoes_another_never_runs_in_the_normal_order() {
            List<RunEvent> given = patchRunning();
            given.add(succeeded("ex01", "patch", 1, T1));
            given.add(started("ex01", "restore", 1, T1));
            var spec = givenEvents(given).whenCommand(new RecordOutcome("ex01", "restore", 1, ok(), T2));
            spec.thenEvents(succeeded("ex01", "restore", 1, T2), new TargetSucceeded("ex01", SYSTEM, T2),
                    new RunSucceeded(SYSTEM, T2));
            assertThat(spec.thenState().target("ex01").orElseThrow().step("undrain").orElseThrow().status())
                    .isEqualTo(WorkStatus.SKIPPED);
        }

        @Test
        void a_step_whose_undo_step_already_ran_in_its_place_is_not_undone_again() {
            RunRequested undoneOnFailure = requested(List.of(
                    new PlannedStep("isolate", Retry.NONE, 0, null, "restore", false, false, true), plain("restore"),
                    plain("report")), null, null, "ex01");
            givenEvents(undoneOnFailure, new RunStarted(SYSTEM, T0), new TargetStarted("ex01", SYSTEM, T0),
                    started("ex01", "isolate", 1, T0), succeeded("ex01", "isolate", 1, T0),
                    started("ex01", "restore", 1, T0), succeeded("ex01", "restore", 1, T0),
                    started("ex01", "report", 1, T0))
                    .whenCommand(new RecordOutcome("ex01", "report", 1, refused(), T1))
                    .thenEvents(failedToConnect("ex01", "report", 1, T1),
                            new TargetFailed("ex01", "report", "step 'report' failed: connection refused", SYSTEM, T1),
                            new RunFailed("1 of 1 targets failed", SYSTEM, T1));
        }
    }

    @Nested
    class Rollout {

        List<RunEvent> ok(String target, Instant at) {
            return List.of(started(target, "isolate", 1, at), succeeded(target, "isolate", 1, at),
                    new TargetSucceeded(target, SYSTEM, at));
        }

        @Test
        void a_batch_starts_its_targets_together_and_the_next_batch_waits_for_all_of_them() {
            RunRequested requested = requested(List.of(plain("isolate")), new Strategy(2, 0, 1), null,
                    "ex01", "ex02", "ex03");
            List<RunEvent> decided = givenEvents(requested).whenCommand(new Advance(T1)).thenEvents(
                    new RunStarted(SYSTEM, T1), new TargetStarted("ex01", SYSTEM, T1),
                    new TargetStarted("ex02", SYSTEM, T1), new StepStarted("ex01", "isolate", 1, SYSTEM, T1),
                    new StepStarted("ex02", "isolate", 1, SYSTEM, T1));
            List<RunEvent> given = events(requested);
            given.addAll(decided);
            given.add(succeeded("ex01", "isolate", 1, T2));
            given.add(new TargetSucceeded("ex01", SYSTEM, T2));
            givenEvents(given).whenCommand(new Advance(T2)).thenEvents();
            givenEvents(given).whenCommand(new RecordOutcome("ex02", "isolate", 1, RunPoliciesTest.ok(), T3))
                    .thenEvents(succeeded("ex02", "isolate", 1, T3), new TargetSucceeded("ex02", SYSTEM, T3),
                            new TargetStarted("ex03", SYSTEM, T3), started("ex03", "isolate", 1, T3));
        }

        @Test
        void a_batch_given_as_a_percentage_rounds_up() {
            assertThat(new Strategy(0, 25, 1).batchOf(5)).isEqualTo(2);
            assertThat(new Strategy(0, 100, 1).batchOf(5)).isEqualTo(5);
            assertThat(new Strategy(0, 1, 1).batchOf(5)).isEqualTo(1);
        }

        @Test
        void the_rollout_goes_on_below_the_failure_threshold_and_stops_when_it_is_reached() {
            RunRequested requested = requested(List.of(plain("isolate")), new Strategy(1, 0, 2), null,
                    "ex01", "ex02", "ex03");
            List<RunEvent> given = events(requested, new RunStarted(SYSTEM, T0), new TargetStarted("ex01", SYSTEM, T0),
                    started("ex01", "isolate", 1, T0));
            List<RunEvent> first = givenEvents(given)
                    .whenCommand(new RecordOutcome("ex01", "isolate", 1, refused(), T1))
                    .thenEvents(failedToConnect("ex01", "isolate", 1, T1),
                            new TargetFailed("ex01", "isolate", "step 'isolate' failed: connection refused", SYSTEM, T1),
                            new TargetStarted("ex02", SYSTEM, T1), started("ex02", "isolate", 1, T1));
            given.addAll(first);
            givenEvents(given).whenCommand(new RecordOutcome("ex02", "isolate", 1, refused(), T2))
                    .thenEvents(failedToConnect("ex02", "isolate", 1, T2),
                            new TargetFailed("ex02", "isolate", "step 'isolate' failed: connection refused", SYSTEM, T2),
                            new TargetSkipped("ex03", "rollout stopped after 2 targets failed", SYSTEM, T2),
                            new RunFailed("2 of 3 targets failed", SYSTEM, T2));
        }

        @Test
        void members_of_one_group_run_one_at_a_time_even_in_one_batch() {
            RunRequested requested = requested(List.of(plain("isolate")), new Strategy(3, 0, 1),
                    Map.of("ex01", "dag1", "ex02", "dag1", "ex03", "dag2"), "ex01", "ex02", "ex03");
            List<RunEvent> decided = givenEvents(requested).whenCommand(new Advance(T1)).thenEvents(
                    new RunStarted(SYSTEM, T1), new TargetStarted("ex01", SYSTEM, T1),
                    new TargetStarted("ex03", SYSTEM, T1), started("ex01", "isolate", 1, T1),
                    started("ex03", "isolate", 1, T1));
            List<RunEvent> given = events(requested);
            given.addAll(decided);
            givenEvents(given).whenCommand(new RecordOutcome("ex01", "isolate", 1, RunPoliciesTest.ok(), T2))
                    .thenEvents(succeeded("ex01", "isolate", 1, T2), new TargetSucceeded("ex01", SYSTEM, T2),
                            new TargetStarted("ex02", SYSTEM, T2), started("ex02", "isolate", 1, T2));
        }

        @Test
        void a_member_of_a_group_another_run_holds_a_member_of_waits_and_the_other_groups_go_on() {
            // The busy set names the group (dag=DAG01): another run holds one of its members, not ex01 itself.
            RunRequested requested = requested(List.of(plain("isolate")), new Strategy(2, 0, 1),
                    Map.of("ex01", "dag=DAG01", "ex02", "dag=DAG02"), "ex01", "ex02");
            List<RunEvent> given = events(requested);
            List<RunEvent> waiting = givenEvents(given).whenCommand(new Advance(T1, Set.of("dag=DAG01")))
                    .thenEvents(new RunStarted(SYSTEM, T1),
                            new TargetWaiting("ex01", "another run holds a member of its group 'dag=DAG01'", SYSTEM, T1),
                            new TargetStarted("ex02", SYSTEM, T1), started("ex02", "isolate", 1, T1));
            given.addAll(waiting);
            givenEvents(given).whenCommand(new Advance(T2, Set.of("dag=DAG01"))).thenEvents();
            givenEvents(given).whenCommand(new Advance(T3, Set.of()))
                    .thenEvents(new TargetStarted("ex01", SYSTEM, T3), started("ex01", "isolate", 1, T3));
        }

        @Test
        void a_run_that_asked_to_be_refused_fails_a_member_of_a_group_another_run_holds() {
            RunRequested requested = new RunRequested(RUN, new RunPlan("p", "d", List.of(plain("isolate")),
                    List.of("ex01"), new Strategy(1, 0, 1), Map.of("ex01", "dag=DAG01"), RunPlan.OnBusy.REFUSE),
                    Map.of(), null, null, "alice", T0);
            givenEvents(requested).whenCommand(new Advance(T1, Set.of("dag=DAG01")))
                    .thenEvents(new RunStarted(SYSTEM, T1), new TargetFailed("ex01", null, "another run holds a member"
                                    + " of its group 'dag=DAG01' and the request asked to be refused rather than wait"
                                    + " (onBusy: REFUSE)", SYSTEM, T1),
                            new RunFailed("1 of 1 targets failed", SYSTEM, T1));
        }

        private RunRequested refusingWhenBusy(Strategy strategy) {
            return new RunRequested(RUN, new RunPlan("p", "d", List.of(plain("isolate")), List.of("ex01", "ex02"),
                    strategy, null, RunPlan.OnBusy.REFUSE), Map.of(), null, null, "alice", T0);
        }

        @Test
        void a_run_that_asked_to_be_refused_fails_a_target_another_run_holds_instead_of_waiting() {
            // It passed the request's check (the target looked free) and another run took the target since.
            RunRequested requested = refusingWhenBusy(new Strategy(2, 0, 2));
            String reason = "another run holds 'ex01' and the request asked to be refused rather than wait"
                    + " (onBusy: REFUSE)";
            givenEvents(requested).whenCommand(new Advance(T1, Set.of("ex01")))
                    .thenEvents(new RunStarted(SYSTEM, T1), new TargetFailed("ex01", null, reason, SYSTEM, T1),
                            new TargetStarted("ex02", SYSTEM, T1), started("ex02", "isolate", 1, T1));
        }

        @Test
        void a_refusing_run_whose_next_target_the_store_would_not_lease_fails_it_and_ends() {
            // The outcome that ends ex01 starts ex02 with no busy set; the store refused the lease.
            RunRequested requested = refusingWhenBusy(new Strategy(1, 0, 1));
            List<RunEvent> given = events(requested, new RunStarted(SYSTEM, T0), new TargetStarted("ex01", SYSTEM, T0),
                    started("ex01", "isolate", 1, T0));
            givenEvents(given).whenCommand(new RecordOutcome("ex01", "isolate", 1, RunPoliciesTest.ok(), T1))
                    .withAlsoBusy("ex02")
                    .thenEvents(succeeded("ex01", "isolate", 1, T1), new TargetSucceeded("ex01", SYSTEM, T1),
                            new TargetFailed("ex02", null, "another run holds 'ex02' and the request asked to be"
                                    + " refused rather than wait (onBusy: REFUSE)", SYSTEM, T1),
                            new RunFailed("1 of 2 targets failed", SYSTEM, T1));
        }

        @Test
        void a_target_another_run_holds_waits_and_starts_once_it_is_free() {
            RunRequested requested = requested(List.of(plain("isolate")), null, null, "ex01");
            List<RunEvent> given = events(requested);
            List<RunEvent> waiting = givenEvents(given).whenCommand(new Advance(T1, Set.of("ex01")))
                    .thenEvents(new RunStarted(SYSTEM, T1),
                            new TargetWaiting("ex01", "another run holds 'ex01'", SYSTEM, T1));
            given.addAll(waiting);
            givenEvents(given).whenCommand(new Advance(T2, Set.of("ex01"))).thenEvents();
            givenEvents(given).whenCommand(new Advance(T3, Set.of()))
                    .thenEvents(new TargetStarted("ex01", SYSTEM, T3), started("ex01", "isolate", 1, T3));
        }
    }

    @Nested
    class Cancel_ {

        final RunRequested requested = requested(isolate(), patch(Retry.NONE, null, true), plain("restore"));
        final List<RunEvent> patchRunning = events(requested, new RunStarted(SYSTEM, T0),
                new TargetStarted("ex01", SYSTEM, T0), started("ex01", "isolate", 1, T0),
                succeeded("ex01", "isolate", 1, T0), started("ex01", "patch", 1, T0));

        @Test
        void a_cancel_lets_the_running_step_finish_then_undoes_every_completed_step_even_those_kept_on_failure() {
            givenEvents(patchRunning).whenCommand(new Cancel(CancelMode.FINISH_STEP, "carol", T1))
                    .thenEvents(new CancelRequested(CancelMode.FINISH_STEP, "carol", T1),
                            new TargetCancelled("ex02", "cancelled by request before it started", SYSTEM, T1));
            List<RunEvent> given = events();
            given.addAll(patchRunning);
            given.add(new CancelRequested(CancelMode.FINISH_STEP, "carol", T1));
            given.add(new TargetCancelled("ex02", "cancelled by request before it started", SYSTEM, T1));
            var spec = givenEvents(given).whenCommand(new RecordOutcome("ex01", "patch", 1, RunPoliciesTest.ok(), T2));
            spec.thenEvents(succeeded("ex01", "patch", 1, T2),
                    new CompensationStarted("ex01", null, "cancelled by request", true, List.of("isolate"), SYSTEM, T2),
                    new StepStarted("ex01", "restore", 1, "isolate", SYSTEM, T2));
            given.addAll(RunDecider.decide(new RecordOutcome("ex01", "patch", 1, RunPoliciesTest.ok(), T2),
                    RunDecider.fold(given)));
            var end = givenEvents(given).whenCommand(new RecordOutcome("ex01", "restore", 1, RunPoliciesTest.ok(), T3));
            end.thenEvents(succeeded("ex01", "restore", 1, T3),
                    new StepCompensated("ex01", "isolate", "restore", SYSTEM, T3),
                    new TargetCancelled("ex01", "cancelled by request", SYSTEM, T3),
                    new RunCancelled("cancelled by request", SYSTEM, T3));
            assertThat(end.thenState().status()).isEqualTo(RunStatus.CANCELLED);
        }

        @Test
        void an_interrupted_step_is_recorded_as_failed_by_the_cancel_and_not_retried() {
            RunRequested retried = requested(isolate(), patch(CONNECTION_RETRIES, null, true), plain("restore"));
            List<RunEvent> given = events();
            given.addAll(patchRunning);
            given.set(0, retried);
            given.add(new CancelRequested(CancelMode.INTERRUPT, "carol", T1));
            given.add(new TargetCancelled("ex02", "cancelled by request before it started", SYSTEM, T1));
            givenEvents(given).whenCommand(new RecordOutcome("ex01", "patch", 1,
                            new StepOutcome.Errored(FailureKind.CANCELLED, "interrupted by the cancel"), T2))
                    .thenEvents(new StepFailed("ex01", "patch", 1, null, List.of("interrupted by the cancel"), "", "",
                                    SYSTEM, T2),
                            new CompensationStarted("ex01", "patch", "cancelled by request", true, List.of("isolate"),
                                    SYSTEM, T2),
                            new StepStarted("ex01", "restore", 1, "isolate", SYSTEM, T2));
        }

        @Test
        void a_cancel_while_waiting_for_approval_ends_the_run_without_the_step() {
            RunRequested approvals = requested(List.of(plain("precheck"),
                    patch(Retry.NONE, new Approval("approver", 0, false), true)), null, null, "ex01");
            var spec = givenEvents(approvals, new RunStarted(SYSTEM, T0), new TargetStarted("ex01", SYSTEM, T0),
                    started("ex01", "precheck", 1, T0), succeeded("ex01", "precheck", 1, T0),
                    new ApprovalRequested("ex01", "patch", "approver", null, SYSTEM, T0))
                    .whenCommand(new Cancel(null, "carol", T1));
            spec.thenEvents(new CancelRequested(CancelMode.FINISH_STEP, "carol", T1),
                    new TargetCancelled("ex01", "cancelled by request", SYSTEM, T1),
                    new RunCancelled("cancelled by request", SYSTEM, T1));
            assertThat(spec.thenState().target("ex01").orElseThrow().step("patch").orElseThrow().status())
                    .isEqualTo(WorkStatus.CANCELLED);
        }

        @Test
        void a_run_is_cancelled_once_and_an_ended_run_not_at_all() {
            List<RunEvent> given = events();
            given.addAll(patchRunning);
            given.add(new CancelRequested(CancelMode.FINISH_STEP, "carol", T1));
            givenEvents(given).whenCommand(new Cancel(CancelMode.INTERRUPT, "dave", T2))
                    .thenRejected("already being cancelled");
            givenEvents(requested, new RunStarted(SYSTEM, T0), new TargetSkipped("ex01", "x", SYSTEM, T0),
                    new TargetSkipped("ex02", "x", SYSTEM, T0), new RunFailed("x", SYSTEM, T0))
                    .whenCommand(new Cancel(CancelMode.INTERRUPT, "dave", T2)).thenRejected("already ended");
        }
    }

    @Nested
    class Crash_recovery {

        @Test
        void a_change_making_step_whose_outcome_was_lost_is_probed_before_anything_is_decided() {
            RunRequested requested = requested(isolate(), patch(Retry.NONE, null, true), plain("restore"));
            givenEvents(requested, new RunStarted(SYSTEM, T0), new TargetStarted("ex01", SYSTEM, T0),
                    started("ex01", "isolate", 1, T0), succeeded("ex01", "isolate", 1, T0),
                    started("ex01", "patch", 1, T0))
                    .whenCommand(new Recover(T1))
                    .thenEvents(new RunEvent.StepOutcomeUnknown("ex01", "patch", 1, "the service stopped during"
                            + " attempt 1 and the step changes the server; its marker on the host is probed", SYSTEM, T1));
        }

        @Test
        void a_read_only_step_whose_outcome_was_lost_runs_again_as_a_crash_re_run() {
            PlannedStep health = new PlannedStep("health", Retry.NONE, 0, null, null, false, false, false, null,
                    false, Set.of(), true);
            RunRequested requested = requested(health, plain("restore"));
            givenEvents(requested, new RunStarted(SYSTEM, T0), new TargetStarted("ex01", SYSTEM, T0),
                    started("ex01", "health", 1, T0))
                    .whenCommand(new Recover(T1))
                    .thenEvents(new StepInterrupted("ex01", "health", 1, "the service stopped during attempt 1; the"
                                    + " step only reads the server, so it runs again (re-run 1 of at most 3 after lost"
                                    + " outcomes)", true, SYSTEM, T1),
                            new StepStarted("ex01", "health", 2, null, 1, SYSTEM, T1));
        }

        @Test
        void recovering_a_run_with_nothing_running_only_moves_it_on() {
            RunRequested requested = requested(isolate(), patch(Retry.NONE, null, false), plain("restore"));
            givenEvents(requested, new RunStarted(SYSTEM, T0), new TargetStarted("ex01", SYSTEM, T0),
                    started("ex01", "isolate", 1, T0), succeeded("ex01", "isolate", 1, T0))
                    .whenCommand(new Recover(T1))
                    .thenEvents(started("ex01", "patch", 1, T1));
        }
    }
}
