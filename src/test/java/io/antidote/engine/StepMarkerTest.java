package io.antidote.engine;

import io.antidote.lab.exchange.ExchangeServer;
import io.antidote.lab.exchange.ServerSpec;
import io.antidote.lab.powershell.PowerShell;
import io.antidote.lab.powershell.ScriptResult;
import io.antidote.playbook.Expectation;
import io.antidote.playbook.JsonCheck;
import io.antidote.playbook.Step;
import io.antidote.workflow.HostMarker;
import io.antidote.workflow.StepOutcome;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The marker a change-making step leaves on its host, run on a lab host's PowerShell as a Windows host runs it:
 * the wrapped script behaves as the script alone (output, errors, exit code), the marker says how it ended, and
 * the probe reads it back without changing anything.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StepMarkerTest {

    static final UUID RUN = UUID.fromString("6f1c1d2e-0000-4000-8000-000000000011");

    final ExchangeServer server = ExchangeServer.create("lab-ex01", new ServerSpec("2016", "CU19", List.of(), Set.of()));
    final PowerShell powerShell = new PowerShell(server);
    final StepMarker marker = StepMarker.of(RUN, "patch", 2);

    static Step step(Expectation expect, Map<String, String> outputs) {
        return new Step("patch", "", "x", Duration.ofMinutes(1), expect, null, outputs);
    }

    static final Step PLAIN = step(Expectation.SUCCESS, Map.of());

    StepMarker.Finding probe(Step step) {
        ScriptResult probed = powerShell.run(marker.probeScript());
        assertThat(probed.exitCode()).as("the probe's exit code; stderr: %s", probed.stderr()).isZero();
        return StepMarker.read(probed.stdout(), step);
    }

    @Test
    void without_a_run_the_probe_finds_no_marker_and_leaves_none() {
        assertThat(probe(PLAIN).marker()).isEqualTo(HostMarker.ABSENT);
        assertThat(probe(PLAIN).marker()).as("probed twice: the probe wrote nothing").isEqualTo(HostMarker.ABSENT);
    }

    @Test
    void a_script_that_runs_to_its_end_keeps_its_output_and_exit_code_and_its_marker_says_finished_with_0() {
        ScriptResult alone = new PowerShell(ExchangeServer.create("lab-ex02",
                new ServerSpec("2016", "CU19", List.of(), Set.of()))).run("Write-Output 'patched'");
        ScriptResult wrapped = powerShell.run(marker.around("Write-Output 'patched'"));
        assertThat(wrapped).isEqualTo(alone);

        StepMarker.Finding finding = probe(PLAIN);
        assertThat(finding.marker()).isEqualTo(HostMarker.COMPLETED);
        assertThat(finding.found()).isEqualTo(new StepOutcome.Completed(0, "", "", List.of(), Map.of()));
        assertThat(finding.detail()).isEqualTo("the marker says the script finished with exit code 0");
    }

    @Test
    void a_script_that_throws_still_fails_with_its_error_and_its_marker_says_finished_with_1() {
        ScriptResult wrapped = powerShell.run(marker.around("$ErrorActionPreference = 'Stop'\nthrow 'msiexec failed'"));
        assertThat(wrapped.exitCode()).isEqualTo(1);
        assertThat(wrapped.stderr()).contains("msiexec failed");

        StepMarker.Finding finding = probe(PLAIN);
        assertThat(finding.marker()).isEqualTo(HostMarker.COMPLETED);
        assertThat(finding.found()).isEqualTo(new StepOutcome.Completed(1, "", "", List.of("exit code 1, expected 0"),
                Map.of()));
    }

    @Test
    void a_script_whose_last_statement_fails_keeps_exit_code_1() {
        ScriptResult wrapped = powerShell.run(marker.around("Write-Error 'not quite'"));
        assertThat(wrapped.exitCode()).isEqualTo(1);
        assertThat(probe(PLAIN).found()).isEqualTo(new StepOutcome.Completed(1, "", "",
                List.of("exit code 1, expected 0"), Map.of()));
    }

    @Test
    void a_script_that_leaves_by_exit_keeps_its_code_and_its_marker_says_finished_with_a_code_it_could_not_see() {
        ScriptResult wrapped = powerShell.run(marker.around("Write-Output 'done early'\nexit 3\nWrite-Output 'never'"));
        assertThat(wrapped.exitCode()).isEqualTo(3);
        assertThat(wrapped.stdout()).contains("done early").doesNotContain("never");

        StepMarker.Finding finding = probe(PLAIN);
        assertThat(finding.marker()).isEqualTo(HostMarker.COMPLETED);
        assertThat(finding.found()).as("no outcome to record: the exit code is not known").isNull();
    }

    @Test
    void a_step_judged_by_its_output_cannot_be_judged_by_its_marker() {
        powerShell.run(marker.around("Write-Output '{\"patched\":true}'"));
        Step judgedByJson = step(new Expectation(0, null, Map.of("patched", new JsonCheck.Equals(true))), Map.of());
        Step withOutputs = step(Expectation.SUCCESS, Map.of("patched", "patched"));
        assertThat(probe(judgedByJson).found()).isNull();
        assertThat(probe(withOutputs).found()).isNull();
        assertThat(probe(withOutputs).detail()).contains("judged by its output");
    }

    @Test
    void a_script_that_began_and_never_finished_leaves_its_marker_saying_started() {
        // What the host holds when it died during the script: the first write happened, the last did not.
        String started = marker.around("Write-Output 'x'");
        powerShell.run(started.substring(0, started.lastIndexOf("try {")));
        StepMarker.Finding finding = probe(PLAIN);
        assertThat(finding.marker()).isEqualTo(HostMarker.STARTED);
        assertThat(finding.found()).isNull();
    }

    @Test
    void a_marker_that_cannot_be_written_stops_the_script_before_it_changes_anything() {
        server.files().writeFile("C:\\ProgramData\\Antidote", "a file where the markers' folder should be",
                java.time.LocalDateTime.of(2021, 3, 3, 8, 0));
        ScriptResult wrapped = powerShell.run(marker.around("Write-Output 'changed the server'"));
        assertThat(wrapped.exitCode()).isEqualTo(1);
        assertThat(wrapped.stdout()).doesNotContain("changed the server");
        assertThat(wrapped.stderr()).contains("because a file or directory with the same name already exists");
    }

    @Test
    void each_attempt_has_its_own_marker_and_nothing_but_a_step_id_names_it() {
        powerShell.run(marker.around("Write-Output 'attempt 2'"));
        StepMarker other = StepMarker.of(RUN, "patch", 3);
        assertThat(StepMarker.read(powerShell.run(other.probeScript()).stdout(), PLAIN).marker())
                .isEqualTo(HostMarker.ABSENT);
        assertThat(marker.path()).isEqualTo("C:\\ProgramData\\Antidote\\markers\\" + RUN + "\\patch.2.json");
        assertThatThrownBy(() -> StepMarker.of(RUN, "x'; Remove-Item C:\\ -Recurse #", 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void what_the_probe_cannot_make_sense_of_is_unreadable() {
        assertThat(StepMarker.read("garbage", PLAIN).marker()).isEqualTo(HostMarker.UNREADABLE);
        assertThat(StepMarker.read("{\"state\":\"weird\"}", PLAIN).marker()).isEqualTo(HostMarker.UNREADABLE);
    }
}
