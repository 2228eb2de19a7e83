package io.antidote.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.antidote.lab.exchange.ExchangeServer;
import io.antidote.lab.exchange.ServerSpec;
import io.antidote.lab.powershell.PowerShell;
import io.antidote.lab.powershell.ScriptResult;
import io.antidote.playbook.ParseResult;
import io.antidote.playbook.Playbook;
import io.antidote.playbook.PlaybookParser;
import io.antidote.playbook.RunPlanner;
import io.antidote.playbook.ScriptRenderer;
import io.antidote.playbook.Step;
import io.antidote.playbook.StepOutputs;
import io.antidote.store.NewEvent;
import io.antidote.store.StoredEvent;
import io.antidote.winrm.Target;
import io.antidote.workflow.RunCommand;
import io.antidote.workflow.RunDecider;
import io.antidote.workflow.RunEvent;
import io.antidote.workflow.RunState;
import io.antidote.workflow.StepOutcome;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A process that dies after a step captured its outputs leaves only events behind: the state a new
 * process folds from the stored events renders the later script with the very same values, and the
 * script receives them as data.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OutputsAfterRestartTest {

    static final Playbook PLAYBOOK = ((ParseResult.Valid) PlaybookParser.parse("p.yaml", """
            name: p
            steps:
              - id: precheck
                powershell: Get-Date
                outputs: { build: build, dag: isDagMember, copies: copies, missing: nothing }
              - id: unused
                powershell: Get-Date
                when: { step: precheck, output: dag, equals: true }
                outputs: { ran: ran }
              - id: report
                powershell: |
                  "$steps_precheck_build|$steps_precheck_dag|$($steps_precheck_copies + 1)|$($null -eq $steps_precheck_missing)|$($null -eq $steps_unused_ran)"
            """)).playbook();

    final EventCodec codec = new EventCodec(new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS));

    @Test
    void a_later_step_is_rendered_from_the_stored_events_alone_with_the_captured_values() {
        UUID runId = UUID.randomUUID();
        Instant at = Instant.parse("2021-03-03T08:00:00Z");
        Target ex01 = new Target("ex01", "10.0.0.1", 5985, Target.Scheme.HTTP, Target.AuthScheme.NTLM, "ref", Map.of());
        List<RunEvent> history = new ArrayList<>();
        decide(history, new RunCommand.RequestRun(runId, RunPlanner.planOf(PLAYBOOK, List.of(ex01)), Map.of(), null,
                null, "alice", at));
        decide(history, new RunCommand.Advance(at));
        String hostile = "15.01.2176.002'; Stop-Service W3SVC; '$(whoami)\n`\"";
        Map<String, Object> captured = new LinkedHashMap<>();
        captured.put("build", hostile);
        captured.put("dag", false);
        captured.put("copies", 2L);
        captured.put("missing", null);
        decide(history, new RunCommand.RecordOutcome("ex01", "precheck", 1,
                new StepOutcome.Completed(0, "{}", "", List.of(), captured), at));
        assertThat(history).as("unused is skipped, report starts").anySatisfy(e ->
                assertThat(e).isInstanceOf(RunEvent.StepSkipped.class));

        // The process dies here. A new one reads the stored events back.
        long seq = 0;
        List<RunEvent> restored = new ArrayList<>();
        for (RunEvent event : history) {
            NewEvent encoded = codec.encode(event);
            seq++;
            restored.add(codec.decode(new StoredEvent(seq, runId, seq, encoded, "0".repeat(64), "f".repeat(64))));
        }
        RunState resumed = RunDecider.fold(restored);
        Step report = PLAYBOOK.step("report").orElseThrow();
        String script = ScriptRenderer.renderWithOutputs(report, Map.of(), PLAYBOOK.params(),
                StepOutputs.visibleTo(PLAYBOOK, report, resumed.target("ex01").orElseThrow().outputs()));

        ScriptResult result = new PowerShell(ExchangeServer.create("ex01", new ServerSpec("2016", "CU19"))).run(script);
        assertThat(result.stderr()).isEmpty();
        assertThat(result.stdout()).isEqualTo(hostile + "|False|3|True|True\r\n");
    }

    private static void decide(List<RunEvent> history, RunCommand command) {
        history.addAll(RunDecider.decide(command, RunDecider.fold(history)));
    }
}
