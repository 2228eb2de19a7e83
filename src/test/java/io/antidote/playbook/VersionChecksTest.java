package io.antidote.playbook;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Version checks on a step's JSON output compare number by number, not as text. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class VersionChecksTest {

    private static Expectation atLeast(String minimum) {
        return new Expectation(0, null, Map.of("build", new JsonCheck.VersionAtLeast(minimum)));
    }

    @Test
    void a_version_is_compared_number_by_number_not_as_text() {
        // As text "15.1.10" < "15.1.9"; as versions it is greater.
        assertThat(atLeast("15.1.9").check(0, "{\"build\":\"15.1.10\"}")).isEmpty();
        assertThat(atLeast("15.1.2176.9").check(0, "{\"build\":\"15.01.2176.009\"}"))
                .as("the file-version form with leading zeros is the same version").isEmpty();
        assertThat(atLeast("15.1.2176.9").check(0, "{\"build\":\"15.1.2176.2\"}"))
                .containsExactly("JSON field 'build' is version 15.1.2176.2, expected at least 15.1.2176.9");
    }

    @Test
    void missing_parts_count_as_zero_and_below_is_strict() {
        Expectation below = new Expectation(0, null, Map.of("build", new JsonCheck.VersionBelow("15.2")));

        assertThat(below.check(0, "{\"build\":\"15.1.2176.9\"}")).isEmpty();
        assertThat(below.check(0, "{\"build\":\"15.2.0.0\"}"))
                .containsExactly("JSON field 'build' is version 15.2.0.0, expected below 15.2");
    }

    @Test
    void a_field_that_is_not_a_version_fails_the_check_without_throwing() {
        assertThat(atLeast("1.0").check(0, "{\"build\":\"15.1.x\"}"))
                .containsExactly("JSON field 'build' is not a version such as 15.1.2176.9: \"15.1.x\"");
        assertThat(atLeast("1.0").check(0, "{\"build\":15.1}"))
                .containsExactly("JSON field 'build' is not a version such as 15.1.2176.9: 15.1");
    }

    @Test
    void the_parser_reads_version_checks_and_refuses_a_malformed_version_at_its_position() {
        String yaml = """
                name: v
                steps:
                  - id: read
                    powershell: Get-Date
                    expect:
                      json:
                        build: { versionAtLeast: '15.1.2176.9' }
                        other: { versionBelow: 'fifteen' }
                """;

        ParseResult result = PlaybookParser.parse("v.yaml", yaml);

        assertThat(result).isInstanceOfSatisfying(ParseResult.Invalid.class, invalid ->
                assertThat(invalid.errors()).singleElement().satisfies(error -> {
                    assertThat(error.line()).isEqualTo(8);
                    assertThat(error.column()).isEqualTo(32);
                    assertThat(error.message()).contains("'versionBelow'").contains("found 'fifteen'");
                }));
        ParseResult valid = PlaybookParser.parse("v.yaml", yaml.replace("        other: { versionBelow: 'fifteen' }\n", ""));
        assertThat(valid).isInstanceOfSatisfying(ParseResult.Valid.class, v ->
                assertThat(v.playbook().step("read").orElseThrow().expect().json())
                        .containsEntry("build", new JsonCheck.VersionAtLeast("15.1.2176.9")));
    }

    @Test
    void a_check_cannot_be_built_with_a_malformed_version() {
        assertThatThrownBy(() -> new JsonCheck.VersionAtLeast("1")).isInstanceOf(IllegalArgumentException.class);
    }
}
