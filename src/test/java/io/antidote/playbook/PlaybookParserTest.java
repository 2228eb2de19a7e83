package io.antidote.playbook;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** Every feature of the format, read from YAML into the model the engine runs. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PlaybookParserTest {

    static Playbook valid(String yaml) {
        ParseResult result = PlaybookParser.parse("test.yaml", yaml);
        assertThat(result).as("parse of:%n%s", yaml).isInstanceOf(ParseResult.Valid.class);
        return ((ParseResult.Valid) result).playbook();
    }

    @Test
    void every_parameter_type_is_read_with_its_default_required_flag_values_and_pattern() {
        Playbook playbook = valid("""
                name: all-params
                params:
                  share: { type: string, description: Where, default: 'C:\\P', pattern: '[A-Z]:\\\\.*' }
                  batch: { type: integer, default: -3 }
                  reboot: { type: boolean, default: false }
                  mode: { type: enum, values: [audit, enforce] }
                  password: { type: secret, pattern: '.{8,}' }
                  note: { type: string, required: false }
                  count: { type: integer, required: true }
                steps: [{id: a, powershell: Get-Date}]
                """);

        assertThat(playbook.params()).containsExactly(
                new Param("share", ParamType.STRING, "Where", "C:\\P", false, List.of(), "[A-Z]:\\\\.*"),
                new Param("batch", ParamType.INTEGER, "", -3L, false, List.of(), null),
                new Param("reboot", ParamType.BOOLEAN, "", false, false, List.of(), null),
                new Param("mode", ParamType.ENUM, "", null, true, List.of("audit", "enforce"), null),
                new Param("password", ParamType.SECRET, "", null, true, List.of(), ".{8,}"),
                new Param("note", ParamType.STRING, "", null, false, List.of(), null),
                new Param("count", ParamType.INTEGER, "", null, true, List.of(), null));
    }

    @Test
    void a_step_without_timeout_or_expect_gets_ten_minutes_and_exit_code_zero() {
        Step step = valid("name: x\nsteps: [{id: a, powershell: Get-Date}]\n").step("a").orElseThrow();

        assertThat(step.timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(step.expect()).isEqualTo(Expectation.SUCCESS);
        assertThat(step.description()).isEmpty();
        assertThat(step.powershell()).isEqualTo("Get-Date");
    }

    @Test
    void timeouts_in_seconds_minutes_and_hours_are_read() {
        Playbook playbook = valid("""
                name: x
                steps:
                  - {id: a, powershell: Get-Date, timeout: 30s}
                  - {id: b, powershell: Get-Date, timeout: 2m}
                  - {id: c, powershell: Get-Date, timeout: 1h}
                  - {id: d, powershell: Get-Date, timeout: 24h}
                """);

        assertThat(playbook.steps()).extracting(Step::timeout).containsExactly(Duration.ofSeconds(30),
                Duration.ofMinutes(2), Duration.ofHours(1), Duration.ofHours(24));
    }

    @Test
    void an_expectation_reads_exit_code_stdout_pattern_and_every_json_check() {
        Expectation expect = valid("""
                name: x
                steps:
                  - id: scan
                    powershell: Get-Date
                    expect:
                      exitCode: 3010
                      stdout: 'scan (complete|skipped)'
                      json:
                        build: { proxylogonPatched: false }
                        webshells: { empty: true }
                        dumps: { empty: false }
                        server: { equals: EX01 }
                        count: { equals: 0 }
                        elevated: { equals: true }
                        error: { equals: null }
                        date: { equals: 2021-03-02 }
                """).step("scan").orElseThrow().expect();

        assertThat(expect.exitCode()).isEqualTo(3010);
        assertThat(expect.stdoutPattern()).isEqualTo("scan (complete|skipped)");
        assertThat(expect.json()).containsExactly(
                Map.entry("build", new JsonCheck.ProxyLogonPatched(false)),
                Map.entry("webshells", new JsonCheck.Empty(true)),
                Map.entry("dumps", new JsonCheck.Empty(false)),
                Map.entry("server", new JsonCheck.Equals("EX01")),
                Map.entry("count", new JsonCheck.Equals(0L)),
                Map.entry("elevated", new JsonCheck.Equals(true)),
                Map.entry("error", new JsonCheck.Equals(null)),
                Map.entry("date", new JsonCheck.Equals("2021-03-02")));
    }

    @Test
    void references_keep_their_order_and_links_are_read() {
        Playbook playbook = valid("""
                name: x
                references:
                  links: [https://msrc.microsoft.com/update-guide/vulnerability/CVE-2021-26855]
                  kbs: [KB5000871, KB5001779]
                steps: [{id: a, powershell: Get-Date}]
                """);

        assertThat(playbook.references()).containsExactly(
                Map.entry("links", List.of("https://msrc.microsoft.com/update-guide/vulnerability/CVE-2021-26855")),
                Map.entry("kbs", List.of("KB5000871", "KB5001779")));
        assertThat(playbook.version()).isEqualTo(1);
        assertThat(playbook.description()).isEmpty();
    }

    @Test
    void a_script_may_use_attributes_and_comments_that_are_not_a_param_block() {
        Playbook playbook = valid("""
                name: x
                steps:
                  - id: a
                    powershell: |
                      #Requires -RunAsAdministrator
                      <# param($notReally) #>
                      [Net.ServicePointManager]::SecurityProtocol = 'Tls12'
                """);

        assertThat(playbook.steps()).hasSize(1);
    }

    @Test
    void mangled_versions_of_the_real_playbook_never_make_the_parser_throw() throws Exception {
        String source = Files.readString(ProxyLogonPlaybookTest.FILE);
        Random random = new Random(20210302);
        String noise = ":-[]{}&*!|>'\"#%@`,?\t\n\u0000\u2028 \uFEFFxyz0";

        for (int i = 0; i < 400; i++) {
            StringBuilder mangled = new StringBuilder(source);
            for (int edits = 1 + random.nextInt(4); edits > 0; edits--) {
                int at = random.nextInt(mangled.length());
                if (random.nextBoolean()) {
                    mangled.deleteCharAt(at);
                } else {
                    mangled.insert(at, noise.charAt(random.nextInt(noise.length())));
                }
            }
            String text = mangled.toString();
            assertThatCode(() -> {
                ParseResult result = PlaybookParser.parse("mangled.yaml", text);
                if (result instanceof ParseResult.Invalid invalid) {
                    assertThat(invalid.errors()).isNotEmpty().allSatisfy(error -> {
                        assertThat(error.line()).isPositive();
                        assertThat(error.column()).isPositive();
                    });
                }
            }).as("parse of mangled version %d", i).doesNotThrowAnyException();
        }
    }
}
