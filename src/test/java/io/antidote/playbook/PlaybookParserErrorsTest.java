package io.antidote.playbook;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every problem in a playbook is reported with its file, 1-based line and column, and what was
 * expected there, so that an operator can fix the file from the message alone.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PlaybookParserErrorsTest {

    static final String FILE = "playbooks/demo.yaml";

    static List<PlaybookError> errors(String yaml) {
        ParseResult result = PlaybookParser.parse(FILE, yaml);
        assertThat(result).as("result of parsing:%n%s", yaml).isInstanceOf(ParseResult.Invalid.class);
        ParseResult.Invalid invalid = (ParseResult.Invalid) result;
        assertThat(invalid.file()).isEqualTo(FILE);
        return invalid.errors();
    }

    static PlaybookError error(int line, int column, String message) {
        return new PlaybookError(FILE, line, column, message);
    }

    // ---- YAML itself ----

    @Test
    void a_yaml_syntax_error_is_reported_at_snakeyamls_mark() {
        assertThat(errors("""
                name: demo
                steps:
                  - id: a
                    powershell: Get-Date
                    timeout: 2m: 3m
                """)).containsExactly(error(5, 16, "invalid YAML: mapping values are not allowed here"));
    }

    @Test
    void an_unclosed_flow_list_names_what_was_expected() {
        assertThat(errors("""
                name: demo
                references:
                  cves: [CVE-2021-26855
                """)).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.column()).isEqualTo(1);
            assertThat(e.message()).startsWith("invalid YAML: expected ',' or ']'").contains("while parsing a flow sequence");
        });
    }

    @Test
    void an_empty_file_a_list_and_several_documents_are_not_playbooks() {
        assertThat(errors("")).containsExactly(
                error(1, 1, "the playbook is empty; expected a mapping with at least 'name' and 'steps'"));
        assertThat(errors("# nothing but a comment\n")).containsExactly(
                error(1, 1, "the playbook is empty; expected a mapping with at least 'name' and 'steps'"));
        assertThat(errors("- id: a\n")).containsExactly(
                error(1, 1, "a playbook must be a mapping with at least 'name' and 'steps', found a list"));
        assertThat(errors("name: a\n---\nname: b\n")).containsExactly(
                error(2, 1, "invalid YAML: but found another document (expected a single document in the stream)"));
        assertThat(PlaybookParser.parse(FILE, null)).isEqualTo(new ParseResult.Invalid(FILE,
                List.of(error(1, 1, "the playbook has no content"))));
    }

    @Test
    void a_character_yaml_does_not_allow_is_reported_at_its_own_position() {
        assertThat(errors("name: demo\nsteps:\n  - id: a\n    powershell: 'Get-\u0000Date'\n")).containsExactly(
                error(4, 22, "character U+0000 is not allowed in a YAML file (write it as an escape in a double-quoted string)"));
        assertThat(errors("name: demo\r\ndescription: \u001b[31m\r\n")).containsExactly(
                error(2, 14, "character U+001B is not allowed in a YAML file (write it as an escape in a double-quoted string)"));
    }

    @Test
    void duplicate_yaml_keys_are_reported_at_the_second_with_the_line_of_the_first() {
        assertThat(errors("""
                name: demo
                steps:
                  - id: a
                    timeout: 2m
                    powershell: Get-Date
                    timeout: 3m
                name: other
                """)).containsExactly(
                error(6, 5, "duplicate key 'timeout' in step 'a'; it first appears at line 4"),
                error(7, 1, "duplicate key 'name' at the top level; it first appears at line 1"));
    }

    @Test
    void merge_keys_are_refused() {
        assertThat(errors("""
                name: demo
                steps:
                  - &base
                    id: a
                    powershell: Get-Date
                  - <<: *base
                    id: b
                """)).containsExactly(
                error(6, 5, "merge keys (<<) are not supported in step 'b'; write the keys out"),
                error(6, 5, "missing required key 'powershell' in step 'b'"));
    }

    // ---- YAML bombs and object-instantiation tags ----

    @Test
    void a_billion_laughs_alias_bomb_is_refused() {
        String bomb = """
                a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                name: demo
                steps: [*e]
                """;

        assertThat(errors(bomb)).containsExactly(
                error(1, 1, "invalid YAML: Number of aliases for non-scalar nodes exceeds the specified max=20"));
    }

    @Test
    void a_java_class_tag_is_refused_where_it_stands() {
        assertThat(errors("""
                name: demo
                description: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://x/"]]]]
                steps: []
                """)).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.column()).isEqualTo(14);
            assertThat(e.message()).isEqualTo("invalid YAML: Global tag is not allowed: tag:yaml.org,2002:javax.script.ScriptEngineManager");
        });
    }

    @Test
    void local_and_non_plain_standard_tags_are_refused() {
        assertThat(errors("""
                name: demo
                description: !secret x
                steps:
                  - id: a
                    powershell: !!binary R2V0LURhdGU=
                """)).containsExactly(
                error(2, 14, "tag '!secret' is not allowed; playbooks use plain strings, numbers, booleans, lists and mappings"),
                error(2, 14, "'description' must be a string, found a value with the tag '!secret'"),
                error(5, 17, "tag '!!binary' is not allowed; playbooks use plain strings, numbers, booleans, lists and mappings"),
                error(5, 17, "'powershell' in step 'a' must be a string, found a value with the tag 'tag:yaml.org,2002:binary'"));
    }

    @Test
    void a_file_over_a_million_characters_is_refused_before_yaml_reads_it() {
        String huge = "name: demo\ndescription: " + "x".repeat(PlaybookParser.MAX_CODE_POINTS) + "\nsteps: []\n";

        assertThat(errors(huge)).containsExactly(
                error(1, 1, "the playbook is larger than the limit of 1048576 characters"));
    }

    @Test
    void deep_nesting_is_refused() {
        String deep = "name: demo\nsteps: " + "[".repeat(100) + "]".repeat(100) + "\n";

        assertThat(errors(deep)).containsExactly(error(1, 1, "invalid YAML: Nesting Depth exceeded max 32"));
    }

    // ---- unknown keys ----

    @Test
    void an_unknown_top_level_key_lists_the_known_ones() {
        assertThat(errors("""
                name: demo
                descripton: typo
                steps:
                  - id: a
                    powershell: Get-Date
                """)).containsExactly(error(2, 1, "unknown key 'descripton' at the top level; expected one of:"
                + " name, description, version, references, params, steps, strategy, targets"));
    }

    @Test
    void an_unknown_step_key_names_the_step() {
        assertThat(errors("""
                name: demo
                steps:
                  - id: patch
                    timout: 45m
                    powershell: Get-Date
                """)).containsExactly(error(4, 5, "unknown key 'timout' in step 'patch'; expected one of:"
                + " id, description, powershell, timeout, expect, when, outputs, retry, approval, compensate, keepOnFailure,"
                + " compensationOnly, idempotent, readOnly, uses, with, restore, verifies, packagePins, liftsMitigation, holdsGroup"));
    }

    @Test
    void a_step_that_lifts_a_mitigation_cannot_be_read_only() {
        assertThat(errors("""
                name: demo
                steps:
                  - id: lift
                    powershell: Start-WebAppPool -Name MSExchangeECPAppPool
                    liftsMitigation: true
                    readOnly: true
                """)).containsExactly(error(6, 5, "'readOnly' in step 'lift' cannot be true for a step that takes a"
                + " mitigation away ('liftsMitigation'): such a step changes the server"));
    }

    @Test
    void a_step_that_holds_its_group_needs_the_step_that_ends_it() {
        assertThat(errors("""
                name: demo
                steps:
                  - id: maintenance
                    powershell: Set-ServerComponentState -Identity EX01 -Component ServerWideOffline -State Inactive
                    holdsGroup: true
                """)).containsExactly(error(5, 5, "'holdsGroup' in step 'maintenance' needs 'compensate': the step"
                + " that ends the maintenance, which lets the group go"));
    }

    @Test
    void unknown_param_expect_check_and_reference_keys_are_reported() {
        assertThat(errors("""
                name: demo
                references:
                  cve: [CVE-2021-26855]
                params:
                  share:
                    type: string
                    defualt: x
                steps:
                  - id: verify
                    powershell: Get-Date
                    expect:
                      exitcode: 0
                      json:
                        build: { patched: true }
                """)).containsExactly(
                error(3, 3, "unknown key 'cve' in references; expected one of: cves, kbs, links"),
                error(7, 5, "unknown key 'defualt' in parameter 'share'; expected one of:"
                        + " type, description, default, required, values, pattern, maxLength"),
                error(12, 7, "unknown key 'exitcode' in the expect of step 'verify'; expected one of: exitCode, stdout, json"),
                error(14, 18, "unknown key 'patched' in the check of JSON field 'build' in step 'verify';"
                        + " expected one of: proxylogonPatched, empty, equals, versionAtLeast, versionBelow"));
    }

    // ---- wrong types ----

    @Test
    void steps_that_are_not_a_list_are_reported_with_what_was_found() {
        assertThat(errors("name: demo\nsteps: 3\n")).containsExactly(
                error(2, 8, "'steps' must be a list, found the integer 3"));
        assertThat(errors("name: demo\nsteps: []\n")).containsExactly(
                error(2, 8, "'steps' must list at least one step"));
        assertThat(errors("name: demo\nsteps:\n  - Get-Date\n")).containsExactly(
                error(3, 5, "step 1 must be a mapping with at least 'id' and 'powershell', found 'Get-Date'"));
    }

    @Test
    void a_timeout_must_be_a_duration_with_a_unit_within_a_day() {
        assertThat(errors("""
                name: demo
                steps:
                  - {id: a, powershell: Get-Date, timeout: soon}
                  - {id: b, powershell: Get-Date, timeout: 30}
                  - {id: c, powershell: Get-Date, timeout: 0s}
                  - {id: d, powershell: Get-Date, timeout: 25h}
                  - {id: e, powershell: Get-Date, timeout: 90s}
                """)).containsExactly(
                error(3, 44, "'timeout' in step 'a' must be a duration such as 30s, 2m or 1h, found 'soon'"),
                error(4, 44, "'timeout' in step 'b' must be a duration such as 30s, 2m or 1h, found the integer 30"),
                error(5, 44, "'timeout' in step 'c' must be longer than zero"),
                error(6, 44, "'timeout' in step 'd' must be at most 24h, found 25h"));
    }

    @Test
    void version_must_be_a_positive_integer() {
        assertThat(errors("name: demo\nversion: x\nsteps: [{id: a, powershell: Get-Date}]\n")).containsExactly(
                error(2, 10, "'version' must be an integer, found 'x'"));
        assertThat(errors("name: demo\nversion: 0\nsteps: [{id: a, powershell: Get-Date}]\n")).containsExactly(
                error(2, 10, "'version' must be a positive integer, found 0"));
        assertThat(errors("name: demo\nversion: 0x10\nsteps: [{id: a, powershell: Get-Date}]\n")).containsExactly(
                error(2, 10, "'version' must be a decimal integer, found '0x10'"));
    }

    @Test
    void nulls_mappings_and_lists_where_text_is_expected_are_reported() {
        assertThat(errors("""
                name:
                description: [a, b]
                steps:
                  - id: a
                    powershell: {script: Get-Date}
                """)).containsExactly(
                error(1, 6, "'name' must be a string, found nothing (null)"),
                error(2, 14, "'description' must be a string, found a list"),
                error(5, 17, "'powershell' in step 'a' must be a string, found a mapping"));
    }

    @Test
    void expect_values_of_the_wrong_type_are_reported() {
        assertThat(errors("""
                name: demo
                steps:
                  - id: verify
                    powershell: Get-Date
                    expect:
                      exitCode: zero
                      json:
                        build: { proxylogonPatched: yes }
                        services: { empty: true, equals: [] }
                        server: { equals: [EX01] }
                        ratio: { equals: 1.5 }
                        nothing: {}
                """)).containsExactly(
                error(6, 17, "'exitCode' in the expect of step 'verify' must be an integer, found 'zero'"),
                error(8, 37, "'proxylogonPatched' in the check of JSON field 'build' in step 'verify' must be true or false,"
                        + " found the boolean yes"),
                error(9, 19, "the check of JSON field 'services' in step 'verify' must have exactly one of:"
                        + " proxylogonPatched, empty, equals, versionAtLeast, versionBelow, found empty, equals"),
                error(10, 27, "'equals' in the check of JSON field 'server' in step 'verify' must be a string, an integer,"
                        + " a boolean or null, found a list"),
                error(11, 26, "'equals' in the check of JSON field 'ratio' in step 'verify' must be a string, an integer,"
                        + " a boolean or null, found the number 1.5"),
                error(12, 18, "the check of JSON field 'nothing' in step 'verify' must have exactly one of:"
                        + " proxylogonPatched, empty, equals, versionAtLeast, versionBelow, found none"));
    }

    // ---- missing required keys ----

    @Test
    void a_playbook_without_name_or_steps_is_reported_at_its_first_key() {
        assertThat(errors("description: nothing else\n")).containsExactly(
                error(1, 1, "missing required key 'name' at the top level"),
                error(1, 1, "missing required key 'steps' at the top level"));
    }

    @Test
    void a_step_without_id_or_powershell_is_reported_at_the_step() {
        assertThat(errors("""
                name: demo
                steps:
                  - description: no id
                    powershell: Get-Date
                  - id: b
                    description: no script
                  - id: c
                    powershell: "  \\n "
                """)).containsExactly(
                error(3, 5, "missing required key 'id' in step 1"),
                error(5, 5, "missing required key 'powershell' in step 'b'"),
                error(8, 17, "'powershell' in step 'c' must not be blank"));
    }

    @Test
    void a_parameter_without_a_type_is_reported_with_the_types() {
        assertThat(errors("""
                name: demo
                params:
                  share:
                    description: where the patches are
                  count: { type: int }
                steps: [{id: a, powershell: Get-Date}]
                """)).containsExactly(
                error(4, 5, "missing required key 'type' in parameter 'share'; expected one of:"
                        + " string, integer, boolean, enum, secret, source"),
                error(5, 18, "'type' in parameter 'count' must be one of: string, integer, boolean, enum, secret,"
                        + " source, found 'int'"));
    }

    // ---- names and ids ----

    @Test
    void a_duplicate_step_id_is_reported_at_the_second_step() {
        assertThat(errors("""
                name: demo
                steps:
                  - id: patch
                    powershell: Get-Date
                  - id: verify
                    powershell: Get-Date
                  - id: patch
                    powershell: Get-Date
                """)).containsExactly(
                error(7, 9, "duplicate step id 'patch'; the first step with this id is at line 3"));
    }

    @Test
    void playbook_names_and_step_ids_must_be_lower_case_with_dashes() {
        assertThat(errors("""
                name: ProxyLogon_Remediation
                steps:
                  - id: Patch Now
                    powershell: Get-Date
                  - id: -lead
                    powershell: Get-Date
                """)).containsExactly(
                error(1, 7, "'name' must be lower-case letters, digits and dashes, starting with a letter or digit,"
                        + " found 'ProxyLogon_Remediation'"),
                error(3, 9, "'id' in step 1 must be lower-case letters, digits and dashes, starting with a letter or"
                        + " digit, found 'Patch Now'"),
                error(5, 9, "'id' in step 2 must be lower-case letters, digits and dashes, starting with a letter or"
                        + " digit, found '-lead'"));
    }

    @Test
    void parameter_names_must_be_powershell_variable_names_that_are_not_automatic_variables() {
        assertThat(errors("""
                name: demo
                params:
                  patch-share: { type: string, default: x }
                  2fa: { type: string, default: x }
                  'true': { type: boolean, default: true }
                  ErrorActionPreference: { type: string, default: Stop }
                  Count: { type: integer, default: 1 }
                  count: { type: integer, default: 2 }
                steps: [{id: a, powershell: Get-Date}]
                """)).containsExactly(
                error(3, 3, "parameter name 'patch-share' is not a PowerShell variable name;"
                        + " expected letters, digits and underscores, not starting with a digit"),
                error(4, 3, "parameter name '2fa' is not a PowerShell variable name;"
                        + " expected letters, digits and underscores, not starting with a digit"),
                error(5, 3, "parameter name 'true' is a PowerShell automatic or preference variable; choose another name"),
                error(6, 3, "parameter name 'ErrorActionPreference' is a PowerShell automatic or preference variable;"
                        + " choose another name"),
                error(8, 3, "parameter 'count' differs from parameter 'Count' (line 7) only by case,"
                        + " and PowerShell variable names ignore case"));
    }

    // ---- regular expressions ----

    @Test
    void bad_regular_expressions_in_pattern_and_stdout_are_reported() {
        assertThat(errors("""
                name: demo
                params:
                  share: { type: string, pattern: '[a-' }
                steps:
                  - id: a
                    powershell: Get-Date
                    expect:
                      stdout: (unclosed
                """)).containsExactly(
                error(3, 35, "'pattern' in parameter 'share' is not a valid regular expression:"
                        + " Illegal character range at index 3"),
                error(8, 15, "'stdout' in the expect of step 'a' is not a valid regular expression:"
                        + " Unclosed group at index 9"));
    }

    // ---- defaults, values and patterns ----

    @Test
    void a_default_that_does_not_fit_its_own_parameter_is_reported_at_the_default() {
        assertThat(errors("""
                name: demo
                params:
                  count: { type: integer, default: three }
                  force: { type: boolean, default: maybe }
                  mode: { type: enum, values: [audit, enforce], default: fix }
                  share: { type: string, pattern: '[A-Z]:\\\\.*', default: '\\\\server\\share' }
                  password: { type: secret, default: hunter2 }
                steps: [{id: a, powershell: Get-Date}]
                """)).containsExactly(
                error(3, 36, "the default of parameter 'count' must be an integer, found 'three'"),
                error(4, 36, "the default of parameter 'force' must be true or false, found 'maybe'"),
                error(5, 58, "the default of parameter 'mode' is 'fix', which is not one of its values: audit, enforce"),
                error(6, 58, "the default of parameter 'share' is '\\\\server\\share', which does not match its pattern [A-Z]:\\\\.*"),
                error(7, 38, "secret parameter 'password' cannot have a default: secrets are given with each run,"
                        + " never written in a playbook"));
    }

    @Test
    void values_and_pattern_apply_only_to_the_types_that_use_them() {
        assertThat(errors("""
                name: demo
                params:
                  mode: { type: enum }
                  level: { type: integer, values: [1, 2], pattern: '[0-9]+' }
                  choice: { type: enum, values: [] }
                  twice: { type: enum, values: [a, a] }
                steps: [{id: a, powershell: Get-Date}]
                """)).containsExactly(
                error(3, 17, "enum parameter 'mode' needs 'values', the list of values it accepts"),
                error(4, 27, "'values' in parameter 'level' applies only to enum parameters, and this one is integer"),
                error(4, 43, "'pattern' in parameter 'level' applies only to string and secret parameters,"
                        + " and this one is integer"),
                error(5, 33, "'values' in parameter 'choice' must list at least one value"),
                error(6, 36, "value 'a' is listed twice in 'values' in parameter 'twice'"));
    }

    @Test
    void a_required_parameter_cannot_also_have_a_default() {
        assertThat(errors("""
                name: demo
                params:
                  share: { type: string, default: 'C:\\Patches', required: true }
                steps: [{id: a, powershell: Get-Date}]
                """)).containsExactly(error(3, 59, "parameter 'share' has a default, so it cannot be required;"
                + " remove 'required: true' or the default"));
    }

    // ---- references ----

    @Test
    void references_must_be_lists_of_well_formed_ids_and_links() {
        assertThat(errors("""
                name: demo
                references:
                  cves: [CVE-2021-26855, 2021-26857]
                  kbs: KB5000871
                  links: [ftp://example.com/x]
                steps: [{id: a, powershell: Get-Date}]
                """)).containsExactly(
                error(3, 26, "each of 'cves' in references must be a CVE id such as CVE-2021-26855, found '2021-26857'"),
                error(4, 8, "'kbs' in references must be a list, found 'KB5000871'"),
                error(5, 11, "each of 'links' in references must be an http(s) URL, found 'ftp://example.com/x'"));
    }

    // ---- the step's own param block ----

    @Test
    void a_script_that_declares_its_own_param_block_is_reported_at_that_line() {
        assertThat(errors("""
                name: demo
                steps:
                  - id: a
                    powershell: |
                      <# Reads the build
                         of this server #>
                      # requires elevation
                      [CmdletBinding()]
                        Param (
                        [string]$share
                      )
                      Get-ChildItem $share
                """)).containsExactly(error(9, 9, "'powershell' in step 'a' declares its own param(...) block;"
                + " declare parameters under 'params' instead, and Antidote generates the param block from them"));
    }

    @Test
    void a_param_block_in_a_quoted_script_is_reported_at_the_script() {
        assertThat(errors("""
                name: demo
                steps:
                  - id: a
                    powershell: "param($x) $x"
                """)).containsExactly(error(4, 17, "'powershell' in step 'a' declares its own param(...) block;"
                + " declare parameters under 'params' instead, and Antidote generates the param block from them"));
    }

    @Test
    void a_script_that_starts_with_a_using_statement_is_reported() {
        assertThat(errors("""
                name: demo
                steps:
                  - id: a
                    powershell: |
                      using namespace System.Net
                      [Dns]::GetHostName()
                """)).containsExactly(error(5, 7, "'powershell' in step 'a' starts with a 'using' statement, which"
                + " PowerShell accepts only before the param block that Antidote puts first; use full type names instead"));
    }

    @Test
    void param_blocks_of_functions_and_words_starting_with_param_are_allowed() {
        ParseResult result = PlaybookParser.parse(FILE, """
                name: demo
                steps:
                  - id: a
                    powershell: |
                      [pscustomobject]@{ a = 1 } | Out-Null
                      function Get-Thing {
                        param([string]$name)
                        $name
                      }
                  - id: b
                    powershell: |
                      $parameters = @{ Name = 'x' }
                      param-check
                """);

        assertThat(result).isInstanceOf(ParseResult.Valid.class);
    }

    @Test
    void a_script_with_an_escaped_control_character_is_reported() {
        assertThat(errors("""
                name: demo
                steps:
                  - id: a
                    powershell: "Write-Output \\"bell\\a\\""
                """)).containsExactly(error(4, 17, "'powershell' in step 'a' contains the control character U+0007,"
                + " which cannot be sent to a host; build it in the script, e.g. [char]0x7"));
    }

    // ---- all errors, not only the first ----

    @Test
    void every_error_of_a_file_is_reported_in_file_order() {
        assertThat(errors("""
                name: Demo
                version: two
                params:
                  share: { type: strin }
                steps:
                  - id: a
                    powershell: Get-Date
                    timeout: soon
                  - id: a
                    powershell: Get-Date
                    expect: { exitCode: 0, stdot: ok }
                """)).extracting(PlaybookError::line, PlaybookError::column).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, 7),
                org.assertj.core.groups.Tuple.tuple(2, 10),
                org.assertj.core.groups.Tuple.tuple(4, 18),
                org.assertj.core.groups.Tuple.tuple(8, 14),
                org.assertj.core.groups.Tuple.tuple(9, 9),
                org.assertj.core.groups.Tuple.tuple(11, 28));
    }
}
