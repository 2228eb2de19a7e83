package io.antidote.playbook;

import static io.antidote.playbook.StepLibraryParserTest.library;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The playbook language of patch sources and pins: a {@code source} parameter reaches a script only as a configured
 * folder, never as text a playbook or a request wrote, and {@code packagePins} is the only way to the pins.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SourceParamsTest {

    private static final PatchSources SOURCES = PatchSources.of(Map.of("local", "C:\\Patches"));

    private static final String INSTALL = """
            inputs:
              share:
                type: source
            powershell: Write-Output $share
            """;

    private static final String PLAYBOOK = """
            name: sources
            params:
              share:
                type: source
                default: local
            steps:
              - id: install
                uses: install
                with:
                  share: { param: share }
                packagePins: true
            """;

    private static ParseResult parse(String playbook, String library) {
        return PlaybookParser.parse("pb.yaml", playbook, library("install", library));
    }

    private static String errors(ParseResult result) {
        assertThat(result).as("%s", result).isInstanceOf(ParseResult.Invalid.class);
        return ((ParseResult.Invalid) result).errors().toString();
    }

    @Test
    void a_source_parameter_sets_a_source_input_and_the_script_gets_the_folder_and_the_pins() {
        ParseResult result = parse(PLAYBOOK, INSTALL);
        assertThat(result).as("%s", result).isInstanceOf(ParseResult.Valid.class);
        Playbook playbook = ((ParseResult.Valid) result).playbook();
        Map<String, Object> resolved = ParamResolver.resolve(playbook, Map.of("share", "local\\OutOfBand"), SOURCES);

        assertThat(resolved).containsEntry("share", "C:\\Patches\\OutOfBand");
        String script = ScriptRenderer.render(playbook.step("install").orElseThrow(), resolved, playbook.params());
        assertThat(script).contains("[string]$share = 'C:\\Patches\\OutOfBand',\n  [hashtable]$antidote_package_pins = @{ ")
                .contains("'KB5000871 2019 CU8' = '" + PackagePins.byKey().get("KB5000871 2019 CU8") + "'");
        assertThat(ParamResolver.resolve(playbook, Map.of(), SOURCES)).as("the default, resolved")
                .containsEntry("share", "C:\\Patches");
    }

    @Test
    void a_source_input_takes_neither_a_literal_nor_a_default_nor_a_string_parameter() {
        assertThat(errors(parse(PLAYBOOK.replace("share: { param: share }", "share: '\\\\evil\\x'"), INSTALL)))
                .contains("input 'share' in step 'install' is a patch source: set it from a source parameter");
        assertThat(errors(parse(PLAYBOOK, INSTALL.replace("type: source", "type: source\n    default: local"))))
                .contains("input 'share' is a patch source: it takes no default");
        assertThat(errors(parse(PLAYBOOK.replace("type: source\n    default: local", "type: string\n    default: x"),
                INSTALL))).contains("parameter 'share' is string but input 'share' takes source");
    }

    @Test
    void a_source_parameter_may_set_a_string_input_and_antidote_variables_are_not_parameter_names() {
        assertThat(parse(PLAYBOOK, INSTALL.replace("type: source", "type: string")))
                .isInstanceOf(ParseResult.Valid.class);
        assertThat(errors(parse(PLAYBOOK.replace("  share:\n    type: source\n    default: local",
                "  share:\n    type: source\n    default: local\n  antidote_package_pins:\n    type: string\n    default: x"),
                INSTALL))).contains("starts with 'antidote_'");
    }

    @Test
    void a_default_that_names_no_configured_source_is_refused_naming_the_parameter() {
        Playbook playbook = ((ParseResult.Valid) parse(PLAYBOOK, INSTALL)).playbook();
        InvalidParamsException refused = catchThrowableOfType(InvalidParamsException.class,
                () -> ParamResolver.resolve(playbook, Map.of(), PatchSources.NONE));
        assertThat(refused.errors()).extracting(ParamError::param).isEqualTo(List.of("share"));
        assertThat(refused.errors().get(0).message()).startsWith("the default value: updates are installed only from");
    }
}
