package io.antidote.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code antidote lint} refuses two playbook files declaring one name, as the service's catalog does (neither file
 * would load there): each file's error is at its {@code name} and names the other file, with the catalog's words
 * (PlaybookCatalogTest holds the catalog to the same text).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LintPlaybookNamesTest {

    static final String PLAYBOOK = """
            name: check-build
            description: Reads the build.
            steps:
              - id: read
                readOnly: true
                powershell: (Get-Command ExSetup.exe).FileVersionInfo.FileVersion
            """;

    @Test
    void two_files_declaring_one_playbook_name_are_both_errors_naming_each_other(@TempDir Path dir) throws IOException {
        Path first = dir.resolve("check.yaml");
        Path second = Files.createDirectories(dir.resolve("site")).resolve("copy.yaml");
        Files.writeString(first, PLAYBOOK);
        Files.writeString(second, "# copied for the Paris site\n" + PLAYBOOK);
        Files.writeString(dir.resolve("other.yaml"), PLAYBOOK.replace("check-build", "other-build"));

        String[] out = LintRulesTest.lint(dir.toString());
        assertThat(out[1]).as(out[0]).isEqualTo(String.valueOf(Exit.FAILED));
        assertThat(out[0]).contains(first + ":1:7: playbook name 'check-build' is also declared by " + second
                        + "; none of these files is loaded until the name is declared once")
                .contains(second + ":2:7: playbook name 'check-build' is also declared by " + first
                        + "; none of these files is loaded until the name is declared once")
                .doesNotContain("other.yaml:")
                .contains("3 files checked, 2 errors");

        Files.move(second, dir.resolve("copy.yaml"));
        String[] named = LintRulesTest.lint(first.toString(), dir.resolve("copy.yaml").toString());
        assertThat(named[1]).as("files named one by one, from one directory: %s", named[0])
                .isEqualTo(String.valueOf(Exit.FAILED));
        assertThat(named[0]).contains(first + ":1:7: playbook name 'check-build' is also declared by "
                + dir.resolve("copy.yaml")).contains("2 files checked, 2 errors");

        Files.writeString(dir.resolve("copy.yaml"), PLAYBOOK.replace("check-build", "check-build-paris"));
        String[] fixed = LintRulesTest.lint(dir.toString());
        assertThat(fixed[1]).as("each name declared once: %s", fixed[0]).isEqualTo(String.valueOf(Exit.OK));
    }
}
