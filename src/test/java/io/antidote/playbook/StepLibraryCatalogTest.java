package io.antidote.playbook;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog reads the step library from {@code steps/} beside the playbooks: a changed library step
 * reloads every playbook using it under a new digest; a broken one keeps their previous versions in force
 * and lists its errors with the library file and with each using playbook.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StepLibraryCatalogTest {

    static final String STEP = """
            inputs:
              word:
                type: string
            powershell: Write-Output $word
            """;

    static final String USER = """
            name: user
            steps:
              - id: say
                uses: say-word
                with: { word: hello }
            """;

    static final String BYSTANDER = """
            name: bystander
            steps:
              - id: date
                powershell: Get-Date
            """;

    private static PlaybookCatalog catalog(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("steps"));
        Files.writeString(dir.resolve("steps/say-word.yaml"), STEP);
        Files.writeString(dir.resolve("steps/unused.yaml"), "powershell: Get-Date\n");
        Files.writeString(dir.resolve("user.yaml"), USER);
        Files.writeString(dir.resolve("bystander.yaml"), BYSTANDER);
        PlaybookCatalog catalog = new PlaybookCatalog();
        catalog.directory = dir.toString();
        catalog.load(dir);
        return catalog;
    }

    @Test
    void library_files_are_steps_not_playbooks_and_a_playbook_uses_them(@TempDir Path dir) throws Exception {
        PlaybookCatalog catalog = catalog(dir);

        assertThat(catalog.invalid()).isEmpty();
        assertThat(catalog.all()).extracting(Playbook::name).containsExactly("bystander", "user");
        assertThat(catalog.library().steps()).containsOnlyKeys("say-word", "unused");
        assertThat(catalog.find("user").orElseThrow().step("say").orElseThrow().powershell())
                .isEqualTo("Write-Output $word");
    }

    @Test
    void an_edited_library_step_reloads_the_playbooks_using_it_and_only_those(@TempDir Path dir) throws Exception {
        PlaybookCatalog catalog = catalog(dir);
        String userDigest = catalog.find("user").orElseThrow().digest();
        String bystanderDigest = catalog.find("bystander").orElseThrow().digest();

        Files.writeString(dir.resolve("steps/unused.yaml"), "powershell: Get-Date # edited\n");
        catalog.reloadIfChanged();
        assertThat(catalog.find("user").orElseThrow().digest()).as("an unused step changed").isEqualTo(userDigest);

        Files.writeString(dir.resolve("steps/say-word.yaml"), STEP.replace("Write-Output", "Write-Host"));
        catalog.reloadIfChanged();

        Playbook user = catalog.find("user").orElseThrow();
        assertThat(user.digest()).isNotEqualTo(userDigest);
        assertThat(user.step("say").orElseThrow().powershell()).isEqualTo("Write-Host $word");
        assertThat(catalog.find("bystander").orElseThrow().digest()).isEqualTo(bystanderDigest);
    }

    @Test
    void a_broken_library_step_keeps_the_previous_versions_in_force_and_reports_both_files(@TempDir Path dir)
            throws Exception {
        PlaybookCatalog catalog = catalog(dir);
        Playbook before = catalog.find("user").orElseThrow();
        String stepFile = dir.resolve("steps/say-word.yaml").toString();
        String userFile = dir.resolve("user.yaml").toString();

        Files.writeString(dir.resolve("steps/say-word.yaml"), STEP.replace("type: string", "type: text"));
        catalog.reloadIfChanged();

        assertThat(catalog.find("user")).as("the version in force").containsSame(before);
        assertThat(catalog.inForce(userFile)).containsSame(before);
        PlaybookError stepError = new PlaybookError(stepFile, 3, 11, "'type' in parameter 'word' must be one of:"
                + " string, integer, boolean, enum, secret, source, found 'text'");
        assertThat(catalog.invalid()).extracting(ParseResult.Invalid::file).containsExactlyInAnyOrder(stepFile, userFile);
        assertThat(catalog.invalid()).filteredOn(i -> i.file().equals(stepFile)).singleElement()
                .satisfies(i -> assertThat(i.errors()).containsExactly(stepError));
        assertThat(catalog.invalid()).filteredOn(i -> i.file().equals(userFile)).singleElement()
                .satisfies(i -> assertThat(i.errors()).containsExactly(
                        new PlaybookError(userFile, 4, 11, "library step 'say-word' in step 'say' has errors in "
                                + stepFile + " (listed below); this playbook cannot load until they are fixed"),
                        stepError));

        Files.writeString(dir.resolve("steps/say-word.yaml"), STEP.replace("Write-Output", "Write-Host"));
        catalog.reloadIfChanged();

        assertThat(catalog.invalid()).isEmpty();
        assertThat(catalog.find("user").orElseThrow().digest()).isNotEqualTo(before.digest());
    }

    @Test
    void a_removed_library_step_makes_its_users_invalid_at_the_uses_line(@TempDir Path dir) throws Exception {
        PlaybookCatalog catalog = catalog(dir);

        Files.delete(dir.resolve("steps/say-word.yaml"));
        catalog.reloadIfChanged();

        String userFile = dir.resolve("user.yaml").toString();
        assertThat(catalog.invalid()).singleElement().satisfies(i -> assertThat(i.errors()).containsExactly(
                new PlaybookError(userFile, 4, 11, "unknown library step 'say-word' in step 'say'; the step library"
                        + " (playbooks/steps/) has: unused")));
    }

    @Test
    void library_files_in_subfolders_or_named_twice_are_reported(@TempDir Path dir) throws Exception {
        PlaybookCatalog catalog = catalog(dir);
        Files.createDirectories(dir.resolve("steps/nested"));
        Files.writeString(dir.resolve("steps/nested/deep.yaml"), "powershell: Get-Date\n");
        Files.writeString(dir.resolve("steps/say-word.yml"), STEP);

        catalog.reloadIfChanged();

        assertThat(catalog.invalid()).extracting(i -> i.errors().get(0).message()).containsExactlyInAnyOrder(
                "library steps are read only directly in " + dir.resolve("steps")
                        + "; this file in a subdirectory is not used",
                "library step 'say-word' is already defined by " + dir.resolve("steps/say-word.yaml"));
        assertThat(catalog.find("user")).isPresent();
    }
}
