package io.antidote.playbook;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Parameter values reach PowerShell as literals in a generated param block, never as script text.
 * Each hostile value is rendered and read back with PowerShell's own tokenizer rules: it must come
 * back exactly, and the step's script after the block must be exactly the step's script.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ScriptRendererTest {

    static final String SCRIPT = "Write-Output \"share: $patchShare\"\n";
    static final Step STEP = new Step("patch", "", SCRIPT, Duration.ofMinutes(1), Expectation.SUCCESS);

    static Param string(String name) {
        return new Param(name, ParamType.STRING, "", null, true, List.of(), null);
    }

    static String renderOne(String value) {
        return ScriptRenderer.render(STEP, Map.of("patchShare", value), List.of(string("patchShare")));
    }

    static Stream<String> hostileStrings() {
        return Stream.of(
                "",
                "C:\\Patches",
                "'",
                "''",
                "it's",
                "'; Remove-Item C:\\ -Recurse -Force; '",
                "\u2018smart\u2019 quotes \u201Alow\u201B and \u201Cdouble\u201D",
                "\u2019; Stop-Computer; \u2018",
                "'\u2018\u2019\u201A\u201B",
                "a;b|c&d",
                "$(Stop-Computer -Force)",
                "${env:COMPUTERNAME}",
                "$env:ProgramData",
                "`n`t`0 `$(x) ``",
                "line one\nline two\r\nline three\rend",
                "# not a comment",
                "<# not a comment #> '<#' '#>'",
                "@'\nhere-string\n'@",
                "\"double $(quoted)\"",
                "tab\there",
                "\u0000",
                "before\u0000after'; Stop-Computer; '",
                "esc\u001b[31mred",
                "del\u007f and c1\u0085\u009b",
                "\uFFFF non-character",
                "emoji \uD83D\uDC80 and \u00E9\u4E2D",
                "\u2028line separator\u2029paragraph",
                "'".repeat(10_000),
                "x'".repeat(50_000),
                "\u2019$(x)\n".repeat(12_500)
        );
    }

    @ParameterizedTest
    @MethodSource("hostileStrings")
    void a_hostile_string_comes_back_exactly_and_leaves_the_script_untouched(String value) {
        PowerShellParamReader.Parsed parsed = PowerShellParamReader.read(renderOne(value));

        assertThat(parsed.params()).containsOnlyKeys("patchShare");
        assertThat(parsed.params().get("patchShare").type()).isEqualTo("string");
        assertThat(parsed.value("patchShare")).as("the value PowerShell reads").isEqualTo(value);
        assertThat(parsed.script()).as("the step's script after the param block").isEqualTo(SCRIPT);
    }

    @Test
    void a_string_of_a_hundred_thousand_characters_comes_back_exactly() {
        StringBuilder value = new StringBuilder();
        String alphabet = "a'\u2018\u2019\u201A\u201B;|$`#\n\r\t\"{}()<>";
        for (int i = 0; i < 100_000; i++) {
            value.append(alphabet.charAt(i % alphabet.length()));
        }

        PowerShellParamReader.Parsed parsed = PowerShellParamReader.read(renderOne(value.toString()));

        assertThat(parsed.value("patchShare")).isEqualTo(value.toString());
        assertThat(parsed.script()).isEqualTo(SCRIPT);
    }

    @Test
    void only_the_five_single_quotes_are_doubled_and_nothing_else_changes() {
        assertThat(ScriptRenderer.stringLiteral("C:\\Patches")).isEqualTo("'C:\\Patches'");
        assertThat(ScriptRenderer.stringLiteral("it's")).isEqualTo("'it''s'");
        assertThat(ScriptRenderer.stringLiteral("\u2018a\u2019b\u201Ac\u201Bd\u201Ce\u201D"))
                .isEqualTo("'\u2018\u2018a\u2019\u2019b\u201A\u201Ac\u201B\u201Bd\u201Ce\u201D'");
        assertThat(ScriptRenderer.stringLiteral("$(x) `n # <# #> ; | \n")).isEqualTo("'$(x) `n # <# #> ; | \n'");
        assertThat(ScriptRenderer.stringLiteral("")).isEqualTo("''");
    }

    @Test
    void a_string_with_a_control_character_travels_as_base64_of_its_utf8_bytes() {
        assertThat(ScriptRenderer.stringLiteral("a\u0000b")).isEqualTo(
                "([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('YQBi')))");
        assertThat(ScriptRenderer.stringLiteral("tab\tnew\nline\r")).startsWith("'");
    }

    @Test
    void a_string_with_an_unpaired_surrogate_is_refused_without_showing_it() {
        assertThatThrownBy(() -> ScriptRenderer.stringLiteral("secret\uD800"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("secret");
    }

    @Test
    void the_param_block_has_one_typed_declaration_per_parameter_in_playbook_order() {
        List<Param> params = List.of(string("patchShare"),
                new Param("count", ParamType.INTEGER, "", 3L, false, List.of(), null),
                new Param("force", ParamType.BOOLEAN, "", null, true, List.of(), null));
        Map<String, Object> resolved = new LinkedHashMap<>();
        resolved.put("force", true);
        resolved.put("count", 3L);
        resolved.put("patchShare", "C:\\Patches");

        assertThat(ScriptRenderer.render(STEP, resolved, params)).isEqualTo("""
                param(
                  [string]$patchShare = 'C:\\Patches',
                  [int]$count = 3,
                  [bool]$force = $true
                )
                Write-Output "share: $patchShare"
                """);
    }

    @Test
    void integers_are_written_from_longs_as_int_or_long_and_booleans_as_true_or_false() {
        List<Param> params = List.of(
                new Param("small", ParamType.INTEGER, "", null, true, List.of(), null),
                new Param("negative", ParamType.INTEGER, "", null, true, List.of(), null),
                new Param("large", ParamType.INTEGER, "", null, true, List.of(), null),
                new Param("smallest", ParamType.INTEGER, "", null, true, List.of(), null),
                new Param("off", ParamType.BOOLEAN, "", null, true, List.of(), null));
        Map<String, Object> resolved = Map.of("small", 2147483647L, "negative", -2147483648L,
                "large", 2147483648L, "smallest", Long.MIN_VALUE, "off", false);

        String rendered = ScriptRenderer.render(STEP, resolved, params);
        PowerShellParamReader.Parsed parsed = PowerShellParamReader.read(rendered);

        assertThat(rendered).contains("[int]$small = 2147483647,\n", "[int]$negative = -2147483648,\n",
                "[long]$large = 2147483648,\n", "[long]$smallest = (-9223372036854775807 - 1),\n",
                "[bool]$off = $false\n");
        assertThat(parsed.value("smallest")).isEqualTo(Long.MIN_VALUE);
        assertThat(parsed.value("large")).isEqualTo(2147483648L);
    }

    @Test
    void an_optional_parameter_without_a_value_is_an_untyped_null_the_script_can_test() {
        Param optional = new Param("note", ParamType.STRING, "", null, false, List.of(), null);

        String rendered = ScriptRenderer.render(STEP, Map.of(), List.of(optional));

        assertThat(rendered).startsWith("param(\n  $note = $null\n)\n");
        assertThat(PowerShellParamReader.read(rendered).params()).containsEntry("note",
                new PowerShellParamReader.Declaration(null, null));
    }

    @Test
    void a_step_of_a_playbook_without_parameters_is_sent_as_written() {
        assertThat(ScriptRenderer.render(STEP, Map.of(), List.of())).isEqualTo(SCRIPT);
    }

    @Test
    void secrets_never_enter_the_script_and_reach_it_as_its_standard_input() {
        Param password = new Param("password", ParamType.SECRET, "", null, true, List.of(), null);
        Param token = new Param("token", ParamType.SECRET, "", null, true, List.of(), null);
        Param unset = new Param("unset", ParamType.SECRET, "", null, false, List.of(), null);
        List<Param> params = List.of(string("patchShare"), password, unset, token);
        Map<String, Object> resolved = Map.of("patchShare", "C:\\Patches", "password", "hunter2'; Stop-Computer; '",
                "token", "\u00e4\n\u20ac");

        String sent = ScriptRenderer.render(STEP, resolved, params);
        String input = ScriptRenderer.secretInput(STEP, resolved, params);

        assertThat(sent).as("what the host's command line or file carries").doesNotContain("hunter2")
                .contains("[string]$password = '***'").contains("[string]$token = '***'").contains("$unset = $null")
                .contains("[string]$patchShare = 'C:\\Patches'");
        assertThat(ScriptRenderer.renderRedacted(STEP, resolved, params)).as("what dry-runs show").isEqualTo(sent);
        assertThat(PowerShellParamReader.read(sent).script()).isEqualTo("$antidote_input = @($input); $password ="
                + " [System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String($antidote_input[0])); $token ="
                + " [System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String($antidote_input[1]));"
                + " $antidote_input = $null\n" + SCRIPT);
        assertThat(input).as("the script's standard input: one line per secret, in declaration order").isEqualTo(
                java.util.Base64.getEncoder().encodeToString("hunter2'; Stop-Computer; '".getBytes(StandardCharsets.UTF_8))
                        + "\r\n" + java.util.Base64.getEncoder().encodeToString("\u00e4\n\u20ac".getBytes(StandardCharsets.UTF_8))
                        + "\r\n");
        assertThat(ScriptRenderer.secretInput(STEP, Map.of("patchShare", "x"), List.of(string("patchShare")))).isEmpty();
    }

    @Test
    void a_missing_required_value_or_an_undeclared_one_is_a_programming_error() {
        assertThatThrownBy(() -> ScriptRenderer.render(STEP, Map.of(), List.of(string("patchShare"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("required parameter 'patchShare' has no value; resolve the parameters first");
        assertThatThrownBy(() -> ScriptRenderer.render(STEP, Map.of("other", "x"), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("resolved parameter 'other' is not declared by the playbook");
    }

    @Test
    void a_value_of_the_wrong_type_is_refused_and_never_rendered_from_a_string() {
        Param count = new Param("count", ParamType.INTEGER, "", null, true, List.of(), null);
        Param secret = new Param("password", ParamType.SECRET, "", null, true, List.of(), null);

        assertThatThrownBy(() -> ScriptRenderer.render(STEP, Map.of("count", "3; Stop-Computer"), List.of(count)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parameter 'count' is integer but its resolved value is a String");
        assertThatThrownBy(() -> ScriptRenderer.render(STEP, Map.of("password", 42L), List.of(secret)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("42");
    }

    @Test
    void a_parameter_name_that_is_not_a_variable_name_is_refused_even_when_built_by_hand() {
        Param evil = new Param("x = 1; Stop-Computer; $y", ParamType.STRING, "", null, true, List.of(), null);

        assertThatThrownBy(() -> ScriptRenderer.render(STEP, Map.of(evil.name(), "v"), List.of(evil)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a PowerShell variable name");
    }

    @Test
    void the_proxylogon_patch_step_gets_its_share_as_a_literal_before_the_script() throws Exception {
        Playbook playbook = ProxyLogonPlaybookTest.proxyLogon();
        Step patch = playbook.step("patch").orElseThrow();
        PatchSources sources = PatchSources.of(Map.of("fs01", "\\\\fs01\\patches$'x"));
        Map<String, Object> resolved = ParamResolver.resolve(playbook, Map.of("patchShare", "fs01"), sources);

        String rendered = ScriptRenderer.render(patch, resolved, playbook.params());

        assertThat(rendered).startsWith("param(\n  [string]$patchShare = '\\\\fs01\\patches$''x',\n"
                + "  $outOfBandShare = $null,\n"
                + "  [string]$evidenceRoot = 'C:\\Antidote\\Evidence',\n"
                + "  [hashtable]$antidote_package_pins = @{ 'KB5000871 2013 CU23' = 'F4F1829E");
        assertThat(rendered).contains("; 'KB5000871 2016 CU19' = '" + PackagePins.byKey().get("KB5000871 2016 CU19")
                + "';").contains(" }\n)\n$ErrorActionPreference");
        assertThat(rendered.substring(rendered.indexOf("\n)\n") + 3)).isEqualTo(patch.powershell());
    }
}
