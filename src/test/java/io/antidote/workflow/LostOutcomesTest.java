package io.antidote.workflow;

import io.antidote.workflow.RunCommand.Advance;
import io.antidote.workflow.RunCommand.RecordOutcome;
import io.antidote.workflow.RunCommand.Recover;
import io.antidote.workflow.RunCommand.ResolveOutcome;
import io.antidote.workflow.RunEvent.RunFailed;
import io.antidote.workflow.RunEvent.RunRequested;
import io.antidote.workflow.RunEvent.RunStarted;
import io.antidote.workflow.RunEvent.StepFailed;
import io.antidote.workflow.RunEvent.StepInterrupted;
import io.antidote.workflow.RunEvent.StepOutcomeFound;
import io.antidote.workflow.RunEvent.StepOutcomeUnknown;
import io.antidote.workflow.RunEvent.StepRetryScheduled;
import io.antidote.workflow.RunEvent.StepStarted;
import io.antidote.workflow.RunEvent.StepSucceeded;
import io.antidote.workflow.RunEvent.TargetFailed;
import io.antidote.workflow.RunEvent.TargetStarted;
import io.antidote.workflow.RunPlan.PlannedStep;
import io.antidote.workflow.RunPlan.Retry;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
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
 * Restarts fail nothing that could go on (issue 11, point 3): what the decider makes of an attempt whose outcome
 * was lost in a crash, an adoption or a reply that never came. A read-only step runs again; a step that changes
 * the server waits for the engine's probe of its marker on the host, and the marker decides: finished (its
 * outcome is the attempt's), or not (run again if that does no harm, else fail the target with the reason).
 * Runs again after lost outcomes are counted and capped apart from the retry budget.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LostOutcomesTest {

    static final UUID RUN = UUID.fromString("00000000-0000-0000-0000-000000000011");
    static final Instant T0 = Instant.parse("2021-03-03T08:00:00Z");
    static final Instant T1 = T0.plusSeconds(1);
    static final Instant T2 = T0.plusSeconds(2);
    static final Instant LATE = T0.plusSeconds(3600);

    static final Retry THREE_ON_CONNECTION = new Retry(3, RunPlan.Backoff.FIXED, 10_000, 10_000,
            Set.of(FailureKind.CONNECTION), Set.of());

    static PlannedStep step(String id, boolean readOnly, boolean idempotent, Retry retry) {
        return new PlannedStep(id, retry, 60_000, null, null, false, false, idempotent, null, false, Set.of(),
                readOnly);
    }

    static RunRequested requested(PlannedStep... steps) {
        return new RunRequested(RUN, new RunPlan("p", "d", List.of(steps), List.of("ex01")), Map.of(), null, null,
                "alice", T0);
    }

    /** A run whose only target runs {@code first}, attempt 1, started at T0. */
    static List<RunEvent> running(RunRequested requested, String first) {
        return new ArrayList<>(Arrays.asList(requested, new RunStarted(SYSTEM, T0),
                new TargetStarted("ex01", SYSTEM, T0), new StepStarted("ex01", first, 1, SYSTEM, T0)));
    }

    static List<RunEvent> with(List<RunEvent> given, RunEvent... more) {
        List<RunEvent> all = new ArrayList<>(given);
        all.addAll(Arrays.asList(more));
        return all;
    }

    static StepOutcomeUnknown unknown(String step, int attempt, Instant at) {
        return new StepOutcomeUnknown("ex01", step, attempt, "the service stopped during attempt " + attempt
                + " and the step changes the server; its marker on the host is probed", SYSTEM, at);
    }

    static ResolveOutcome resolve(String step, int attempt, HostMarker marker, StepOutcome found, String detail) {
        return new ResolveOutcome("ex01", step, attempt, marker, found, detail, 3, T2);
    }

    final RunRequested patchThenVerify = requested(step("patch", false, false, Retry.NONE),
            step("verify", true, false, Retry.NONE));

    @Test
    void an_attempt_being_probed_is_not_judged_by_its_deadline_nor_given_a_timer() {
        List<RunEvent> given = with(running(patchThenVerify, "patch"), unknown("patch", 1, T1));
        givenEvents(given).whenCommand(new Advance(LATE)).thenEvents();
        assertThat(RunDecider.fold(given).nextDueAt()).isEmpty();
    }

    @Test
    void a_marker_that_says_the_script_finished_records_its_outcome_and_the_run_goes_on_without_running_it_again() {
        StepOutcome found = new StepOutcome.Completed(0, "", "", List.of());
        givenEvents(with(running(patchThenVerify, "patch"), unknown("patch", 1, T1)))
                .whenCommand(resolve("patch", 1, HostMarker.COMPLETED, found, "the marker says the script finished"
                        + " with exit code 0"))
                .thenEvents(new StepOutcomeFound("ex01", "patch", 1, HostMarker.COMPLETED, "the marker says the script"
                                + " finished with exit code 0", SYSTEM, T2),
                        new StepSucceeded("ex01", "patch", 1, 0, "", "", SYSTEM, T2),
                        new StepStarted("ex01", "verify", 1, SYSTEM, T2));
    }

    @Test
    void a_finished_script_whose_recorded_exit_code_misses_the_expectation_fails_the_step_as_reported() {
        StepOutcome found = new StepOutcome.Completed(1, "", "", List.of("exit code 1, expected 0"));
        givenEvents(with(running(patchThenVerify, "patch"), unknown("patch", 1, T1)))
                .whenCommand(resolve("patch", 1, HostMarker.COMPLETED, found, "the marker says the script finished"
                        + " with exit code 1"))
                .thenEvents(new StepOutcomeFound("ex01", "patch", 1, HostMarker.COMPLETED, "the marker says the script"
                                + " finished with exit code 1", SYSTEM, T2),
                        new StepFailed("ex01", "patch", 1, 1, List.of("exit code 1, expected 0"), "", "", SYSTEM, T2),
                        new TargetFailed("ex01", "patch", "step 'patch' failed: exit code 1, expected 0", SYSTEM, T2),
                        new RunFailed("1 of 1 targets failed", SYSTEM, T2));
    }

    @Test
    void a_script_that_began_and_did_not_finish_is_not_run_again_when_the_step_is_not_idempotent() {
        String reason = "the outcome of attempt 1 was lost (the marker says the script began and did not finish);"
                + " the step changes the server and is not idempotent, so it does not run again";
        givenEvents(with(running(patchThenVerify, "patch"), unknown("patch", 1, T1)))
                .whenCommand(resolve("patch", 1, HostMarker.STARTED, null,
                        "the marker says the script began and did not finish"))
                .thenEvents(new StepOutcomeFound("ex01", "patch", 1, HostMarker.STARTED, "the marker says the script"
                                + " began and did not finish", SYSTEM, T2),
                        new StepInterrupted("ex01", "patch", 1, reason, false, SYSTEM, T2),
                        new TargetFailed("ex01", "patch", "step 'patch' failed: " + reason, SYSTEM, T2),
                        new RunFailed("1 of 1 targets failed", SYSTEM, T2));
    }

    @Test
    void an_idempotent_step_without_a_marker_runs_again_and_its_attempt_says_it_is_a_crash_re_run() {
        RunRequested requested = requested(step("isolate", false, true, Retry.NONE));
        givenEvents(with(running(requested, "isolate"), unknown("isolate", 1, T1)))
                .whenCommand(resolve("isolate", 1, HostMarker.ABSENT, null, "no marker on the host"))
                .thenEvents(new StepOutcomeFound("ex01", "isolate", 1, HostMarker.ABSENT, "no marker on the host",
                                SYSTEM, T2),
                        new StepInterrupted("ex01", "isolate", 1, "the outcome of attempt 1 was lost (no marker on the"
                                + " host); the step is idempotent, so it runs again (re-run 1 of at most 3 after lost"
                                + " outcomes)", true, SYSTEM, T2),
                        new StepStarted("ex01", "isolate", 2, null, 1, SYSTEM, T2));
    }

    @Test
    void a_change_making_step_whose_marker_is_absent_never_began_on_the_host_and_runs_again() {
        givenEvents(with(running(patchThenVerify, "patch"), unknown("patch", 1, T1)))
                .whenCommand(resolve("patch", 1, HostMarker.ABSENT, null, "no marker on the host"))
                .thenEvents(new StepOutcomeFound("ex01", "patch", 1, HostMarker.ABSENT, "no marker on the host",
                                SYSTEM, T2),
                        new StepInterrupted("ex01", "patch", 1, "the outcome of attempt 1 was lost (no marker on the"
                                + " host); the script never began on the host, so it runs again (re-run 1 of at most 3"
                                + " after lost outcomes)", true, SYSTEM, T2),
                        new StepStarted("ex01", "patch", 2, null, 1, SYSTEM, T2));
    }

    @Test
    void a_reply_that_never_came_is_an_unknown_outcome_and_not_a_failure() {
        givenEvents(running(patchThenVerify, "patch"))
                .whenCommand(new RecordOutcome("ex01", "patch", 1, new StepOutcome.Unknown("WinRM to 'ex01' failed"
                        + " after the command was sent: no reply from the host within the reply timeout"), T1))
                .thenEvents(new StepOutcomeUnknown("ex01", "patch", 1, "WinRM to 'ex01' failed after the command was"
                        + " sent: no reply from the host within the reply timeout; the step's marker on the host is"
                        + " probed", SYSTEM, T1));
    }

    @Test
    void an_attempt_being_probed_takes_no_reported_outcome_and_only_a_probe_resolves_it() {
        List<RunEvent> given = with(running(patchThenVerify, "patch"), unknown("patch", 1, T1));
        givenEvents(given).whenCommand(new RecordOutcome("ex01", "patch", 1,
                new StepOutcome.Completed(0, "", "", List.of()), T2)).thenRejected("outcome unknown");
        givenEvents(running(patchThenVerify, "patch"))
                .whenCommand(resolve("patch", 1, HostMarker.COMPLETED, null, "x")).thenRejected("no outcome to resolve");
    }

    @Test
    void a_crash_while_the_marker_was_probed_probes_it_again() {
        givenEvents(with(running(patchThenVerify, "patch"), unknown("patch", 1, T1)))
                .whenCommand(new Recover(T2))
                .thenEvents(new StepOutcomeUnknown("ex01", "patch", 1, "the service stopped while the marker of"
                        + " attempt 1 was probed; it is probed again", SYSTEM, T2));
    }

    @Test
    void crash_re_runs_are_capped_and_the_cap_fails_the_target_with_its_reason() {
        RunRequested requested = requested(step("health", true, false, THREE_ON_CONNECTION));
        List<RunEvent> given = running(requested, "health");
        Instant at = T0;
        // Three restarts in a row, each during the attempt: each runs it again, as re-run 1, 2 and 3.
        for (int rerun = 1; rerun <= 3; rerun++) {
            at = at.plusSeconds(1);
            List<RunEvent> decided = RunDecider.decide(new Recover(at, Set.of(), 3), RunDecider.fold(given));
            assertThat(decided).last().isEqualTo(new StepStarted("ex01", "health", rerun + 1, null, rerun, SYSTEM,
                    at));
            given.addAll(decided);
        }
        String reason = "the service stopped during attempt 4; the step only reads the server; it already ran again"
                + " 3 time(s) after lost outcomes, the most antidote.engine.max-crash-reruns allows (3), so it does not"
                + " run again";
        givenEvents(given).whenCommand(new Recover(T0.plusSeconds(10), Set.of(), 3))
                .thenEvents(new StepInterrupted("ex01", "health", 4, reason, false, SYSTEM, T0.plusSeconds(10)),
                        new TargetFailed("ex01", "health", "step 'health' failed: " + reason, SYSTEM,
                                T0.plusSeconds(10)),
                        new RunFailed("1 of 1 targets failed", SYSTEM, T0.plusSeconds(10)));
    }

    @Test
    void crash_re_runs_do_not_spend_the_retry_budget() {
        RunRequested requested = requested(step("health", true, false, THREE_ON_CONNECTION));
        List<RunEvent> given = running(requested, "health");
        given.addAll(RunDecider.decide(new Recover(T1), RunDecider.fold(given)));
        given.addAll(RunDecider.decide(new Recover(T1), RunDecider.fold(given)));
        // Attempt 3 is the second re-run after a crash: its failure is the first the retry policy counts.
        assertThat(RunDecider.fold(given).target("ex01").orElseThrow().step("health").orElseThrow().attempts())
                .isEqualTo(3);
        givenEvents(given).whenCommand(new RecordOutcome("ex01", "health", 3,
                        new StepOutcome.Errored(FailureKind.CONNECTION, "connection refused"), T2))
                .thenEvents(new StepFailed("ex01", "health", 3, null, List.of("connection refused"), "", "", SYSTEM,
                                T2),
                        new StepRetryScheduled("ex01", "health", 4, T2.plusSeconds(10), "connection refused", SYSTEM,
                                T2));
    }
}
