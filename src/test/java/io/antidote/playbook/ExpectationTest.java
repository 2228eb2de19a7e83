package io.antidote.playbook;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Outcome checks run on whatever a host printed, so they must judge hostile output without throwing. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ExpectationTest {

    static final Expectation VERIFY = new Expectation(0, null, checks(
            "build", new JsonCheck.ProxyLogonPatched(true),
            "stoppedServices", new JsonCheck.Empty(true)));

    static Map<String, JsonCheck> checks(Object... fieldsAndChecks) {
        Map<String, JsonCheck> checks = new LinkedHashMap<>();
        for (int i = 0; i < fieldsAndChecks.length; i += 2) {
            checks.put((String) fieldsAndChecks[i], (JsonCheck) fieldsAndChecks[i + 1]);
        }
        return checks;
    }

    @Test
    void a_patched_server_with_all_services_running_passes_verify() {
        assertThat(VERIFY.check(0, "{\"build\":\"15.01.2176.009\",\"stoppedServices\":[]}")).isEmpty();
    }

    @Test
    void an_unpatched_build_fails_verify_with_its_cu_and_fixed_build() {
        assertThat(VERIFY.check(0, "{\"build\":\"15.01.2176.002\",\"stoppedServices\":[]}"))
                .containsExactly("build 15.01.2176.002 is not patched against ProxyLogon for 2016 CU19 (fixed: 15.1.2176.9)");
    }

    @Test
    void a_non_zero_exit_code_is_reported_with_the_expected_one() {
        assertThat(Expectation.SUCCESS.check(1603, "")).containsExactly("exit code 1603, expected 0");
        assertThat(new Expectation(3010, null, Map.of()).check(0, "")).containsExactly("exit code 0, expected 3010");
        assertThat(new Expectation(3010, null, Map.of()).check(3010, "")).isEmpty();
    }

    @Test
    void every_failure_is_reported_not_only_the_first() {
        assertThat(VERIFY.check(1, "{\"build\":\"15.1.2106.8\",\"stoppedServices\":[\"MSExchangeIS\",\"W3SVC\"]}"))
                .containsExactly("exit code 1, expected 0",
                        "build 15.1.2106.8 is not patched against ProxyLogon for 2016 CU18 (fixed: 15.1.2106.13)",
                        "JSON field 'stoppedServices' is not empty: [\"MSExchangeIS\",\"W3SVC\"]");
    }

    @Test
    void the_json_is_read_from_the_last_non_empty_line_after_other_output() {
        String stdout = "WARNING: The names of some imported commands include unapproved verbs.\r\n"
                + "{\"build\":\"15.2.858.5\",\"stoppedServices\":null}\r\n\r\n   \n";

        assertThat(VERIFY.check(0, stdout)).isEmpty();
    }

    @Test
    void multi_line_json_is_read_as_the_whole_stdout() {
        String stdout = "\uFEFF{\r\n    \"build\":  \"15.2.792.10\",\r\n    \"stoppedServices\":  [\r\n\r\n    ]\r\n}\r\n";

        assertThat(VERIFY.check(0, stdout)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   \n", "not json at all", "{\"build\":\"15.2.858.5\"", "[{\"build\":\"15.2.858.5\"}]",
            "\"15.2.858.5\"", "{\"build\":\"15.2.858.5\",\"stoppedServices\":[]} trailing",
            "{\"build\":\"15.1.2176.2\",\"build\":\"15.2.858.5\",\"stoppedServices\":[]}",
            "{\"build\":\"15.2.858.5\",\"stoppedServices\":[]}{\"build\":\"x\"}"})
    void output_that_is_not_one_json_object_is_a_clear_failure_not_an_exception(String stdout) {
        assertThat(VERIFY.check(0, stdout)).containsExactly(
                "stdout is not a JSON object (expected one on its last non-empty line or as the whole output)"
                        + " so the checks on build, stoppedServices cannot pass");
    }

    @Test
    void deeply_nested_or_huge_json_is_refused_without_an_exception() {
        String deep = "{\"build\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        String longNumber = "{\"build\":1" + "0".repeat(10_000) + ",\"stoppedServices\":[]}";

        assertThat(VERIFY.check(0, deep)).singleElement().asString().startsWith("stdout is not a JSON object");
        assertThat(VERIFY.check(0, longNumber)).singleElement().asString().startsWith("stdout is not a JSON object");
        assertThat(VERIFY.check(0, null)).singleElement().asString().startsWith("stdout is not a JSON object");
    }

    @Test
    void a_missing_field_and_a_build_that_is_not_a_string_are_reported() {
        assertThat(VERIFY.check(0, "{\"build\":15}")).containsExactly(
                "JSON field 'build' is not a build number string: 15",
                "JSON field 'stoppedServices' is missing");
    }

    @Test
    void a_build_that_is_not_a_version_fails_with_the_reason() {
        assertThat(VERIFY.check(0, "{\"build\":\"unknown\",\"stoppedServices\":[]}")).containsExactly(
                "'unknown' is not an Exchange build number (expected the form 15.1.2176.9 or 15.01.2176.009)");
    }

    @Test
    void a_check_for_a_vulnerable_build_fails_on_a_patched_one() {
        Expectation vulnerable = new Expectation(0, null, Map.of("build", new JsonCheck.ProxyLogonPatched(false)));

        assertThat(vulnerable.check(0, "{\"build\":\"15.1.2176.2\"}")).isEmpty();
        assertThat(vulnerable.check(0, "{\"build\":\"15.1.2176.9\"}")).containsExactly(
                "build 15.1.2176.9 is patched against ProxyLogon (2016 CU19, fixed: 15.1.2176.9),"
                        + " expected a build vulnerable to ProxyLogon");
    }

    @Test
    void empty_means_null_an_empty_string_an_empty_array_or_an_empty_object() {
        Expectation empty = new Expectation(0, null, Map.of("webshells", new JsonCheck.Empty(true)));
        Expectation notEmpty = new Expectation(0, null, Map.of("webshells", new JsonCheck.Empty(false)));

        for (String value : List.of("null", "\"\"", "[]", "{}")) {
            assertThat(empty.check(0, "{\"webshells\":" + value + "}")).as("%s is empty", value).isEmpty();
            assertThat(notEmpty.check(0, "{\"webshells\":" + value + "}")).as("%s is empty", value)
                    .containsExactly("JSON field 'webshells' is empty, expected a value");
        }
        for (String value : List.of("0", "false", "\" \"", "[null]", "{\"a\":1}")) {
            assertThat(empty.check(0, "{\"webshells\":" + value + "}")).as("%s is not empty", value)
                    .containsExactly("JSON field 'webshells' is not empty: " + value);
        }
    }

    @Test
    void equals_compares_strings_integers_booleans_and_null_by_json_type() {
        Expectation equals = new Expectation(0, null, checks(
                "server", new JsonCheck.Equals("EX01"),
                "count", new JsonCheck.Equals(3L),
                "elevated", new JsonCheck.Equals(true),
                "error", new JsonCheck.Equals(null)));

        assertThat(equals.check(0, "{\"server\":\"EX01\",\"count\":3,\"elevated\":true,\"error\":null}")).isEmpty();
        assertThat(equals.check(0, "{\"server\":\"ex01\",\"count\":\"3\",\"elevated\":\"true\",\"error\":\"\"}"))
                .containsExactly(
                        "JSON field 'server' is \"ex01\", expected \"EX01\"",
                        "JSON field 'count' is \"3\", expected 3",
                        "JSON field 'elevated' is \"true\", expected true",
                        "JSON field 'error' is \"\", expected null");
    }

    @Test
    void an_integer_equals_check_accepts_an_int_and_stores_a_long() {
        assertThat(new JsonCheck.Equals(3)).isEqualTo(new JsonCheck.Equals(3L));
        assertThatThrownBy(() -> new JsonCheck.Equals(1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_stdout_pattern_must_be_found_somewhere_in_stdout() {
        Expectation isolated = new Expectation(0, "isolated: firewall rule '.*' blocks inbound 443", Map.of());

        assertThat(isolated.check(0, "isolated: firewall rule 'Antidote ProxyLogon isolation (block inbound 443)'"
                + " blocks inbound 443\r\n")).isEmpty();
        assertThat(isolated.check(0, "")).containsExactly(
                "stdout has no match for /isolated: firewall rule '.*' blocks inbound 443/");
    }

    @Test
    void a_catastrophically_backtracking_pattern_on_hostile_output_fails_quickly_instead_of_hanging() {
        // Java's regex engine memoizes the classic (a+)+$, but not a repeated group of greedy wildcards.
        Expectation evil = new Expectation(0, "(.*,){10}x", Map.of());
        String hostile = ",".repeat(200);

        List<String> failures = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> evil.check(0, hostile));

        assertThat(failures).containsExactly("stdout could not be searched for /(.*,){10}x/: the pattern is too costly on this output");
    }

    @Test
    void a_recursive_pattern_on_long_output_does_not_escape_as_a_stack_overflow() {
        Expectation recursive = new Expectation(0, "(a|b)*c", Map.of());

        List<String> failures = recursive.check(0, "ab".repeat(200_000));

        assertThat(failures).hasSize(1);
    }

    @Test
    void hostile_values_in_failures_are_shortened_and_escaped() {
        Expectation empty = new Expectation(0, null, Map.of("webshells", new JsonCheck.Empty(true)));
        String stdout = "{\"webshells\":[\"" + "\\u001b[2J".repeat(1000) + "\"]}";

        List<String> failures = empty.check(0, stdout);

        assertThat(failures).singleElement().asString().hasSizeLessThan(220).doesNotContain("\u001b");
    }

    @Test
    void a_json_check_without_a_check_cannot_be_constructed() {
        Map<String, JsonCheck> checks = new LinkedHashMap<>();
        checks.put("build", null);

        assertThatThrownBy(() -> new Expectation(0, null, checks)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void an_invalid_stdout_pattern_cannot_be_constructed() {
        assertThatThrownBy(() -> new Expectation(0, "([", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid regular expression");
    }
}
