package io.antidote.playbook;

import io.antidote.lab.exchange.ExchangeServer;
import io.antidote.lab.exchange.ServerSpec;
import io.antidote.lab.powershell.PowerShell;
import io.antidote.lab.powershell.ScriptResult;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Outputs of earlier steps reach a later script as data in its param block, never as script text. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OutputRenderingTest {

    private static final Step LATER = new Step("report", "", "\"$patchShare|$steps_pre_check_build|$steps_pre_check_count|"
            + "$steps_pre_check_dag|$($null -eq $steps_pre_check_none)\"\n", Duration.ofMinutes(1), null);
    private static final List<Param> PARAMS = List.of(
            new Param("patchShare", ParamType.STRING, "", null, true, List.of(), null));

    @Test
    void captured_outputs_are_declared_typed_after_the_runs_parameters() {
        Map<String, Object> captured = new LinkedHashMap<>();
        captured.put("build", "15.1'; Stop-Service W3SVC; '");
        captured.put("count", 2L);
        captured.put("dag", true);
        captured.put("none", null);

        String script = ScriptRenderer.renderWithOutputs(LATER, Map.of("patchShare", "C:\\P"), PARAMS,
                Map.of("pre-check", captured));

        assertThat(script).startsWith("param(\n  [string]$patchShare = 'C:\\P',\n"
                + "  [string]$steps_pre_check_build = '15.1''; Stop-Service W3SVC; ''',\n"
                + "  [int]$steps_pre_check_count = 2,\n  [bool]$steps_pre_check_dag = $true,\n"
                + "  $steps_pre_check_none = $null\n)\n");
        ScriptResult result = new PowerShell(ExchangeServer.create("lab-ex01", new ServerSpec("2016", "CU19")))
                .run(script);
        assertThat(result.stderr()).isEmpty();
        assertThat(result.stdout()).isEqualTo("C:\\P|15.1'; Stop-Service W3SVC; '|2|True|True\r\n");
    }

    @Test
    void a_parameter_named_like_an_output_variable_is_refused_by_the_parser() {
        ParseResult result = PlaybookParser.parse("p.yaml", """
                name: p
                params:
                  steps_a_b: { type: string }
                steps:
                  - id: a
                    powershell: Get-Date
                """);

        assertThat(result).isInstanceOfSatisfying(ParseResult.Invalid.class, invalid ->
                assertThat(invalid.errors()).singleElement().satisfies(e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.message()).contains("starts with 'steps_'");
                }));
    }

    @Test
    void an_output_of_another_type_is_refused() {
        Map<String, Object> captured = new HashMap<>();
        captured.put("x", 1.5);

        assertThatThrownBy(() -> ScriptRenderer.renderWithOutputs(LATER, Map.of("patchShare", "C"), PARAMS,
                Map.of("a", captured))).isInstanceOf(IllegalArgumentException.class);
    }
}
