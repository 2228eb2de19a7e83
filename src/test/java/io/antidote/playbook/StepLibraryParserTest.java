package io.antidote.playbook;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Library steps ({@code uses:}/{@code with:}): errors name the file, line and column in the playbook and in
 * the library file; inputs reach the script as data; a playbook's digest covers the library steps it uses.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StepLibraryParserTest {

    static final String SERVICES = """
            description: Checks that services run.
            inputs:
              services:
                type: string
                description: comma-separated service names
              minimum:
                type: integer
                default: 1
              mode:
                type: enum
                values: [audit, enforce]
                default: audit
              token:
                type: secret
                required: false
            timeout: 2m
            retry:
              attempts: 3
              retryOn: [connection]
            idempotent: true
            powershell: |
              $names = $services -split ','
              [pscustomobject]@{ count = $names.Count; mode = $mode } | ConvertTo-Json -Compress
            expect:
              exitCode: 0
              json:
                mode: { equals: audit }
            """;

    static final String OTHER = """
            powershell: Get-Date
            """;

    static StepLibrary library(String... nameAndText) {
        Map<String, String[]> files = new TreeMap<>();
        for (int i = 0; i < nameAndText.length; i += 2) {
            files.put(nameAndText[i], new String[] {"steps/" + nameAndText[i] + ".yaml", nameAndText[i + 1]});
        }
        return StepLibrary.read(files);
    }

    static final String PLAYBOOK = """
            name: uses-library
            params:
              list:
                type: string
            steps:
              - id: check
                uses: services-running
                with:
                  services: { param: list }
                  minimum: 2
              - id: own
                powershell: Get-Date
            """;

    private static Playbook valid(String source, StepLibrary library) {
        ParseResult result = PlaybookParser.parse("pb.yaml", source, library);
        assertThat(result).as("%s", result).isInstanceOf(ParseResult.Valid.class);
        return ((ParseResult.Valid) result).playbook();
    }

    private static List<PlaybookError> errors(String source, StepLibrary library) {
        ParseResult result = PlaybookParser.parse("pb.yaml", source, library);
        assertThat(result).as("%s", result).isInstanceOf(ParseResult.Invalid.class);
        return ((ParseResult.Invalid) result).errors();
    }

    @Test
    void a_step_using_a_library_step_takes_its_script_expectation_and_defaults() {
        Playbook playbook = valid(PLAYBOOK, library("services-running", SERVICES));

        Step check = playbook.step("check").orElseThrow();
        assertThat(check.powershell()).startsWith("$names = $services -split ','");
        assertThat(check.timeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(check.policy().retry().attempts()).isEqualTo(3);
        assertThat(check.policy().idempotent()).isTrue();
        assertThat(check.expect().json()).containsKey("mode");
        assertThat(check.uses().step().name()).isEqualTo("services-running");
        assertThat(playbook.library()).containsOnlyKeys("services-running");
    }

    @Test
    void the_using_step_overrides_timeout_retry_and_idempotence() {
        String source = PLAYBOOK.replace("      minimum: 2\n", """
                      minimum: 2
                    timeout: 30s
                    idempotent: false
                    retry:
                      attempts: 5
                      exitCodes: [3]
                """);
        Step check = valid(source, library("services-running", SERVICES)).step("check").orElseThrow();

        assertThat(check.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(check.policy().retry().attempts()).isEqualTo(5);
        assertThat(check.policy().retry().exitCodes()).containsExactly(3);
        assertThat(check.policy().idempotent()).isFalse();
    }

    @Test
    void inputs_reach_the_script_as_literals_in_the_param_block_and_the_playbook_parameters_do_not() {
        Playbook playbook = valid(PLAYBOOK, library("services-running", SERVICES));
        String hostile = "x'; Stop-Service W3SVC; '\u2019$(y)";

        String script = ScriptRenderer.render(playbook.step("check").orElseThrow(), Map.of("list", hostile),
                playbook.params());

        PowerShellParamReader.Parsed parsed = PowerShellParamReader.read(script);
        assertThat(parsed.params()).containsOnlyKeys("services", "minimum", "mode", "token");
        assertThat(parsed.params().get("token")).as("an optional input nobody set is $null")
                .isEqualTo(new PowerShellParamReader.Declaration(null, null));
        assertThat(parsed.params().get("services")).isEqualTo(new PowerShellParamReader.Declaration("string", hostile));
        assertThat(parsed.params().get("minimum")).isEqualTo(new PowerShellParamReader.Declaration("int", 2L));
        assertThat(parsed.params().get("mode")).isEqualTo(new PowerShellParamReader.Declaration("string", "audit"));
        assertThat(parsed.script()).isEqualTo(playbook.step("check").orElseThrow().powershell());
    }

    @Test
    void a_secret_parameter_sets_a_secret_input_and_is_redacted_in_dry_runs() {
        String source = PLAYBOOK.replace("""
                  list:
                    type: string
                """, """
                  list:
                    type: string
                  key:
                    type: secret
                """).replace("      minimum: 2\n", "      minimum: 2\n      token: { param: key }\n");
        Playbook playbook = valid(source, library("services-running", SERVICES));
        Step check = playbook.step("check").orElseThrow();

        String shown = ScriptRenderer.renderRedacted(check, Map.of("list", "a", "key", "hunter2"), playbook.params());
        String sent = ScriptRenderer.render(check, Map.of("list", "a", "key", "hunter2"), playbook.params());

        assertThat(shown).doesNotContain("hunter2").contains("[string]$token = '***'");
        assertThat(sent).doesNotContain("hunter2").isEqualTo(shown);
        assertThat(ScriptRenderer.secretInput(check, Map.of("list", "a", "key", "hunter2"), playbook.params()))
                .as("the input the library step's script reads its secret input from").isEqualTo("aHVudGVyMg==\r\n");
    }

    @Test
    void an_unknown_library_step_is_named_at_its_uses_line() {
        assertThat(errors(PLAYBOOK, library("other", OTHER))).containsExactly(new PlaybookError("pb.yaml", 7, 11,
                "unknown library step 'services-running' in step 'check'; the step library (playbooks/steps/) has: other"));
    }

    @Test
    void unknown_missing_and_mistyped_inputs_are_reported_where_they_are_written() {
        String source = """
                name: uses-library
                params:
                  flag:
                    type: boolean
                    default: true
                  key:
                    type: secret
                steps:
                  - id: check
                    uses: services-running
                    with:
                      minimum: two
                      mode: delete
                      colour: red
                      token: hunter2
                  - id: again
                    uses: services-running
                    with:
                      services: { param: flag }
                  - id: leak
                    uses: services-running
                    with:
                      services: { param: key }
                  - id: ghost
                    uses: services-running
                    with:
                      services: { param: nope }
                """;

        assertThat(errors(source, library("services-running", SERVICES))).containsExactly(
                new PlaybookError("pb.yaml", 10, 11, "missing required input 'services' of library step"
                        + " 'services-running' in step 'check'; set it under 'with'"),
                new PlaybookError("pb.yaml", 12, 16, "input 'minimum' in step 'check' must be an integer, found 'two'"),
                new PlaybookError("pb.yaml", 13, 13, "input 'mode' in step 'check' is 'delete', which is not one of its"
                        + " values: audit, enforce"),
                new PlaybookError("pb.yaml", 14, 7, "unknown input 'colour' in 'with' in step 'check'; library step"
                        + " 'services-running' takes: services, minimum, mode, token"),
                new PlaybookError("pb.yaml", 15, 14, "input 'token' in step 'check' is a secret: set it from a secret"
                        + " parameter, {param: <name>}; secrets are never written in a playbook"),
                new PlaybookError("pb.yaml", 19, 26, "parameter 'flag' is boolean but input 'services' takes string"
                        + " (input 'services' in step 'again', library step 'services-running')"),
                new PlaybookError("pb.yaml", 23, 26, "parameter 'key' is a secret and input 'services' is not, so"
                        + " dry-runs would show its value; declare the input as secret (input 'services' in step 'leak',"
                        + " library step 'services-running')"),
                new PlaybookError("pb.yaml", 27, 26, "unknown parameter 'nope' in input 'services' in step 'ghost';"
                        + " declared: flag, key"));
    }

    @Test
    void a_required_input_cannot_hang_on_an_optional_parameter_without_a_default() {
        String source = PLAYBOOK.replace("""
                  list:
                    type: string
                """, """
                  list:
                    type: string
                    required: false
                """);

        assertThat(errors(source, library("services-running", SERVICES))).containsExactly(new PlaybookError("pb.yaml",
                10, 26, "input 'services' of library step 'services-running' is required, but parameter 'list' is"
                + " optional and has no default (input 'services' in step 'check')"));
    }

    @Test
    void uses_with_powershell_or_expect_and_with_without_uses_are_refused() {
        String source = """
                name: mixed
                steps:
                  - id: both
                    uses: other
                    powershell: Get-Date
                    expect: { exitCode: 0 }
                  - id: loose
                    powershell: Get-Date
                    with: { a: 1 }
                """;

        assertThat(errors(source, library("other", OTHER))).containsExactly(
                new PlaybookError("pb.yaml", 5, 5, "'powershell' in step 'both' cannot go with 'uses': a step runs its"
                        + " own script or a library step's, not both"),
                new PlaybookError("pb.yaml", 6, 5, "'expect' in step 'both' cannot go with 'uses': what a good outcome"
                        + " looks like is part of the library step"),
                new PlaybookError("pb.yaml", 9, 5, "'with' in step 'loose' sets the inputs of a library step, so it"
                        + " needs 'uses'"));
    }

    @Test
    void a_library_file_with_errors_is_reported_in_its_own_file_and_at_the_uses_line_of_each_playbook() {
        String broken = """
                inputs:
                  services:
                    type: text
                powershell: Get-Service
                timout: 5m
                """;
        StepLibrary library = library("services-running", broken);

        assertThat(library.invalid().get("services-running").errors()).containsExactly(
                new PlaybookError("steps/services-running.yaml", 3, 11, "'type' in parameter 'services' must be one of:"
                        + " string, integer, boolean, enum, secret, source, found 'text'"),
                new PlaybookError("steps/services-running.yaml", 5, 1, "unknown key 'timout' in library step"
                        + " 'services-running'; expected one of: description, inputs, powershell, timeout, retry, expect,"
                        + " idempotent, readOnly"));
        assertThat(errors(PLAYBOOK, library)).containsExactly(
                new PlaybookError("pb.yaml", 7, 11, "library step 'services-running' in step 'check' has errors in"
                        + " steps/services-running.yaml (listed below); this playbook cannot load until they are fixed"),
                library.invalid().get("services-running").errors().get(0),
                library.invalid().get("services-running").errors().get(1));
    }

    @Test
    void a_library_step_may_not_declare_its_own_param_block_nor_miss_its_script() {
        assertThat(PlaybookParser.parseLibraryStep("steps/x.yaml", "x", "description: nothing\n").invalid().errors())
                .containsExactly(new PlaybookError("steps/x.yaml", 1, 1, "missing required key 'powershell' in library"
                        + " step 'x'"));
        assertThat(PlaybookParser.parseLibraryStep("steps/x.yaml", "x", "powershell: |\n  param($a)\n  $a\n")
                .invalid().errors()).singleElement().satisfies(e -> assertThat(e.line()).isEqualTo(2));
        assertThat(PlaybookParser.parseLibraryStep("steps/X.yaml", "X", "powershell: Get-Date\n").invalid().errors())
                .singleElement().satisfies(e -> assertThat(e.message()).contains("file name 'X'"));
    }

    @Test
    void the_digest_covers_the_library_steps_used_and_only_those() {
        Playbook first = valid(PLAYBOOK, library("services-running", SERVICES, "other", OTHER));
        Playbook unusedEdited = valid(PLAYBOOK, library("services-running", SERVICES, "other", OTHER + "# edited\n"));
        Playbook usedEdited = valid(PLAYBOOK, library("services-running", SERVICES + "# edited\n", "other", OTHER));
        Playbook plain = valid("name: plain\nsteps:\n  - id: a\n    powershell: Get-Date\n", library("other", OTHER));

        assertThat(unusedEdited.digest()).isEqualTo(first.digest());
        assertThat(usedEdited.digest()).isNotEqualTo(first.digest());
        assertThat(first.digest()).isNotEqualTo(PlaybookParser.sha256(PLAYBOOK));
        assertThat(first.digest()).isEqualTo(PlaybookParser.sha256(first.versionText()));
        assertThat(plain.digest()).as("a playbook using no library step keeps the digest of its text")
                .isEqualTo(PlaybookParser.sha256(plain.source())).isEqualTo(PlaybookParser.sha256(plain.versionText()));
    }

    @Test
    void the_stored_version_text_alone_parses_back_to_the_same_playbook() {
        Playbook original = valid(PLAYBOOK, library("services-running", SERVICES));

        ParseResult again = PlaybookBundle.parse("uses-library@x", original.versionText());

        assertThat(again).isInstanceOf(ParseResult.Valid.class);
        Playbook restored = ((ParseResult.Valid) again).playbook();
        assertThat(restored.digest()).isEqualTo(original.digest());
        assertThat(restored.step("check").orElseThrow().powershell())
                .isEqualTo(original.step("check").orElseThrow().powershell());
        assertThat(PlaybookBundle.decode(original.versionText()).orElseThrow().steps())
                .containsExactly(Map.entry("services-running", SERVICES));
        assertThat(PlaybookBundle.decode(PLAYBOOK)).isEmpty();
    }

    @Test
    void default_targets_are_read_with_names_and_labels() {
        Playbook playbook = valid(PLAYBOOK + "targets:\n  names: [ex01]\n  labels: { role: mailbox, site: ams }\n",
                library("services-running", SERVICES));

        assertThat(playbook.targets().names()).containsExactly("ex01");
        assertThat(playbook.targets().labels()).containsExactly(Map.entry("role", "mailbox"), Map.entry("site", "ams"));
        assertThat(errors(PLAYBOOK + "targets: { labels: { role: '' }, names: ['a b'] }\n",
                library("services-running", SERVICES))).extracting(PlaybookError::message).containsExactly(
                "the value of label 'role' in targets must not be empty",
                "each of 'names' in targets must be a target name (letters, digits, dots and dashes), found 'a b'");
    }
}
