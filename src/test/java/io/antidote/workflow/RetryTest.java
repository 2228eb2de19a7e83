package io.antidote.workflow;

import io.antidote.workflow.RunCommand.Advance;
import io.antidote.workflow.RunCommand.Cancel;
import io.antidote.workflow.RunCommand.CancelMode;
import io.antidote.workflow.RunCommand.DecideApproval;
import io.antidote.workflow.RunCommand.RecordOutcome;
import io.antidote.workflow.RunCommand.RequestRun;
import io.antidote.workflow.RunCommand.RetryRun;
import io.antidote.workflow.RunEvent.ApprovalRequested;
import io.antidote.workflow.RunEvent.CancelRequested;
import io.antidote.workflow.RunEvent.CompensationStarted;
import io.antidote.workflow.RunEvent.RetryRequested;
import io.antidote.workflow.RunEvent.RunRequested;
import io.antidote.workflow.RunEvent.RunStarted;
import io.antidote.workflow.RunEvent.StepCarriedOver;
import io.antidote.workflow.RunEvent.StepSkippedByPerson;
import io.antidote.workflow.RunEvent.StepStarted;
import io.antidote.workflow.RunEvent.TargetStarted;
import io.antidote.workflow.RunPlan.Approval;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 15 point 4: going on from where a run failed. A retry is a new run whose first events carry over what the
 * ended run's targets did before the step each stopped at, so that the step runs next, its approval is asked
 * again, and the isolation and maintenance already in place are undone by the new run exactly as the old one would
 * have undone them: never the isolation of a server the new run did not verify fixed and clean.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RetryTest {

    static final UUID SOURCE = UUID.fromString("00000000-0000-0000-0000-000000001501");
    static final UUID RETRY = UUID.fromString("00000000-0000-0000-0000-000000001502");
    static final Instant T0 = Instant.parse("2021-03-03T08:00:00Z");
    static final Instant T1 = T0.plusSeconds(60);
    static final Instant T2 = T1.plusSeconds(1);

    static PlannedStep step(String id, String compensate, boolean compensationOnly, Approval approval,
                            Set<Verification> verifies, boolean restores, boolean readOnly) {
        return new PlannedStep(id, Retry.NONE, 0, approval, compensate, compensate != null, compensationOnly, true,
                null, restores, verifies, readOnly, false);
    }

    static final RunPlan PLAN = new RunPlan("proxylogon-remediation", "ab".repeat(32), List.of(
            step("precheck", null, false, null, Set.of(Verification.FIXED), false, true),
            step("isolate", "restore", false, null, Set.of(), false, false),
            step("maintenance", "leave", false, null, Set.of(), false, false),
            step("patch", null, false, new Approval("approver", 0, false), Set.of(), false, false),
            step("verify", null, false, null, Set.of(Verification.FIXED), false, true),
            step("scan", null, false, null, Set.of(Verification.CLEAN), false, true),
            step("leave", null, true, null, Set.of(), false, false),
            step("restore", null, false, null, Set.of(), true, false)), List.of("ex01", "ex02"));

    static StepOutcome ok(Map<String, Object> outputs) {
        return new StepOutcome.Completed(0, "", "", List.of(), outputs);
    }

    static StepOutcome ok() {
        return ok(Map.of());
    }

    static StepOutcome exit1603() {
        return new StepOutcome.Completed(1, "", "msiexec 1603", List.of("exit code 1 (expected 0)"), Map.of());
    }

    /** The events the commands lead to, each decided on the fold of those before. */
    static List<RunEvent> drive(List<RunEvent> before, RunCommand... commands) {
        List<RunEvent> events = new ArrayList<>(before);
        for (RunCommand command : commands) {
            events.addAll(RunDecider.decide(command, RunDecider.fold(events)));
        }
        return events;
    }

    /** ex01 precheck found vulnerable, isolated, in maintenance, waiting for the patch's approval. */
    static List<RunEvent> waitingForPatch() {
        return drive(List.of(), new RequestRun(SOURCE, PLAN, Map.of("evidenceRoot", "C:\\Evidence"), "INC-15", "k1",
                        "alice", T0), new Advance(T0),
                new RecordOutcome("ex01", "precheck", 1, ok(Map.of("patched", false)), T0),
                new RecordOutcome("ex01", "isolate", 1, ok(), T0),
                new RecordOutcome("ex01", "maintenance", 1, ok(), T0));
    }

    /** The patch was approved and failed: ex01 failed, still isolated and in maintenance; ex02 never reached. */
    static List<RunEvent> patchFailed() {
        return drive(waitingForPatch(), new DecideApproval("ex01", "patch", true, "CHG-1", "bob", T0),
                new RecordOutcome("ex01", "patch", 1, exit1603(), T0));
    }

    static List<RetryRun.Recorded> recorded(List<RunEvent> events) {
        List<RetryRun.Recorded> recorded = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            recorded.add(new RetryRun.Recorded(i + 1, events.get(i)));
        }
        return recorded;
    }

    /** The seq of the event of this type that recorded the step on ex01. */
    static long seqOf(List<RunEvent> events, Class<? extends RunEvent> type, String step) {
        for (int i = 0; i < events.size(); i++) {
            if (type.isInstance(events.get(i)) && events.get(i) instanceof RunEvent.AtStep at
                    && at.step().equals(step) && at.target().equals("ex01")) {
                return i + 1;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " of " + step);
    }

    static RetryRun retry(List<RunEvent> source, RetryRun.Skip... skips) {
        return new RetryRun(RETRY, recorded(source), List.of(skips), "carol", T1);
    }

    static List<RunEvent> retried(List<RunEvent> source, RetryRun.Skip... skips) {
        return RunDecider.decide(retry(source, skips), RunState.NONE);
    }

    static final RunPlan RETRY_PLAN = new RunPlan(PLAN.playbook(), PLAN.digest(), PLAN.steps(), List.of("ex01", "ex02"));

    @Test
    void a_failed_target_resumes_at_its_failed_step_with_the_steps_before_carried_over_naming_their_record() {
        List<RunEvent> source = patchFailed();
        assertThat(RunDecider.fold(source).status()).isEqualTo(RunStatus.FAILED);

        givenEvents().whenCommand(retry(source)).thenEvents(
                new RunRequested(RETRY, RETRY_PLAN, Map.of("evidenceRoot", "C:\\Evidence"), "INC-15", null, "carol", T1),
                new RetryRequested(SOURCE, List.of("ex01", "ex02"), "carol", T1),
                new StepCarriedOver("ex01", "precheck", WorkStatus.SUCCEEDED, 0, Map.of("patched", false), SOURCE,
                        seqOf(source, RunEvent.StepSucceeded.class, "precheck"), SYSTEM, T1),
                new StepCarriedOver("ex01", "isolate", WorkStatus.SUCCEEDED, 0, Map.of(), SOURCE,
                        seqOf(source, RunEvent.StepSucceeded.class, "isolate"), SYSTEM, T1),
                new StepCarriedOver("ex01", "maintenance", WorkStatus.SUCCEEDED, 0, Map.of(), SOURCE,
                        seqOf(source, RunEvent.StepSucceeded.class, "maintenance"), SYSTEM, T1));
    }

    @Test
    void the_retry_asks_the_patch_approval_again_and_runs_nothing_carried_over() {
        givenEvents(retried(patchFailed())).whenCommand(new Advance(T2)).thenEvents(
                new RunStarted(SYSTEM, T2),
                new TargetStarted("ex01", SYSTEM, T2),
                new ApprovalRequested("ex01", "patch", "approver", null, SYSTEM, T2));
    }

    @Test
    void the_requester_of_the_retry_may_not_approve_it_though_someone_else_approved_the_run_retried() {
        List<RunEvent> waiting = drive(retried(patchFailed()), new Advance(T2));
        givenEvents(waiting).whenCommand(new DecideApproval("ex01", "patch", true, null, "carol", T2))
                .thenRejected("'carol' requested this run");
        givenEvents(waiting).whenCommand(new DecideApproval("ex01", "patch", true, null, "bob", T2))
                .thenEvents(new RunEvent.ApprovalGranted("ex01", "patch", null, "bob", T2),
                        new StepStarted("ex01", "patch", 1, SYSTEM, T2));
    }

    @Test
    void once_the_retry_verifies_the_server_fixed_and_clean_the_carried_isolation_is_restored() {
        List<RunEvent> events = drive(retried(patchFailed()), new Advance(T2),
                new DecideApproval("ex01", "patch", true, null, "bob", T2),
                new RecordOutcome("ex01", "patch", 1, ok(), T2),
                new RecordOutcome("ex01", "verify", 1, ok(), T2),
                new RecordOutcome("ex01", "scan", 1, ok(Map.of("indicators", "")), T2));
        assertThat(events.get(events.size() - 1)).isEqualTo(new StepStarted("ex01", "restore", 1, SYSTEM, T2));
        assertThat(events).as("no step carried over ran again")
                .noneMatch(e -> e instanceof StepStarted s && List.of("precheck", "isolate", "maintenance").contains(s.step()));
    }

    @Test
    void the_retry_failing_again_leaves_the_carried_isolation_and_maintenance_in_place() {
        List<RunEvent> events = drive(retried(patchFailed()), new Advance(T2),
                new DecideApproval("ex01", "patch", true, null, "bob", T2),
                new RecordOutcome("ex01", "patch", 1, exit1603(), T2));
        assertThat(events).noneMatch(CompensationStarted.class::isInstance);
        TargetState ex01 = RunDecider.fold(events).target("ex01").orElseThrow();
        assertThat(ex01.status()).isEqualTo(WorkStatus.FAILED);
        assertThat(ex01.verdict().service()).as("the isolation carried over is the retry's to keep")
                .isEqualTo(Verdict.Service.ISOLATED);
        assertThat(ex01.verdict().patch()).isEqualTo(Verdict.Patch.VULNERABLE);
    }

    @Test
    void a_cancel_of_the_retry_undoes_the_carried_maintenance_and_keeps_the_vulnerable_server_isolated() {
        givenEvents(drive(retried(patchFailed()), new Advance(T2)))
                .whenCommand(new Cancel(CancelMode.FINISH_STEP, "carol", T2))
                .thenEvents(new CancelRequested(CancelMode.FINISH_STEP, "carol", T2),
                        new CompensationStarted("ex01", null, "cancelled by request", true, List.of("maintenance"),
                                SYSTEM, T2),
                        new RunEvent.TargetCancelled("ex02", "cancelled by request before it started", SYSTEM, T2),
                        new StepStarted("ex01", "leave", 1, "maintenance", SYSTEM, T2));
    }

    @Test
    void a_step_undone_after_a_cancel_is_not_carried_over_and_runs_again() {
        List<RunEvent> cancelled = drive(waitingForPatch(), new Cancel(CancelMode.FINISH_STEP, "alice", T0),
                new RecordOutcome("ex01", "leave", 1, ok(), T0));
        assertThat(RunDecider.fold(cancelled).status()).isEqualTo(RunStatus.CANCELLED);

        List<RunEvent> retry = retried(cancelled);
        assertThat(retry).filteredOn(StepCarriedOver.class::isInstance)
                .extracting(e -> ((StepCarriedOver) e).step()).containsExactly("precheck", "isolate");
        assertThat(drive(retry, new Advance(T2))).last()
                .isEqualTo(new StepStarted("ex01", "maintenance", 1, SYSTEM, T2));
    }

    @Test
    void a_step_whose_undo_failed_halfway_is_not_carried_over_though_it_still_shows_succeeded() {
        List<RunEvent> cancelled = drive(waitingForPatch(), new Cancel(CancelMode.FINISH_STEP, "alice", T0),
                new RecordOutcome("ex01", "leave", 1, exit1603(), T0));
        assertThat(RunDecider.fold(cancelled).target("ex01").orElseThrow().step("maintenance").orElseThrow().status())
                .isEqualTo(WorkStatus.SUCCEEDED);

        assertThat(retried(cancelled)).filteredOn(StepCarriedOver.class::isInstance)
                .extracting(e -> ((StepCarriedOver) e).step()).containsExactly("precheck", "isolate");
    }

    @Test
    void a_target_never_reached_resumes_at_its_first_step_and_a_target_that_succeeded_is_not_retried() {
        RunPlan two = new RunPlan(PLAN.playbook(), PLAN.digest(), PLAN.steps(), List.of("ex01", "ex02"),
                new RunPlan.Strategy(1, 0, 2), Map.of());
        List<RunEvent> source = drive(List.of(), new RequestRun(SOURCE, two, Map.of(), null, null, "alice", T0),
                new Advance(T0), new RecordOutcome("ex01", "precheck", 1, ok(Map.of("patched", true)), T0),
                new RecordOutcome("ex01", "isolate", 1, ok(), T0), new RecordOutcome("ex01", "maintenance", 1, ok(), T0),
                new DecideApproval("ex01", "patch", true, null, "bob", T0),
                new RecordOutcome("ex01", "patch", 1, ok(), T0), new RecordOutcome("ex01", "verify", 1, ok(), T0),
                new RecordOutcome("ex01", "scan", 1, ok(Map.of("indicators", "")), T0),
                new RecordOutcome("ex01", "restore", 1, ok(), T0),
                new RecordOutcome("ex02", "precheck", 1, exit1603(), T0));
        assertThat(RunDecider.fold(source).status()).isEqualTo(RunStatus.FAILED);

        List<RunEvent> retry = retried(source);
        assertThat(((RunRequested) retry.get(0)).plan().targets()).containsExactly("ex02");
        assertThat(retry).noneMatch(StepCarriedOver.class::isInstance);
        assertThat(drive(retry, new Advance(T2))).last().isEqualTo(new StepStarted("ex02", "precheck", 1, SYSTEM, T2));
    }

    @Test
    void a_run_still_going_or_one_that_succeeded_is_not_retried() {
        givenEvents().whenCommand(retry(waitingForPatch()))
                .thenRejected("is WAITING_APPROVAL: only a run that ended FAILED or CANCELLED can be retried; wait for"
                        + " it to end, or cancel it");
        RunPlan one = new RunPlan(PLAN.playbook(), PLAN.digest(), List.of(new PlannedStep("precheck")), List.of("ex01"));
        List<RunEvent> succeeded = drive(List.of(), new RequestRun(SOURCE, one, Map.of(), null, null, "alice", T0),
                new Advance(T0), new RecordOutcome("ex01", "precheck", 1, ok(), T0));
        givenEvents().whenCommand(retry(succeeded)).thenRejected("is SUCCEEDED: only a run that ended FAILED or"
                + " CANCELLED can be retried");
    }

    @Test
    void a_retry_of_a_retry_names_the_first_record_of_what_it_carries_over() {
        List<RunEvent> source = patchFailed();
        List<RunEvent> second = drive(retried(source), new Advance(T2),
                new DecideApproval("ex01", "patch", true, null, "bob", T2),
                new RecordOutcome("ex01", "patch", 1, exit1603(), T2));
        assertThat(RunDecider.fold(second).status()).isEqualTo(RunStatus.FAILED);
        UUID third = UUID.randomUUID();

        List<RunEvent> retry = RunDecider.decide(new RetryRun(third, recorded(second), List.of(), "dave", T2),
                RunState.NONE);
        assertThat(retry.get(1)).isEqualTo(new RetryRequested(RETRY, List.of("ex01", "ex02"), "dave", T2));
        assertThat(retry).filteredOn(StepCarriedOver.class::isInstance).first().isEqualTo(new StepCarriedOver("ex01",
                "precheck", WorkStatus.SUCCEEDED, 0, Map.of("patched", false), SOURCE,
                seqOf(source, RunEvent.StepSucceeded.class, "precheck"), SYSTEM, T2));
        assertThat(RunDecider.fold(retry).retryOf()).isEqualTo(RETRY);
    }

    // ---- skipping a step with a reason ----

    @Test
    void a_person_skips_a_step_on_record_and_the_target_goes_on_past_it() {
        List<RunEvent> retry = retried(patchFailed(), new RetryRun.Skip("ex01", "patch", " installed by hand, CHG-9 "));
        assertThat(retry).last().isEqualTo(new StepSkippedByPerson("ex01", "patch", "installed by hand, CHG-9", "carol",
                T1));
        givenEvents(retry).whenCommand(new Advance(T2)).thenEvents(new RunStarted(SYSTEM, T2),
                new TargetStarted("ex01", SYSTEM, T2), new StepStarted("ex01", "verify", 1, SYSTEM, T2));
        assertThat(RunDecider.fold(retry).target("ex01").orElseThrow().step("patch").orElseThrow().status())
                .isEqualTo(WorkStatus.SKIPPED);
    }

    @Test
    void a_step_the_verdict_or_the_servers_safety_rests_on_may_not_be_skipped() {
        List<RunEvent> source = patchFailed();
        assertSkipRefused(source, new RetryRun.Skip("ex01", "verify", "trust me"), "skip[0].step",
                "step 'verify' on 'ex01' may not be skipped: it verifies the server (fixed)");
        assertSkipRefused(source, new RetryRun.Skip("ex01", "scan", "trust me"), "skip[0].step",
                "it verifies the server (clean)");
        assertSkipRefused(source, new RetryRun.Skip("ex01", "restore", "trust me"), "skip[0].step",
                "it returns the server to service, which only the run's own verification allows");
        assertSkipRefused(source, new RetryRun.Skip("ex02", "isolate", "trust me"), "skip[0].step",
                "it protects the server and is undone by step 'restore'");
        assertSkipRefused(source, new RetryRun.Skip("ex01", "leave", "trust me"), "skip[0].step",
                "it only undoes another step");
        assertSkipRefused(source, new RetryRun.Skip("ex01", "isolate", "trust me"), "skip[0].step",
                "it is carried over: it ended in the run retried, and 'ex01' resumes at step 'patch'");
    }

    @Test
    void a_step_that_may_have_run_only_partly_may_not_be_skipped() {
        List<RunEvent> timedOut = drive(waitingForPatch(), new DecideApproval("ex01", "patch", true, null, "bob", T0),
                new RecordOutcome("ex01", "patch", 1, new StepOutcome.Errored(FailureKind.TIMEOUT, "timed out"), T0));
        assertSkipRefused(timedOut, new RetryRun.Skip("ex01", "patch", "probably fine"), "skip[0].step",
                "its last attempt changed the server and ended without a known outcome: it may have run only partly");
        assertThat(retried(timedOut)).as("and the retry runs it again")
                .noneMatch(e -> e instanceof StepCarriedOver c && c.step().equals("patch"));
    }

    @Test
    void a_skip_needs_a_reason_a_target_of_the_retry_and_a_step_of_the_playbook_each_once() {
        List<RunEvent> source = patchFailed();
        assertSkipRefused(source, new RetryRun.Skip("ex01", "patch", " "), "skip[0].reason", "a skip needs a reason");
        assertSkipRefused(source, new RetryRun.Skip("ex09", "patch", "why"), "skip[0].target",
                "'ex09' is not a target this retry goes on with (ex01, ex02)");
        assertSkipRefused(source, new RetryRun.Skip("ex01", "nope", "why"), "skip[0].step", "has no step 'nope'");
        assertThatThrownBy(() -> retried(source, new RetryRun.Skip("ex01", "patch", "a"),
                new RetryRun.Skip("ex01", "patch", "b"))).isInstanceOfSatisfying(CommandRejected.InvalidPart.class,
                e -> assertThat(e.field()).isEqualTo("skip[1]")).hasMessageContaining("named twice");
    }

    private static void assertSkipRefused(List<RunEvent> source, RetryRun.Skip skip, String field, String message) {
        assertThatThrownBy(() -> retried(source, skip)).as("skip of %s", skip)
                .isInstanceOfSatisfying(CommandRejected.InvalidPart.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageContaining(message);
    }
}
