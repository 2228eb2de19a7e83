package io.antidote.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code antidote lint} checks alert rules too (docs/alerts.md): the shipped directory lints clean, a broken rule is
 * named at its line, and a rule naming a playbook the directory does not have is an error at its playbook line.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LintRulesTest {

    @Test
    void the_shipped_playbooks_and_rules_lint_clean() {
        String[] out = lint("playbooks");
        assertThat(out[1]).as(out[0]).isEqualTo("0");
        assertThat(out[0]).endsWith("0 errors\n");
    }

    @Test
    void a_broken_rule_and_a_rule_for_a_missing_playbook_are_named_at_their_lines(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve("rules/broken.yaml"), "name: broken\nmatch: { types: [webshell] }\nplaybook: p\n"
                + "approval: sometimes\n");
        Files.writeString(dir.resolve("rules/orphan.yaml"), "name: orphan\nmatch: { types: [webshell] }\n"
                + "playbook: no-such-playbook\napproval: none\n");
        String[] out = lint(dir.toString());
        assertThat(out[1]).isEqualTo("1");
        assertThat(out[0]).contains(dir.resolve("rules/broken.yaml") + ":4:11: 'approval' must be required")
                .contains(dir.resolve("rules/orphan.yaml") + ":3:11: alert rule 'orphan' requests playbook"
                        + " 'no-such-playbook', which is not a valid playbook of " + dir)
                .contains("2 files checked, 2 errors");
        String[] single = lint(dir.resolve("rules/broken.yaml").toString());
        assertThat(single[0]).contains(":4:11: 'approval' must be required").contains("1 file checked, 1 error");
    }

    /** Runs {@code antidote lint PATHS} in-process: what it printed (both streams) and its exit code. */
    static String[] lint(String... paths) {
        StringWriter out = new StringWriter();
        Console console = new Console(new BufferedReader(new StringReader("")), new PrintWriter(out, true),
                new PrintWriter(out, true), Map.of("HOME", System.getProperty("java.io.tmpdir")), null);
        String[] args = new String[paths.length + 1];
        args[0] = "lint";
        System.arraycopy(paths, 0, args, 1, paths.length);
        int exit = Antidote.run(args, console);
        return new String[] {out.toString(), String.valueOf(exit)};
    }
}
