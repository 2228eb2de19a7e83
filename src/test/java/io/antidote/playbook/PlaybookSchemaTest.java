package io.antidote.playbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The served JSON Schema and the parser must agree on which playbooks are valid: every playbook in
 * {@code playbooks/}, and samples of each kind of mistake the schema can express. (Checks a schema
 * cannot express — unique step ids, regexes that compile, defaults matching patterns — are the
 * parser's alone and are not sampled here.)
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PlaybookSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchema SCHEMA = schema();

    private static JsonSchema schema() {
        try (InputStream in = PlaybookSchemaTest.class.getResourceAsStream("/playbook.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(JSON.readTree(in));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<ValidationMessage> schemaErrors(String yaml) {
        return SCHEMA.validate(tree(yaml));
    }

    private static JsonNode tree(String yaml) {
        return JSON.valueToTree(new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml));
    }

    /** The library the samples' {@code uses:} refer to. */
    private static final StepLibrary LIBRARY = StepLibrary.read(java.util.Map.of("say-word", new String[] {
            "steps/say-word.yaml", "inputs:\n  word: { type: string }\n  count: { type: integer, default: 1 }\n"
            + "powershell: Write-Output $word\n"}));

    private static final String USES = """
            name: uses
            params:
              text: { type: string }
            targets:
              names: [ex01]
              labels: { role: mailbox, site: ams }
            steps:
              - id: say
                uses: say-word
                with: { word: { param: text }, count: 2 }
                timeout: 1m
            """;

    private static final String BASE = """
            name: sample
            description: A sample.
            version: 2
            references:
              cves: [CVE-2021-26855]
              kbs: [KB5000871]
            params:
              share:
                type: string
                default: 'C:\\\\Patches'
                pattern: '[A-Z]:.*'
              mode:
                type: enum
                values: [audit, enforce]
                default: audit
              count:
                type: integer
                default: 3
              token:
                type: secret
                required: false
            steps:
              - id: read
                description: Read the build.
                timeout: 5m
                powershell: |
                  [pscustomobject]@{ build = '15.1.2176.9' } | ConvertTo-Json -Compress
                expect:
                  exitCode: 0
                  stdout: 'build'
                  json:
                    build: { proxylogonPatched: true }
                    other: { versionAtLeast: '15.1' }
                    none: { equals: null }
                outputs: { build: build }
              - id: act
                powershell: Get-Date
                when: { step: read, output: build, notEquals: '15.1.2176.9' }
              - id: full
                powershell: Get-Date
                when: { param: mode, equals: enforce }
            """;

    static Stream<Arguments> samples() {
        return Stream.of(
                Arguments.of("the full sample", BASE, true),
                Arguments.of("the smallest playbook", "name: x\nsteps:\n  - id: a\n    powershell: Get-Date\n", true),
                Arguments.of("an unknown top-level key", BASE + "extra: 1\n", false),
                Arguments.of("an unknown step key", BASE.replace("    timeout: 5m", "    timout: 5m"), false),
                Arguments.of("a missing name", BASE.replace("name: sample\n", ""), false),
                Arguments.of("missing steps", "name: x\n", false),
                Arguments.of("an empty step list", "name: x\nsteps: []\n", false),
                Arguments.of("an upper-case name", BASE.replace("name: sample", "name: Sample"), false),
                Arguments.of("a step id with a space", BASE.replace("id: read", "id: 'read it'"), false),
                Arguments.of("a step without powershell", "name: x\nsteps:\n  - id: a\n", false),
                Arguments.of("a blank script", "name: x\nsteps:\n  - id: a\n    powershell: '   '\n", false),
                Arguments.of("a timeout that is not a duration", BASE.replace("timeout: 5m", "timeout: 5 minutes"), false),
                Arguments.of("a version of zero", BASE.replace("version: 2", "version: 0"), false),
                Arguments.of("a version that is text", BASE.replace("version: 2", "version: two"), false),
                Arguments.of("a bad CVE id", BASE.replace("CVE-2021-26855", "CVE-21-1"), false),
                Arguments.of("an unknown parameter type", BASE.replace("type: integer", "type: int"), false),
                Arguments.of("a parameter without a type", BASE.replace("    type: integer\n", ""), false),
                Arguments.of("an enum without values", BASE.replace("    values: [audit, enforce]\n", ""), false),
                Arguments.of("values on a string", BASE.replace("    pattern: '[A-Z]:.*'", "    values: [a]"), false),
                Arguments.of("a pattern on an integer", BASE.replace("    default: 3", "    pattern: '[0-9]+'"), false),
                Arguments.of("a secret with a default", BASE.replace("    required: false", "    default: hunter2"), false),
                Arguments.of("an integer default that is text", BASE.replace("default: 3", "default: three"), false),
                Arguments.of("required with a default", BASE.replace("    default: 3", "    default: 3\n    required: true"),
                        false),
                Arguments.of("a parameter name with a dash", BASE.replace("  count:", "  the-count:"), false),
                Arguments.of("an unknown expect key", BASE.replace("exitCode: 0", "exitcode: 0"), false),
                Arguments.of("an exit code that is text", BASE.replace("exitCode: 0", "exitCode: zero"), false),
                Arguments.of("a JSON check with two checks", BASE.replace("{ proxylogonPatched: true }",
                        "{ proxylogonPatched: true, empty: false }"), false),
                Arguments.of("a JSON check with none", BASE.replace("{ proxylogonPatched: true }", "{}"), false),
                Arguments.of("an unknown JSON check", BASE.replace("{ proxylogonPatched: true }", "{ patched: true }"), false),
                Arguments.of("a malformed version check", BASE.replace("versionAtLeast: '15.1'", "versionAtLeast: 'x.y'"),
                        false),
                Arguments.of("steps as a mapping", "name: x\nsteps:\n  a: Get-Date\n", false),
                Arguments.of("a condition with param and step", BASE.replace("{ param: mode, equals: enforce }",
                        "{ param: mode, step: read, output: build, equals: enforce }"), false),
                Arguments.of("a condition without a comparison", BASE.replace("{ param: mode, equals: enforce }",
                        "{ param: mode }"), false),
                Arguments.of("a condition with both comparisons", BASE.replace("{ param: mode, equals: enforce }",
                        "{ param: mode, equals: a, notEquals: b }"), false),
                Arguments.of("a condition as an expression string", BASE.replace("{ param: mode, equals: enforce }",
                        "\"params.mode == 'enforce'\""), false),
                Arguments.of("an output name with a dash", BASE.replace("outputs: { build: build }",
                        "outputs: { the-build: build }"), false),
                Arguments.of("a library step with inputs and default targets", USES, true),
                Arguments.of("a library step without inputs", USES.replace("    with: { word: { param: text }, count: 2 }\n",
                        "").replace("say-word", "say-word\n    with: { word: hi }"), true),
                Arguments.of("uses with powershell", USES.replace("    timeout: 1m", "    powershell: Get-Date"), false),
                Arguments.of("uses with expect", USES.replace("    timeout: 1m", "    expect: { exitCode: 0 }"), false),
                Arguments.of("with without uses", "name: x\nsteps:\n  - id: a\n    powershell: Get-Date\n"
                        + "    with: { a: 1 }\n", false),
                Arguments.of("an input set to a list", USES.replace("count: 2", "count: [2]"), false),
                Arguments.of("an input set to a mapping without param", USES.replace("{ param: text }", "{ parm: text }"),
                        false),
                Arguments.of("a library step name in capitals", USES.replace("uses: say-word", "uses: Say-Word"), false),
                Arguments.of("default targets that select nothing", USES.replace("""
                          names: [ex01]
                          labels: { role: mailbox, site: ams }
                        """, "  names: []\n"), false),
                Arguments.of("an unknown key in targets", USES.replace("names: [ex01]", "hosts: [ex01]"), false),
                Arguments.of("an empty label value", USES.replace("site: ams", "site: ''"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void the_schema_and_the_parser_agree(String description, String yaml, boolean valid) {
        ParseResult parsed = PlaybookParser.parse("sample.yaml", yaml, LIBRARY);
        Set<ValidationMessage> schemaErrors = schemaErrors(yaml);

        assertThat(parsed instanceof ParseResult.Valid).as("the parser finds %s valid: %s", description, parsed)
                .isEqualTo(valid);
        assertThat(schemaErrors.isEmpty()).as("the schema finds %s valid: %s", description, schemaErrors)
                .isEqualTo(valid);
    }

    @Test
    void every_playbook_in_the_playbooks_directory_is_valid_for_the_schema_and_the_parser() throws Exception {
        List<Path> files;
        try (Stream<Path> paths = Files.walk(Path.of("playbooks"))) {
            files = paths.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).toList();
        }
        Path libraryDir = Path.of("playbooks", PlaybookCatalog.LIBRARY_DIR);
        java.util.Map<String, String[]> libraryFiles = new java.util.TreeMap<>();
        for (Path file : files.stream().filter(f -> f.startsWith(libraryDir)).toList()) {
            String yaml = Files.readString(file);
            String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            libraryFiles.put(name, new String[] {file.toString(), yaml});
            assertThat(LIBRARY_SCHEMA.validate(tree(yaml))).as("schema errors in library step %s", file).isEmpty();
        }
        StepLibrary library = StepLibrary.read(libraryFiles);
        assertThat(library.invalid()).as("library steps with errors").isEmpty();
        // Alert rules sit beside the playbooks but are no playbooks: AlertRuleParserTest and LintRulesTest read them.
        Path rulesDir = Path.of("playbooks", PlaybookCatalog.RULES_DIR);
        List<Path> playbooks = files.stream().filter(f -> !f.startsWith(libraryDir) && !f.startsWith(rulesDir)).toList();
        assertThat(playbooks).isNotEmpty();
        for (Path file : playbooks) {
            String yaml = Files.readString(file);
            assertThat(PlaybookParser.parse(file.toString(), yaml, library)).as("parser on %s", file)
                    .isInstanceOf(ParseResult.Valid.class);
            assertThat(schemaErrors(yaml)).as("schema errors in %s", file).isEmpty();
        }
    }

    private static final JsonSchema LIBRARY_SCHEMA = librarySchema();

    private static JsonSchema librarySchema() {
        try (InputStream in = PlaybookSchemaTest.class.getResourceAsStream("/playbook.schema.json")) {
            com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(in);
            // The same document, validating from its libraryStep definition.
            root.remove(List.of("required", "additionalProperties", "properties"));
            root.put("$ref", "#/$defs/libraryStep");
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> librarySamples() {
        String step = "description: d\ninputs:\n  word: { type: string }\npowershell: Write-Output $word\ntimeout: 1m\n";
        return Stream.of(
                Arguments.of("a library step", step, true),
                Arguments.of("only a script", "powershell: Get-Date\n", true),
                Arguments.of("no script", "description: d\n", false),
                Arguments.of("a playbook key", step + "name: x\n", false),
                Arguments.of("an input without a type", step.replace("{ type: string }", "{ description: w }"), false),
                Arguments.of("a bad timeout", step.replace("1m", "one minute"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("librarySamples")
    void the_schema_and_the_parser_agree_on_library_steps(String description, String yaml, boolean valid) {
        StepLibrary.LibraryStepParse parsed = PlaybookParser.parseLibraryStep("steps/x.yaml", "x", yaml);

        assertThat(parsed.step() != null).as("the parser finds %s valid: %s", description, parsed).isEqualTo(valid);
        assertThat(LIBRARY_SCHEMA.validate(tree(yaml)).isEmpty()).as("the schema finds %s valid", description)
                .isEqualTo(valid);
    }
}
