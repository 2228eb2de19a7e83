package io.antidote.playbook;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** A run request's parameters are checked against the playbook before anything reaches a host. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ParamResolverTest {

    static final Playbook PLAYBOOK = parse("""
            name: demo
            params:
              patchShare: { type: string, default: 'C:\\Patches', pattern: '([A-Z]:|\\\\\\\\[^\\\\]+)\\\\.*' }
              batchSize: { type: integer, default: 1 }
              reboot: { type: boolean }
              mode: { type: enum, values: [audit, enforce], default: audit }
              password: { type: secret, pattern: '.{8,}' }
              note: { type: string, required: false }
            steps: [{id: a, powershell: Get-Date}]
            """);

    static Playbook parse(String yaml) {
        ParseResult result = PlaybookParser.parse("test.yaml", yaml);
        assertThat(result).isInstanceOf(ParseResult.Valid.class);
        return ((ParseResult.Valid) result).playbook();
    }

    static List<ParamError> errors(Map<String, Object> requested) {
        InvalidParamsException e = catchThrowableOfType(InvalidParamsException.class,
                () -> ParamResolver.resolve(PLAYBOOK, requested));
        assertThat(e).as("resolving %s must fail", requested.keySet()).isNotNull();
        return e.errors();
    }

    static Map<String, Object> valid(Object... more) {
        Map<String, Object> requested = new HashMap<>(Map.of("reboot", false, "password", "correct horse"));
        for (int i = 0; i < more.length; i += 2) {
            requested.put((String) more[i], more[i + 1]);
        }
        return requested;
    }

    @Test
    void defaults_fill_what_was_not_given_in_playbook_order_and_optional_params_stay_absent() {
        Map<String, Object> resolved = ParamResolver.resolve(PLAYBOOK, valid());

        assertThat(resolved).containsExactly(entry("patchShare", "C:\\Patches"), entry("batchSize", 1L),
                entry("reboot", false), entry("mode", "audit"), entry("password", "correct horse"));
    }

    @Test
    void given_values_replace_defaults_and_integers_become_longs() {
        Map<String, Object> resolved = ParamResolver.resolve(PLAYBOOK,
                valid("patchShare", "\\\\fs01\\patches", "batchSize", 5, "mode", "enforce", "note", "ticket 42"));

        assertThat(resolved).contains(entry("patchShare", "\\\\fs01\\patches"), entry("batchSize", 5L),
                entry("mode", "enforce"), entry("note", "ticket 42"));
        assertThat(ParamResolver.resolve(PLAYBOOK, valid("batchSize", BigInteger.valueOf(7)))).containsEntry("batchSize", 7L);
    }

    @Test
    void an_unknown_parameter_is_named_with_the_ones_the_playbook_takes() {
        assertThat(errors(valid("patchshare", "C:\\x"))).containsExactly(new ParamError("patchshare",
                "unknown parameter; playbook 'demo' takes: patchShare, batchSize, reboot, mode, password, note"));
    }

    @Test
    void missing_required_parameters_are_each_reported() {
        assertThat(errors(Map.of())).containsExactly(
                new ParamError("reboot", "required parameter is missing"),
                new ParamError("password", "required parameter is missing"));
    }

    @Test
    void values_of_the_wrong_json_type_are_refused_without_coercion() {
        assertThat(errors(valid("batchSize", "3", "reboot", "true", "patchShare", 5, "mode", null))).containsExactly(
                new ParamError("patchShare", "expected a string, got an integer"),
                new ParamError("batchSize", "expected an integer, got a string"),
                new ParamError("reboot", "expected true or false, got a string"),
                new ParamError("mode", "expected a string, got null"));
        assertThat(errors(valid("batchSize", 2.0))).containsExactly(
                new ParamError("batchSize", "expected an integer, got a decimal number"));
        assertThat(errors(valid("batchSize", List.of(1), "note", Map.of("a", 1)))).containsExactly(
                new ParamError("batchSize", "expected an integer, got an array"),
                new ParamError("note", "expected a string, got an object"));
        assertThat(errors(valid("batchSize", BigInteger.TWO.pow(64)))).containsExactly(
                new ParamError("batchSize", "the integer is out of range (64 bits)"));
    }

    @Test
    void an_enum_value_must_be_one_of_its_values() {
        assertThat(errors(valid("mode", "Enforce"))).containsExactly(
                new ParamError("mode", "'Enforce' is not one of: audit, enforce"));
    }

    @Test
    void a_string_must_match_its_whole_pattern() {
        assertThat(errors(valid("patchShare", "relative\\path"))).containsExactly(new ParamError("patchShare",
                "'relative\\path' does not match the pattern ([A-Z]:|\\\\\\\\[^\\\\]+)\\\\.*"));
        assertThat(errors(valid("patchShare", "C:\\ok\n; Stop-Computer"))).extracting(ParamError::param)
                .containsExactly("patchShare");
    }

    @Test
    void a_secret_that_does_not_match_is_refused_without_repeating_it() {
        InvalidParamsException e = catchThrowableOfType(InvalidParamsException.class,
                () -> ParamResolver.resolve(PLAYBOOK, valid("password", "hunter2")));

        assertThat(e.errors()).containsExactly(new ParamError("password", "the value does not match the pattern .{8,}"));
        assertThat(e.getMessage()).doesNotContain("hunter2");
        assertThat(e.errors().toString()).doesNotContain("hunter2");
    }

    @Test
    void every_problem_is_reported_at_once() {
        Map<String, Object> requested = new HashMap<>();
        requested.put("reboot", "yes");
        requested.put("mode", "fix");
        requested.put("extra", 1);

        assertThat(errors(requested)).extracting(ParamError::param)
                .containsExactly("extra", "reboot", "mode", "password");
    }

    @Test
    void a_string_with_an_unpaired_surrogate_is_refused() {
        assertThat(errors(valid("note", "bad\uDC00"))).containsExactly(new ParamError("note",
                "the value contains an unpaired UTF-16 surrogate, which cannot be sent to the host"));
    }

    @Test
    void a_hostile_unknown_name_is_shortened_and_escaped() {
        List<ParamError> errors = errors(valid("\u001b[2J" + "x".repeat(1_000), 1));

        assertThat(errors).singleElement().satisfies(error ->
                assertThat(error.param()).doesNotContain("\u001b").hasSizeLessThan(120));
    }

    @Test
    void a_costly_pattern_on_a_requested_value_is_refused_in_bounded_time() {
        Playbook playbook = parse("""
                name: demo
                params:
                  list: { type: string, pattern: '(.*,){10}x' }
                steps: [{id: a, powershell: Get-Date}]
                """);

        InvalidParamsException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> catchThrowableOfType(
                InvalidParamsException.class, () -> ParamResolver.resolve(playbook, Map.of("list", ",".repeat(200)))));

        assertThat(e.errors()).containsExactly(
                new ParamError("list", "'" + ",".repeat(120) + "…'"
                        + " could not be checked against the pattern (.*,){10}x (too costly)"));
    }

    @Test
    void the_redacted_view_hides_secrets_and_keeps_the_rest() {
        Map<String, Object> resolved = ParamResolver.resolve(PLAYBOOK, valid());

        assertThat(ParamResolver.redacted(PLAYBOOK, resolved)).containsExactly(entry("patchShare", "C:\\Patches"),
                entry("batchSize", 1L), entry("reboot", false), entry("mode", "audit"), entry("password", "***"));
    }

    @Test
    void a_playbook_without_parameters_refuses_any() {
        Playbook none = parse("name: none\nsteps: [{id: a, powershell: Get-Date}]\n");

        assertThat(ParamResolver.resolve(none, null)).isEmpty();
        assertThatThrownBy(() -> ParamResolver.resolve(none, Map.of("x", 1)))
                .isInstanceOf(InvalidParamsException.class)
                .hasMessage("invalid parameters: x: unknown parameter; playbook 'none' takes no parameters");
    }

    @Test
    void a_string_or_secret_is_at_most_4096_utf8_bytes_unless_the_playbook_declares_more() {
        Playbook declared = parse("""
                name: long-notes
                params:
                  note: { type: string, maxLength: 10000 }
                  short: { type: string, required: false }
                  token: { type: secret, required: false, maxLength: 8 }
                steps: [{id: a, powershell: Get-Date}]
                """);
        assertThat(declared.param("note").orElseThrow().maxLength()).isEqualTo(10_000);
        assertThat(declared.param("short").orElseThrow().maxLength()).isEqualTo(Param.DEFAULT_MAX_LENGTH);
        assertThat(ParamResolver.resolve(declared, Map.of("note", "x".repeat(10_000), "short", "y".repeat(4096))))
                .containsEntry("short", "y".repeat(4096));

        // Bytes, not characters: 2048 two-byte characters are 4096 bytes, one more is over.
        assertThat(ParamResolver.resolve(declared, Map.of("note", "n", "short", "é".repeat(2048)))).hasSize(2);
        InvalidParamsException tooLong = catchThrowableOfType(InvalidParamsException.class, () -> ParamResolver.resolve(
                declared, Map.of("note", "x".repeat(10_001), "short", "é".repeat(2049), "token", "s3cret-value")));
        assertThat(tooLong.errors()).extracting(ParamError::param).containsExactly("note", "short", "token");
        assertThat(tooLong.errors().get(0).message()).contains("longer than 10000 bytes");
        assertThat(tooLong.errors().get(1).message()).contains("longer than 4096 bytes").contains("maxLength");
        assertThat(tooLong.errors().get(2).message()).doesNotContain("s3cret");
    }

    @Test
    void max_length_applies_to_strings_and_secrets_only_and_within_256_kib() {
        for (String bad : List.of("n: { type: integer, maxLength: 10 }", "n: { type: string, maxLength: 0 }",
                "n: { type: string, maxLength: 262145 }", "n: { type: string, maxLength: lots }")) {
            ParseResult result = PlaybookParser.parse("test.yaml", "name: bad\nparams:\n  " + bad
                    + "\nsteps: [{id: a, powershell: Get-Date}]\n");
            assertThat(result).as(bad).isInstanceOf(ParseResult.Invalid.class);
            assertThat(((ParseResult.Invalid) result).errors()).as(bad)
                    .anyMatch(e -> e.message().contains("maxLength"));
        }
    }
}
