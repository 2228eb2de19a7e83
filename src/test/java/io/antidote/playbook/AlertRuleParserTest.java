package io.antidote.playbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert rules are read as playbooks are (issue 15 point 2): every problem of a file at once, each at its line and
 * column, and the shipped rule says what the issue asks of it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AlertRuleParserTest {

    @Test
    void the_shipped_rule_sends_webshell_and_proxylogon_alerts_to_the_remediation_with_approval_first() {
        AlertRuleFiles.Loaded loaded = AlertRuleFiles.read(List.of(Path.of("playbooks", PlaybookCatalog.RULES_DIR)));
        assertThat(loaded.invalid()).as("shipped rule files with errors").isEmpty();
        AlertRule rule = loaded.rules().stream().filter(r -> r.name().equals("proxylogon-webshell")).findFirst()
                .orElseThrow();
        assertThat(rule.playbook()).isEqualTo("proxylogon-remediation");
        assertThat(rule.approvalRequired()).as("a person approves before the first step").isTrue();
        assertThat(rule.dedupWindow()).isEqualTo(Duration.ofHours(6));
        for (String type : List.of("webshell", "WebShell", "proxylogon-exploitation", "CVE-2021-26855")) {
            assertThat(rule.matches("defender", type, Severity.HIGH, Map.of())).as("type %s", type).isTrue();
        }
        assertThat(rule.matches("defender", "webshell", Severity.LOW, Map.of())).as("below its severity").isFalse();
        assertThat(rule.matches("defender", "phishing", Severity.CRITICAL, Map.of())).as("another type").isFalse();
    }

    @Test
    void a_rule_matches_only_its_sources_severity_and_server_labels() {
        AlertRule rule = valid("""
                name: dag-webshell
                match:
                  sources: [Defender, sentinel]
                  types: [webshell]
                  severity: high
                  serverLabels: { dag: dag1 }
                playbook: proxylogon-ioc-scan
                params: { depth: 3, quick: true, tags: [a, b] }
                approval: none
                dedupWindow: 30m
                """);
        assertThat(rule.matches("DEFENDER", "webshell", Severity.CRITICAL, Map.of("dag", "dag1"))).isTrue();
        assertThat(rule.matches("crowdstrike", "webshell", Severity.CRITICAL, Map.of("dag", "dag1"))).isFalse();
        assertThat(rule.matches("defender", "webshell", Severity.MEDIUM, Map.of("dag", "dag1"))).isFalse();
        assertThat(rule.matches("defender", "webshell", Severity.HIGH, Map.of("dag", "dag2"))).isFalse();
        assertThat(rule.params()).containsEntry("depth", 3L).containsEntry("quick", true)
                .containsEntry("tags", List.of("a", "b"));
        assertThat(rule.dedupWindow()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void every_problem_of_a_rule_file_is_named_at_its_line_and_column() {
        AlertRuleParser.Result result = AlertRuleParser.parse("bad.yaml", """
                name: Bad Name
                match:
                  types: [webshell, "has space"]
                  severity: urgent
                  colour: red
                playbook: proxylogon-remediation
                params: { nested: { a: 1 } }
                approval: maybe
                dedupWindow: 3d
                """);
        assertThat(result.valid()).isFalse();
        assertThat(result.invalid().errors()).extracting(PlaybookError::toString).containsExactly(
                "bad.yaml:1:7: 'name' must be lower-case letters, digits and dashes, starting with a letter or digit,"
                        + " found 'Bad Name'",
                "bad.yaml:3:21: an entry of 'match.types' must be 1 to 100 letters, digits, '.', '_', ':' or '-',"
                        + " found 'has space'",
                "bad.yaml:4:13: 'match.severity' must be one of " + Severity.WORDS + ", found 'urgent'",
                "bad.yaml:5:3: unknown key 'colour' in 'match'; expected one of: sources, types, severity, serverLabels",
                "bad.yaml:7:19: parameter 'nested' must be a string, integer, boolean or a list of them, found a mapping",
                "bad.yaml:8:11: 'approval' must be required (a person approves before the run's first step) or none,"
                        + " found 'maybe'",
                "bad.yaml:9:14: 'dedupWindow' must be a duration such as 30s, 2m or 1h, found '3d'");
    }

    @Test
    void a_rule_without_its_decisions_is_refused_and_a_yaml_error_has_its_position() {
        assertThat(AlertRuleParser.parse("empty.yaml", "description: nothing\n").invalid().errors())
                .extracting(PlaybookError::message).containsExactly(
                        "an alert rule needs 'name'", "an alert rule needs 'match'", "an alert rule needs 'playbook'",
                        "an alert rule needs 'approval'");
        assertThat(AlertRuleParser.parse("broken.yaml", "name: a\nmatch: [\n").invalid().errors())
                .singleElement().satisfies(e -> assertThat(e.line()).isEqualTo(3));
        assertThat(AlertRuleParser.parse("bomb.yaml", "name: !!java.io.File x\n").invalid().errors())
                .singleElement().satisfies(e -> assertThat(e.message()).contains("is not allowed"));
    }

    @Test
    void a_name_declared_twice_leaves_the_later_file_unused(@TempDir Path dir) throws IOException {
        String rule = "name: twice\nmatch: { types: [webshell] }\nplaybook: p\napproval: none\n";
        Files.writeString(dir.resolve("a.yaml"), rule);
        Files.writeString(dir.resolve("b.yaml"), rule);
        Files.writeString(dir.resolve("notes.txt"), "not a rule");
        AlertRuleFiles.Loaded loaded = AlertRuleFiles.read(List.of(dir));
        assertThat(loaded.rules()).singleElement().satisfies(r -> assertThat(r.file()).endsWith("a.yaml"));
        assertThat(loaded.invalid()).singleElement().satisfies(invalid -> assertThat(invalid.errors())
                .extracting(PlaybookError::toString).containsExactly(dir.resolve("b.yaml") + ":1:7: alert rule 'twice'"
                        + " is already declared by " + dir.resolve("a.yaml") + "; this file is not used"));
    }

    @Test
    void the_playbook_catalog_does_not_read_rules_as_playbooks() {
        PlaybookCatalog catalog = new PlaybookCatalog();
        catalog.load(Path.of("playbooks"));
        assertThat(catalog.invalid()).as("files the catalog could not read as playbooks").isEmpty();
    }

    private static AlertRule valid(String yaml) {
        AlertRuleParser.Result result = AlertRuleParser.parse("rule.yaml", yaml);
        assertThat(result.invalid()).as("errors").isNull();
        return result.rule();
    }
}
