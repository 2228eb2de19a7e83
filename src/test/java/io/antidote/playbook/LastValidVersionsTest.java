package io.antidote.playbook;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, point 7: the last valid version of every playbook is kept in PostgreSQL, survives restarts and
 * stays in force while its file is broken. A restart is a new catalog with no memory, over the same database
 * (the service's own {@link LastValidVersions}).
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LastValidVersionsTest {

    @Inject
    LastValidVersions stored;

    @TempDir
    Path dir;
    private Path file;
    private String name;

    @BeforeEach
    void names() {
        String unique = UUID.randomUUID().toString().substring(0, 8);
        file = dir.resolve("kept-" + unique + ".yaml");
        name = "kept-" + unique;
    }

    private String valid(String build) {
        return """
                name: %s
                steps:
                  - id: read
                    powershell: Write-Output '%s'
                """.formatted(name, build);
    }

    private String broken() {
        return """
                name: %s
                steps:
                  - id: read
                    powershell: Get-Date
                    timout: 5m
                """.formatted(name);
    }

    private PlaybookCatalog startedWith(LastValidVersions versions) {
        PlaybookCatalog catalog = new PlaybookCatalog();
        catalog.stored = versions;
        catalog.load(dir);
        return catalog;
    }

    @Test
    void after_a_restart_a_broken_file_keeps_its_last_valid_version_in_force() throws Exception {
        Files.writeString(file, valid("15.1.2176.9"));
        String digest = startedWith(stored).find(name).orElseThrow().digest();

        Files.writeString(file, broken());
        PlaybookCatalog restarted = startedWith(stored);

        assertThat(restarted.find(name)).as("the playbook after a restart with its file broken")
                .map(Playbook::digest).contains(digest);
        assertThat(restarted.inForce(file.toString())).map(Playbook::digest).contains(digest);
        assertThat(restarted.invalid()).as("the file's errors are still reported")
                .anySatisfy(invalid -> assertThat(invalid.file()).isEqualTo(file.toString()));
        assertThat(restarted.find(name).orElseThrow().steps()).singleElement()
                .satisfies(step -> assertThat(step.powershell()).contains("15.1.2176.9"));

        assertThat(startedWith(LastValidVersions.NONE).find(name))
                .as("the same start without the stored versions: the playbook is gone").isEmpty();
    }

    @Test
    void the_version_in_force_is_the_last_valid_one_not_the_first() throws Exception {
        Files.writeString(file, valid("first"));
        PlaybookCatalog catalog = startedWith(stored);
        Files.writeString(file, valid("second"));
        catalog.load(dir);
        String second = catalog.find(name).orElseThrow().digest();

        Files.writeString(file, broken());

        assertThat(startedWith(stored).find(name)).map(Playbook::digest).contains(second);
    }

    @Test
    void a_file_that_was_removed_is_not_brought_back_by_a_broken_file_of_the_same_name() throws Exception {
        Files.writeString(file, valid("15.1.2176.9"));
        startedWith(stored);
        Files.delete(file);
        startedWith(stored);

        Files.writeString(file, broken());

        assertThat(startedWith(stored).find(name)).isEmpty();
    }
}
