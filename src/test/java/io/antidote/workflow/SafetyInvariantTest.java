package io.antidote.workflow;

import io.antidote.workflow.RunCommand.Cancel;
import io.antidote.workflow.RunCommand.CancelMode;
import io.antidote.workflow.RunCommand.RecordOutcome;
import io.antidote.workflow.RunCommand.ReleaseTarget;
import io.antidote.workflow.RunEvent.ApprovalRequested;
import io.antidote.workflow.RunEvent.CancelRequested;
import io.antidote.workflow.RunEvent.RunCancelled;
import io.antidote.workflow.RunEvent.RunFailed;
import io.antidote.workflow.RunEvent.RunRequested;
import io.antidote.workflow.RunEvent.RunStarted;
import io.antidote.workflow.RunEvent.RunSucceeded;
import io.antidote.workflow.RunEvent.StepStarted;
import io.antidote.workflow.RunEvent.StepSucceeded;
import io.antidote.workflow.RunEvent.TargetCancelled;
import io.antidote.workflow.RunEvent.TargetFailed;
import io.antidote.workflow.RunEvent.TargetReleased;
import io.antidote.workflow.RunEvent.TargetStarted;
import io.antidote.workflow.RunEvent.TargetSucceeded;
import io.antidote.workflow.RunEvent.TargetVerdictRecorded;
import io.antidote.workflow.RunPlan.Approval;
import io.antidote.workflow.RunPlan.PlannedStep;
import io.antidote.workflow.RunPlan.Retry;
import io.antidote.workflow.Verdict.Compromise;
import io.antidote.workflow.Verdict.Patch;
import io.antidote.workflow.Verdict.Service;
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
 * The safety rule, decided by the workflow and not left to playbook authors: the step that returns a
 * server to service runs, in its order or as an undo, only when the same run verified the server fixed and
 * clean; otherwise the server stays isolated and its verdict says why. A person may release it, on record.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SafetyInvariantTest {

    static final UUID RUN = UUID.fromString("00000000-0000-0000-0000-000000000012");
    static final Instant T0 = Instant.parse("2021-03-03T08:00:00Z");
    static final Instant T1 = T0.plusSeconds(1);
    static final Instant T2 = T0.plusSeconds(2);

    static final RunPlan PLAN = new RunPlan("proxylogon-remediation", "ab".repeat(32), List.of(
            step("precheck", null, false, false, Set.of(Verification.FIXED)),
            step("isolate", "restore", true, false, Set.of()),
            step("scan", null, false, false, Set.of(Verification.CLEAN)),
            new PlannedStep("patch", Retry.NONE, 0, new Approval("approver", 0, false), null, false, false, false,
                    null, false, Set.of()),
            step("verify", null, false, false, Set.of(Verification.FIXED)),
            step("restore", null, false, true, Set.of())), List.of("ex01"));

    static PlannedStep step(String id, String compensate, boolean keepOnFailure, boolean restores,
                            Set<Verification> verifies) {
        return new PlannedStep(id, Retry.NONE, 0, null, compensate, keepOnFailure, false, true, null, restores,
                verifies);
    }

    static List<RunEvent> ran(String step, Map<String, Object> outputs) {
        return List.of(new StepStarted("ex01", step, 1, SYSTEM, T0),
                new StepSucceeded("ex01", step, 1, 0, "", "", outputs, SYSTEM, T0));
    }

    /** Precheck found it unpatched, isolated, scanned with these indicators ("" for none). */
    static List<RunEvent> isolatedAndScanned(String indicators) {
        List<RunEvent> events = new ArrayList<>(List.of(
                new RunRequested(RUN, PLAN, Map.of(), null, null, "alice", T0),
                new RunStarted(SYSTEM, T0), new TargetStarted("ex01", SYSTEM, T0)));
        events.addAll(ran("precheck", Map.of("patched", false, "build", "15.1.2176.2")));
        events.addAll(ran("isolate", Map.of()));
        events.addAll(ran("scan", Map.of("indicators", indicators)));
        return events;
    }

    static List<RunEvent> awaitingApproval() {
        List<RunEvent> events = new ArrayList<>(isolatedAndScanned(""));
        events.add(new ApprovalRequested("ex01", "patch", "approver", null, SYSTEM, T0));
        return events;
    }

    static List<RunEvent> patchedAndVerified(String indicators) {
        List<RunEvent> events = new ArrayList<>(isolatedAndScanned(indicators));
        events.add(new ApprovalRequested("ex01", "patch", "approver", null, SYSTEM, T0));
        events.add(new RunEvent.ApprovalGranted("ex01", "patch", null, "bob", T0));
        events.addAll(ran("patch", Map.of()));
        events.add(new StepStarted("ex01", "verify", 1, SYSTEM, T0));
        return events;
    }

    static StepOutcome ok() {
        return new StepOutcome.Completed(0, "", "", List.of(), Map.of());
    }

    @Test
    void a_cancel_while_the_patch_waits_for_approval_leaves_the_unpatched_server_isolated() {
        List<RunEvent> events = givenEvents(awaitingApproval())
                .whenCommand(new Cancel(CancelMode.FINISH_STEP, "carol", T1))
                .thenEvents(new CancelRequested(CancelMode.FINISH_STEP, "carol", T1),
                        new TargetVerdictRecorded("ex01", new Verdict(Patch.VULNERABLE, Compromise.CLEAN, List.of(),
                                Service.ISOLATED, List.of(
                                "vulnerable: step 'precheck' found it without the fix (build 15.1.2176.2)",
                                "kept isolated: this run did not verify it fixed and clean", "cancelled by request")),
                                SYSTEM, T1),
                        new TargetCancelled("ex01", "cancelled by request", SYSTEM, T1),
                        new RunCancelled("cancelled by request", SYSTEM, T1));
        assertThat(events).noneMatch(e -> e instanceof StepStarted s && s.step().equals("restore"));
    }

    @Test
    void a_failed_patch_leaves_the_server_isolated_and_says_it_is_vulnerable() {
        List<RunEvent> given = new ArrayList<>(awaitingApproval());
        given.add(new RunEvent.ApprovalGranted("ex01", "patch", null, "bob", T0));
        given.add(new StepStarted("ex01", "patch", 1, SYSTEM, T0));
        List<RunEvent> events = givenEvents(given)
                .whenCommand(new RecordOutcome("ex01", "patch", 1,
                        new StepOutcome.Completed(1, "", "msiexec failed with exit code 1603", List.of("exit code 1, expected 0"), Map.of()), T1))
                .thenEvents(new RunEvent.StepFailed("ex01", "patch", 1, 1, List.of("exit code 1, expected 0"), "",
                                "msiexec failed with exit code 1603", SYSTEM, T1),
                        new TargetVerdictRecorded("ex01", new Verdict(Patch.VULNERABLE, Compromise.CLEAN, List.of(),
                                Service.ISOLATED, List.of(
                                "vulnerable: step 'precheck' found it without the fix (build 15.1.2176.2)",
                                "kept isolated: this run did not verify it fixed and clean",
                                "step 'patch' failed: exit code 1, expected 0: msiexec failed with exit code 1603")),
                                SYSTEM, T1),
                        new TargetFailed("ex01", "patch", "step 'patch' failed: exit code 1, expected 0: msiexec failed"
                                + " with exit code 1603", SYSTEM, T1),
                        new RunFailed("1 of 1 targets failed", SYSTEM, T1));
        assertThat(events).noneMatch(e -> e instanceof StepStarted s && s.step().equals("restore"));
    }

    @Test
    void a_compromised_server_verified_patched_never_reaches_its_restore_step() {
        String reason = "step 'restore' not run, the server stays isolated: compromised: 2 indicators of compromise"
                + " found; kept isolated: this run did not verify it fixed and clean";
        givenEvents(patchedAndVerified("C:\\inetpub\\wwwroot\\aspnet_client\\shell.aspx | CVE-2021-26855: HttpProxy"))
                .whenCommand(new RecordOutcome("ex01", "verify", 1, ok(), T1))
                .thenEvents(new StepSucceeded("ex01", "verify", 1, 0, "", "", Map.of(), SYSTEM, T1),
                        new TargetVerdictRecorded("ex01", new Verdict(Patch.PATCHED, Compromise.COMPROMISED,
                                List.of("C:\\inetpub\\wwwroot\\aspnet_client\\shell.aspx", "CVE-2021-26855: HttpProxy"),
                                Service.ISOLATED, List.of("compromised: 2 indicators of compromise found",
                                "kept isolated: this run did not verify it fixed and clean", reason)), SYSTEM, T1),
                        new TargetFailed("ex01", "restore", reason, SYSTEM, T1),
                        new RunFailed("1 of 1 targets failed", SYSTEM, T1));
    }

    @Test
    void a_server_verified_fixed_and_clean_is_restored_and_its_verdict_says_in_service() {
        List<RunEvent> given = new ArrayList<>(patchedAndVerified(""));
        given.addAll(ran("verify", Map.of()));
        given.add(new StepStarted("ex01", "restore", 1, SYSTEM, T1));
        givenEvents(given)
                .whenCommand(new RecordOutcome("ex01", "restore", 1, ok(), T2))
                .thenEvents(new StepSucceeded("ex01", "restore", 1, 0, "", "", Map.of(), SYSTEM, T2),
                        new TargetVerdictRecorded("ex01", new Verdict(Patch.PATCHED, Compromise.CLEAN, List.of(),
                                Service.IN_SERVICE, List.of()), SYSTEM, T2),
                        new TargetSucceeded("ex01", SYSTEM, T2),
                        new RunSucceeded(SYSTEM, T2));
    }

    @Test
    void verification_fixed_and_clean_comes_first_so_a_cancel_then_undoes_the_isolation() {
        List<RunEvent> given = new ArrayList<>(patchedAndVerified(""));
        given.addAll(ran("verify", Map.of()));
        givenEvents(given)
                .whenCommand(new Cancel(CancelMode.FINISH_STEP, "carol", T1))
                .thenEvents(new CancelRequested(CancelMode.FINISH_STEP, "carol", T1),
                        new RunEvent.CompensationStarted("ex01", null, "cancelled by request", true, List.of("isolate"),
                                SYSTEM, T1),
                        new StepStarted("ex01", "restore", 1, "isolate", SYSTEM, T1));
    }

    @Test
    void a_person_may_release_an_isolated_server_on_record_and_the_restore_step_then_runs() {
        List<RunEvent> given = new ArrayList<>(awaitingApproval());
        given.addAll(givenEvents(awaitingApproval()).whenCommand(new Cancel(CancelMode.FINISH_STEP, "carol", T1))
                .thenEvents(new CancelRequested(CancelMode.FINISH_STEP, "carol", T1),
                        new TargetCancelled("ex01", "cancelled by request", SYSTEM, T1),
                        new RunCancelled("cancelled by request", SYSTEM, T1)));
        givenEvents(given).whenCommand(new ReleaseTarget("ex01", "patched by hand, scanned clean (INC-42)", "dana", T2))
                .thenEvents(new TargetReleased("ex01", "restore", "patched by hand, scanned clean (INC-42)", "dana", T2),
                        new StepStarted("ex01", "restore", 1, null, "dana", T2));
        given.add(new TargetReleased("ex01", "restore", "patched by hand, scanned clean (INC-42)", "dana", T2));
        given.add(new StepStarted("ex01", "restore", 1, null, "dana", T2));
        givenEvents(given).whenCommand(new RecordOutcome("ex01", "restore", 1, ok(), T2))
                .thenEvents(new StepSucceeded("ex01", "restore", 1, 0, "", "", Map.of(), SYSTEM, T2),
                        new TargetVerdictRecorded("ex01", new Verdict(Patch.VULNERABLE, Compromise.CLEAN, List.of(),
                                Service.IN_SERVICE, List.of(
                                "vulnerable: step 'precheck' found it without the fix (build 15.1.2176.2)",
                                "released by 'dana': patched by hand, scanned clean (INC-42)")), SYSTEM, T2));
    }

    @Test
    void a_release_needs_a_reason_an_ended_target_and_an_isolation() {
        givenEvents(awaitingApproval()).whenCommand(new ReleaseTarget("ex01", "fine", "dana", T1))
                .thenRejected("still at work on 'ex01'");
        List<RunEvent> cancelled = new ArrayList<>(awaitingApproval());
        cancelled.addAll(RunDecider.decide(new Cancel(CancelMode.FINISH_STEP, "carol", T1),
                RunDecider.fold(awaitingApproval())));
        givenEvents(cancelled).whenCommand(new ReleaseTarget("ex01", " ", "dana", T2)).thenRejected("needs a reason");
        List<RunEvent> restored = new ArrayList<>(patchedAndVerified(""));
        restored.addAll(ran("verify", Map.of()));
        restored.add(new StepStarted("ex01", "restore", 1, SYSTEM, T1));
        restored.addAll(RunDecider.decide(new RecordOutcome("ex01", "restore", 1, ok(), T2), RunDecider.fold(restored)));
        givenEvents(restored).whenCommand(new ReleaseTarget("ex01", "fine", "dana", T2))
                .thenRejected("'ex01' is not isolated by this run");
    }

    /** A read-only plan: a step that looks at the isolation and captures it, then a scan. */
    static final RunPlan LOOK_ONLY = new RunPlan("proxylogon-ioc-scan", "cd".repeat(32), List.of(
            step("isolation", null, false, false, Set.of()),
            step("scan", null, false, false, Set.of(Verification.CLEAN))), List.of("ex01"));

    @Test
    void a_read_only_run_that_finds_the_server_isolated_by_an_earlier_run_does_not_call_it_in_service() {
        List<RunEvent> given = new ArrayList<>(List.of(new RunRequested(RUN, LOOK_ONLY, Map.of(), null, null, "alice", T0),
                new RunStarted(SYSTEM, T0), new TargetStarted("ex01", SYSTEM, T0)));
        given.addAll(ran("isolation", Map.of("isolated", true)));
        given.add(new StepStarted("ex01", "scan", 1, SYSTEM, T1));
        givenEvents(given)
                .whenCommand(new RecordOutcome("ex01", "scan", 1,
                        new StepOutcome.Completed(0, "", "", List.of(), Map.of("indicators", "")), T2))
                .thenEvents(new StepSucceeded("ex01", "scan", 1, 0, "", "", Map.of("indicators", ""), SYSTEM, T2),
                        new TargetVerdictRecorded("ex01", new Verdict(Patch.UNKNOWN, Compromise.CLEAN, List.of(),
                                Service.ISOLATED, List.of("patch state unknown: no step of this run verified it fixed",
                                "kept isolated: this run did not verify it fixed and clean")), SYSTEM, T2),
                        new TargetSucceeded("ex01", SYSTEM, T2),
                        new RunSucceeded(SYSTEM, T2));
    }
}
