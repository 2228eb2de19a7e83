package io.antidote.playbook;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code when} conditions and {@code outputs}: parsed with positions, captured typed, and evaluated over typed
 * values by the plan's condition ({@link RunPlanner#when}), the one evaluator the run uses.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConditionsTest {

    private static final String PLAYBOOK = """
            name: conditional
            params:
              mode:
                type: enum
                values: [audit, full]
                default: audit
              token:
                type: secret
                required: false
            steps:
              - id: precheck
                powershell: "[pscustomobject]@{ dag = $true; build = '15.1.2176.9'; count = 2 } | ConvertTo-Json -Compress"
                outputs: { isDagMember: dag, build: build, count: count, missing: nothere }
              - id: full-scan
                powershell: Get-Date
                when: { param: mode, equals: full }
              - id: leave-dag
                powershell: Get-Date
                when: { step: precheck, output: isDagMember, equals: true }
              - id: not-two
                powershell: Get-Date
                when: { step: precheck, output: count, notEquals: 2 }
            """;

    private static Playbook playbook(String yaml) {
        ParseResult result = PlaybookParser.parse("c.yaml", yaml);
        assertThat(result).as("parse of the sample").isInstanceOf(ParseResult.Valid.class);
        return ((ParseResult.Valid) result).playbook();
    }

    private static List<PlaybookError> errors(String yaml) {
        ParseResult result = PlaybookParser.parse("c.yaml", yaml);
        assertThat(result).isInstanceOf(ParseResult.Invalid.class);
        return ((ParseResult.Invalid) result).errors();
    }

    /** As the run decides: the plan's copy of the condition, evaluated by the workflow. */
    private static boolean holds(Condition condition, Map<String, Object> params,
                                 Map<String, Map<String, Object>> outputs) {
        return RunPlanner.when(condition).holds(params, outputs);
    }

    @Test
    void conditions_and_outputs_are_read_from_the_playbook() {
        Playbook playbook = playbook(PLAYBOOK);

        assertThat(playbook.step("precheck").orElseThrow().outputs())
                .containsExactly(Map.entry("isDagMember", "dag"), Map.entry("build", "build"), Map.entry("count", "count"),
                        Map.entry("missing", "nothere"));
        assertThat(playbook.step("full-scan").orElseThrow().when())
                .isEqualTo(new Condition(new Condition.ParamValue("mode"), "full", false));
        assertThat(playbook.step("not-two").orElseThrow().when())
                .isEqualTo(new Condition(new Condition.StepOutput("precheck", "count"), 2L, true));
    }

    @Test
    void outputs_are_captured_typed_from_the_json_a_step_printed_and_conditions_compare_them_typed() {
        Playbook playbook = playbook(PLAYBOOK);
        Map<String, Object> captured = StepOutputs.capture(playbook.step("precheck").orElseThrow(),
                "warming up\r\n{\"dag\":true,\"build\":\"15.1.2176.9\",\"count\":2}\r\n");
        Map<String, Object> expectedCapture = new HashMap<>(Map.of("isDagMember", true, "build", "15.1.2176.9", "count", 2L));
        expectedCapture.put("missing", null);
        assertThat(captured).isEqualTo(expectedCapture);

        Map<String, Map<String, Object>> outputs = Map.of("precheck", captured);
        assertThat(holds(playbook.step("leave-dag").orElseThrow().when(), Map.of(), outputs)).isTrue();
        assertThat(holds(playbook.step("not-two").orElseThrow().when(), Map.of(), outputs)).isFalse();
        Condition fullScan = playbook.step("full-scan").orElseThrow().when();
        assertThat(holds(fullScan, Map.of("mode", "audit"), outputs)).isFalse();
        assertThat(holds(fullScan, Map.of("mode", "full"), outputs)).isTrue();
        assertThat(holds(new Condition(new Condition.ParamValue("mode"), "true", false),
                Map.of("mode", true), outputs)).as("the string 'true' is not the boolean true").isFalse();
        assertThat(RunPlanner.when(null)).as("no condition: the planned step has none and always runs").isNull();
    }

    @Test
    void output_that_is_not_json_captures_nulls_and_a_condition_on_it_is_false() {
        Playbook playbook = playbook(PLAYBOOK);
        Map<String, Object> captured = StepOutputs.capture(playbook.step("precheck").orElseThrow(), "oops; not json");

        assertThat(captured).containsKeys("isDagMember", "build").allSatisfy((k, v) -> assertThat(v).isNull());
        assertThat(holds(playbook.step("leave-dag").orElseThrow().when(), Map.of(),
                Map.of("precheck", captured))).isFalse();
    }

    @Test
    void a_condition_on_a_later_step_its_own_step_or_an_unknown_step_is_an_error_at_the_condition() {
        String yaml = PLAYBOOK
                .replace("when: { param: mode, equals: full }", "when: { step: leave-dag, output: x, equals: 1 }")
                .replace("when: { step: precheck, output: isDagMember, equals: true }",
                        "when: { step: leave-dag, output: x, equals: 1 }")
                .replace("when: { step: precheck, output: count, notEquals: 2 }",
                        "when: { step: nowhere, output: x, equals: 1 }");

        assertThat(errors(yaml)).extracting(PlaybookError::toString).containsExactly(
                "c.yaml:16:11: step 'leave-dag' comes after step 'full-scan' (in the 'when' of step 'full-scan');"
                        + " a condition can only use steps that run before it",
                "c.yaml:19:11: step 'leave-dag' refers to its own output in the 'when' of step 'leave-dag';"
                        + " a condition can only use steps that run before it",
                "c.yaml:22:11: unknown step 'nowhere' in the 'when' of step 'not-two'");
    }

    @Test
    void an_undeclared_output_an_unknown_parameter_and_a_secret_are_refused() {
        String yaml = PLAYBOOK
                .replace("when: { param: mode, equals: full }", "when: { param: mood, equals: full }")
                .replace("output: isDagMember", "output: isDag")
                .replace("when: { step: precheck, output: count, notEquals: 2 }", "when: { param: token, equals: x }");

        assertThat(errors(yaml)).extracting(PlaybookError::message).containsExactly(
                "unknown parameter 'mood' in the 'when' of step 'full-scan'; declared: mode, token",
                "step 'precheck' has no output 'isDag' (in the 'when' of step 'leave-dag'); it declares: isDagMember,"
                        + " build, count, missing",
                "parameter 'token' in the 'when' of step 'not-two' is a secret; a condition on it would reveal it in"
                        + " the run's events");
    }

    @Test
    void malformed_conditions_and_outputs_are_reported_where_they_are_written() {
        String yaml = PLAYBOOK
                .replace("when: { param: mode, equals: full }", "when: { param: mode, step: precheck, equals: full }")
                .replace("when: { step: precheck, output: isDagMember, equals: true }",
                        "when: { step: precheck, output: isDagMember }")
                .replace("when: { step: precheck, output: count, notEquals: 2 }", "when: \"params.mode == 'full'\"")
                .replace("missing: nothere", "9lives: x");

        assertThat(errors(yaml)).extracting(PlaybookError::toString).containsExactly(
                "c.yaml:13:62: output name '9lives' in step 'precheck' must be letters, digits and underscores,"
                        + " not starting with a digit, at most 100 characters",
                "c.yaml:16:11: 'when' in step 'full-scan' needs either 'param' or 'step' (with 'output'), not both",
                "c.yaml:19:11: 'when' in step 'leave-dag' needs exactly one of 'equals' or 'notEquals'",
                "c.yaml:22:11: 'when' in step 'not-two' must be a mapping, found 'params.mode == 'full''");
    }
}
