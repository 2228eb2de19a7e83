package io.antidote.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.antidote.store.NewEvent;
import io.antidote.store.StoredEvent;
import io.antidote.workflow.RunEvent;
import io.antidote.workflow.RunPlan;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.antidote.workflow.RunEvent.SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every event type survives the trip into an envelope and back unchanged; stored type names are stable. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EventCodecTest {

    final EventCodec codec = new EventCodec(new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS));
    static final UUID RUN = UUID.randomUUID();
    static final Instant AT = Instant.parse("2021-03-03T08:00:00.123456Z");

    static final List<RunEvent> ONE_OF_EACH = List.of(
            new RunEvent.RunRequested(RUN, new RunPlan("proxylogon-remediation", "ab".repeat(32),
                    List.of(new RunPlan.PlannedStep("isolate"), new RunPlan.PlannedStep("patch")),
                    List.of("ex01", "ex02")), Map.of("patchShare", "C:\\Patches", "count", 3, "force", true),
                    "INC-1", "key-1", "alice", AT),
            new RunEvent.RunStarted(SYSTEM, AT),
            new RunEvent.TargetVerdictRecorded("ex01", new io.antidote.workflow.Verdict(
                    io.antidote.workflow.Verdict.Patch.PATCHED, io.antidote.workflow.Verdict.Compromise.COMPROMISED,
                    List.of("C:\\inetpub\\wwwroot\\aspnet_client\\shell.aspx"),
                    io.antidote.workflow.Verdict.Service.ISOLATED, List.of("compromised: 1 indicator")), SYSTEM, AT),
            new RunEvent.TargetReleased("ex01", "restore", "checked by hand (CHG-7)", "admin-1", AT),
            new RunEvent.RunRequested(RUN, new RunPlan("proxylogon-remediation", "ab".repeat(32),
                    List.of(new RunPlan.PlannedStep("isolate", RunPlan.Retry.NONE, 0, null, "restore", true, false,
                            true, null, false, java.util.Set.of()), new RunPlan.PlannedStep("verify", RunPlan.Retry.NONE,
                            0, null, null, false, false, true, null, false,
                            java.util.Set.of(io.antidote.workflow.Verification.FIXED)),
                            new RunPlan.PlannedStep("restore", RunPlan.Retry.NONE, 0, null, null, false, false, true,
                                    null, true, java.util.Set.of())),
                    List.of("ex01")), Map.of(), null, null, "alice", AT),
            new RunEvent.TargetStarted("ex01", SYSTEM, AT),
            new RunEvent.StepStarted("ex01", "isolate", 1, SYSTEM, AT),
            new RunEvent.StepSucceeded("ex01", "isolate", 1, 0, "isolated\r\n", "", SYSTEM, AT),
            new RunEvent.StepFailed("ex01", "patch", 2, null, List.of("timed out after PT45M"), "", "", SYSTEM, AT),
            new RunEvent.StepFailed("ex01", "patch", 1, 1603, List.of("exit code 1603"), "out", "err", SYSTEM, AT),
            new RunEvent.TargetSucceeded("ex02", SYSTEM, AT),
            new RunEvent.TargetFailed("ex01", "patch", "step 'patch' failed", SYSTEM, AT),
            new RunEvent.TargetSkipped("ex02", "rollout stopped", SYSTEM, AT),
            new RunEvent.RunSucceeded(SYSTEM, AT),
            new RunEvent.RunFailed("1 of 2 targets failed", SYSTEM, AT),
            new RunEvent.RunRequested(RUN, new RunPlan("proxylogon-remediation", "ab".repeat(32),
                    List.of(new RunPlan.PlannedStep("isolate", RunPlan.Retry.NONE, 120_000, null, "restore", true,
                                    false, true),
                            new RunPlan.PlannedStep("patch", new RunPlan.Retry(3, RunPlan.Backoff.EXPONENTIAL, 1000,
                                    8000, java.util.Set.of(io.antidote.workflow.FailureKind.CONNECTION),
                                    java.util.Set.of(1618)), 0, new RunPlan.Approval("approver", 3_600_000, false),
                                    null, false, false, false),
                            new RunPlan.PlannedStep("restore", null, 0, null, null, false, true, true)),
                    List.of("ex01", "ex02"), new RunPlan.Strategy(0, 50, 2), Map.of("ex01", "dag1", "ex02", "dag1")),
                    Map.of(), null, null, "alice", AT),
            new RunEvent.StepStarted("ex01", "restore", 1, "isolate", SYSTEM, AT),
            new RunEvent.StepBegan("ex01", "patch", 1, SYSTEM, AT),
            new RunEvent.StepTimedOut("ex01", "patch", 1, "timed out after PT45M", SYSTEM, AT),
            new RunEvent.StepInterrupted("ex01", "patch", 1, "the service stopped", true, SYSTEM, AT),
            new RunEvent.StepInterrupted("ex01", "patch", 1, "recorded before runsAgain", null, SYSTEM, AT),
            new RunEvent.StepStarted("ex01", "patch", 3, null, 2, SYSTEM, AT),
            new RunEvent.StepOutcomeUnknown("ex01", "patch", 3, "no reply from the host", SYSTEM, AT),
            new RunEvent.StepOutcomeFound("ex01", "patch", 3, io.antidote.workflow.HostMarker.COMPLETED,
                    "the marker says the script finished with exit code 0", SYSTEM, AT),
            new RunEvent.StepRetryScheduled("ex01", "patch", 2, AT.plusSeconds(30), "connection refused", SYSTEM, AT),
            new RunEvent.ApprovalRequested("ex01", "patch", "approver", AT.plusSeconds(3600), SYSTEM, AT),
            new RunEvent.ApprovalRequested("ex01", "patch", "approver", null, SYSTEM, AT),
            new RunEvent.ApprovalGranted("ex01", "patch", "change CHG-7", "bob", AT),
            new RunEvent.ApprovalRejected("ex01", "patch", null, "bob", AT),
            new RunEvent.ApprovalTimedOut("ex01", "patch", SYSTEM, AT),
            new RunEvent.CompensationStarted("ex01", "patch", "step 'patch' failed", false, List.of("isolate"),
                    SYSTEM, AT),
            new RunEvent.StepCompensated("ex01", "isolate", "restore", SYSTEM, AT),
            new RunEvent.CompensationFailed("ex01", "isolate", "restore", "connection refused", SYSTEM, AT),
            new RunEvent.TargetWaiting("ex01", "another run holds 'ex01'", SYSTEM, AT),
            new RunEvent.TargetCancelled("ex01", "cancelled by request", SYSTEM, AT),
            new RunEvent.CancelRequested(io.antidote.workflow.RunCommand.CancelMode.INTERRUPT, "carol", AT),
            new RunEvent.RunCancelled("cancelled by request", SYSTEM, AT),
            new RunEvent.StepSucceeded("ex01", "precheck", 1, 0, "{}", "", withNull(Map.of("build",
                    "15.2.792.3'; Remove-Item C:\\ -Recurse #\n$(whoami)", "count", 3L, "big", 5_000_000_000L,
                    "patched", false), "missing"), SYSTEM, AT),
            new RunEvent.StepSkipped("ex01", "patch", "steps.precheck.patched notEquals true",
                    withNull(Map.of("steps.precheck.patched", true), "params.none"), SYSTEM, AT),
            new RunEvent.RunRequested(RUN, new RunPlan("p", "cd".repeat(32), List.of(
                    new RunPlan.PlannedStep("precheck"),
                    new RunPlan.PlannedStep("patch", null, 0, null, null, false, false, false,
                            new RunPlan.When(null, "precheck", "patched", true, true)),
                    new RunPlan.PlannedStep("scan", null, 0, null, null, false, false, false,
                            new RunPlan.When("copies", null, null, 3L, false))),
                    List.of("ex01")), Map.of("mode", "full"), null, null, "alice", AT),
            new RunEvent.RetryRequested(UUID.randomUUID(), List.of("ex01", "ex02"), "carol", AT),
            new RunEvent.StepCarriedOver("ex01", "precheck", io.antidote.workflow.WorkStatus.SUCCEEDED, 0,
                    withNull(Map.of("patched", false, "build", "15.1.2176.2"), "package"), UUID.randomUUID(), 5,
                    SYSTEM, AT),
            new RunEvent.StepCarriedOver("ex01", "mitigate-rewrite", io.antidote.workflow.WorkStatus.SKIPPED, null,
                    Map.of(), UUID.randomUUID(), 12, SYSTEM, AT),
            new RunEvent.StepSkippedByPerson("ex01", "reboot", "restarted by hand (CHG-9)", "admin-1", AT));

    /** Outputs not captured are null, which Map.of cannot hold. */
    static Map<String, Object> withNull(Map<String, Object> values, String nullName) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(values);
        copy.put(nullName, null);
        return copy;
    }

    @Test
    void every_event_type_round_trips_through_its_envelope() {
        long seq = 0;
        for (RunEvent event : ONE_OF_EACH) {
            NewEvent encoded = codec.encode(event);
            StoredEvent stored = new StoredEvent(++seq, RUN, seq, encoded, "0".repeat(64), "f".repeat(64));
            assertThat(codec.decode(stored)).as("%s after a round trip", encoded.type()).isEqualTo(event);
        }
    }

    @Test
    void envelope_fields_go_to_their_columns_and_not_into_data() {
        NewEvent encoded = codec.encode(new RunEvent.StepStarted("ex01", "isolate", 1, SYSTEM, AT));
        assertThat(encoded.type()).isEqualTo("StepStarted");
        assertThat(encoded.target()).isEqualTo("ex01");
        assertThat(encoded.step()).isEqualTo("isolate");
        assertThat(encoded.attempt()).isEqualTo(1);
        assertThat(encoded.actor()).isEqualTo(SYSTEM);
        assertThat(encoded.data().isEmpty()).as("data of StepStarted: %s", encoded.data()).isTrue();
    }

    @Test
    void every_event_type_of_the_workflow_has_a_stored_name() {
        List<String> covered = ONE_OF_EACH.stream().map(EventCodec::typeOf).distinct().toList();
        List<String> declared = records(RunEvent.class).map(Class::getSimpleName).distinct().toList();
        assertThat(covered).as("event types this test round-trips").containsExactlyInAnyOrderElementsOf(declared);
    }

    /** The records under a sealed interface, through the interfaces between. */
    private static java.util.stream.Stream<Class<?>> records(Class<?> sealed) {
        return Arrays.stream(sealed.getPermittedSubclasses())
                .flatMap(c -> c.isInterface() ? records(c) : java.util.stream.Stream.of(c));
    }

    @Test
    void every_event_that_names_a_step_stores_it_in_the_step_column_for_queries() {
        List<RunEvent> naming = ONE_OF_EACH.stream().filter(e -> e instanceof RunEvent.AtStep).toList();
        assertThat(naming.stream().map(EventCodec::typeOf)).contains("StepSkipped", "ApprovalRequested",
                "ApprovalGranted", "ApprovalRejected", "ApprovalTimedOut", "StepCompensated", "CompensationFailed",
                "TargetFailed", "StepStarted");
        for (RunEvent event : naming) {
            NewEvent encoded = codec.encode(event);
            assertThat(encoded.step()).as("step column of %s", encoded.type())
                    .isEqualTo(((RunEvent.AtStep) event).step()).isNotNull();
            assertThat(encoded.data().has("step")).as("data of %s: %s", encoded.type(), encoded.data()).isFalse();
        }
    }

    @Test
    void an_approval_recorded_with_its_step_in_data_reads_the_same() throws Exception {
        var data = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(
                "{\"step\":\"patch\",\"comment\":\"change CHG-7\"}");
        StoredEvent old = new StoredEvent(1, RUN, 1,
                new NewEvent(UUID.randomUUID(), "ApprovalGranted", AT, "bob", "ex01", null, null, data), "0".repeat(64),
                "f".repeat(64));
        assertThat(codec.decode(old)).isEqualTo(new RunEvent.ApprovalGranted("ex01", "patch", "change CHG-7", "bob",
                AT));
    }

    @Test
    void a_step_success_recorded_before_outputs_existed_reads_as_one_without_outputs() throws Exception {
        var data = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(
                "{\"exitCode\":0,\"stdout\":\"isolated\",\"stderr\":\"\"}");
        StoredEvent old = new StoredEvent(1, RUN, 1,
                new NewEvent(UUID.randomUUID(), "StepSucceeded", AT, SYSTEM, "ex01", "isolate", 1, data), "0".repeat(64),
                "f".repeat(64));
        assertThat(codec.decode(old)).isEqualTo(new RunEvent.StepSucceeded("ex01", "isolate", 1, 0, "isolated", "",
                Map.of(), SYSTEM, AT));
    }

    @Test
    void an_unknown_stored_type_is_reported_with_its_run_and_seq() {
        StoredEvent stored = new StoredEvent(1, RUN, 7, new NewEvent(UUID.randomUUID(), "StepTeleported", AT, SYSTEM,
                null, null, null, new ObjectMapper().createObjectNode()), "0".repeat(64), "f".repeat(64));
        assertThatThrownBy(() -> codec.decode(stored)).hasMessageContaining("seq 7").hasMessageContaining("StepTeleported");
    }
}
