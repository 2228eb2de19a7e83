package io.antidote.playbook;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** One bad file must not keep the good playbooks from loading, and must say where it is wrong. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PlaybookCatalogTest {

    static final String VALID = """
            name: check-build
            steps:
              - id: read
                powershell: (Get-Command ExSetup.exe).FileVersionInfo.FileVersion
            """;

    static final String INVALID = """
            name: broken
            steps:
              - id: read
                powershell: Get-Date
                timout: 5m
            """;

    @Test
    void a_valid_file_loads_and_an_invalid_one_is_reported_with_its_file_and_line(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("check-build.yaml"), VALID);
        Files.writeString(dir.resolve("broken.yml"), INVALID);
        PlaybookCatalog catalog = new PlaybookCatalog();

        catalog.load(dir);

        assertThat(catalog.all()).extracting(Playbook::name).containsExactly("check-build");
        assertThat(catalog.find("check-build")).map(Playbook::file).contains(dir.resolve("check-build.yaml").toString());
        assertThat(catalog.find("broken")).isEmpty();
        assertThat(catalog.invalid()).singleElement().satisfies(invalid -> {
            assertThat(invalid.file()).isEqualTo(dir.resolve("broken.yml").toString());
            assertThat(invalid.errors()).containsExactly(new PlaybookError(dir.resolve("broken.yml").toString(), 5, 5,
                    "unknown key 'timout' in step 'read'; expected one of: id, description, powershell, timeout, expect,"
                            + " when, outputs, retry, approval, compensate, keepOnFailure, compensationOnly, idempotent, readOnly, uses, with, restore, verifies, packagePins, liftsMitigation, holdsGroup"));
        });
    }

    @Test
    void the_real_playbooks_directory_loads_the_proxylogon_playbook() {
        PlaybookCatalog catalog = new PlaybookCatalog();

        catalog.load(Path.of("playbooks"));

        assertThat(catalog.invalid()).isEmpty();
        assertThat(catalog.find("proxylogon-remediation")).map(Playbook::file)
                .contains("playbooks/proxylogon-remediation.yaml");
    }

    @Test
    void files_in_subfolders_load_and_other_extensions_are_ignored(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("exchange"));
        Files.writeString(dir.resolve("exchange/check-build.yaml"), VALID);
        Files.writeString(dir.resolve("README.md"), "# not a playbook");
        Files.writeString(dir.resolve("check-build.yaml.bak"), INVALID);
        PlaybookCatalog catalog = new PlaybookCatalog();

        catalog.load(dir);

        assertThat(catalog.all()).extracting(Playbook::name).containsExactly("check-build");
        assertThat(catalog.invalid()).isEmpty();
    }

    @Test
    void two_files_declaring_one_name_are_both_invalid_at_their_name_and_neither_takes_it(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("a.yaml"), VALID);
        Files.writeString(dir.resolve("b.yaml"), "# a copy\n" + VALID);
        PlaybookCatalog catalog = new PlaybookCatalog();

        catalog.load(dir);

        assertThat(catalog.find("check-build")).isEmpty();
        assertThat(catalog.invalid()).flatExtracting(ParseResult.Invalid::errors).containsExactly(
                new PlaybookError(dir.resolve("a.yaml").toString(), 1, 7, "playbook name 'check-build' is also declared by "
                        + dir.resolve("b.yaml") + "; none of these files is loaded until the name is declared once"),
                new PlaybookError(dir.resolve("b.yaml").toString(), 2, 7, "playbook name 'check-build' is also declared by "
                        + dir.resolve("a.yaml") + "; none of these files is loaded until the name is declared once"));
    }

    @Test
    void a_file_that_sorts_first_cannot_take_over_the_name_of_a_playbook_in_force(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("m-check.yaml"), VALID);
        PlaybookCatalog catalog = new PlaybookCatalog();
        catalog.load(dir);
        Playbook inForce = catalog.find("check-build").orElseThrow();

        Files.writeString(dir.resolve("a-takeover.yaml"), VALID.replace("FileVersion", "FileVersion; Remove-Item C:\\x"));
        catalog.load(dir);

        assertThat(catalog.find("check-build")).as("the version in force before").contains(inForce);
        assertThat(catalog.invalid()).extracting(ParseResult.Invalid::file).containsExactly(
                dir.resolve("a-takeover.yaml").toString(), dir.resolve("m-check.yaml").toString());
        assertThat(catalog.inForce(dir.resolve("m-check.yaml").toString())).contains(inForce);

        Files.delete(dir.resolve("a-takeover.yaml"));
        catalog.load(dir);
        assertThat(catalog.invalid()).isEmpty();
        assertThat(catalog.find("check-build")).map(Playbook::digest).contains(inForce.digest());
    }

    @Test
    void a_link_to_a_file_outside_the_folder_is_refused_unread(@TempDir Path dir, @TempDir Path elsewhere)
            throws Exception {
        Path secret = elsewhere.resolve("secret.yaml");
        Files.writeString(secret, "name: leaked\nsteps:\n  - id: s\n    powershell: 'TOKEN-5e3c'\n    bogus: TOKEN-5e3c\n");
        Files.createSymbolicLink(dir.resolve("linked.yaml"), secret);
        Files.createDirectories(dir.resolve("steps"));
        Files.createSymbolicLink(dir.resolve("steps").resolve("stolen.yaml"), secret);
        Files.writeString(dir.resolve("check-build.yaml"), VALID);
        PlaybookCatalog catalog = new PlaybookCatalog();

        catalog.load(dir);

        assertThat(catalog.find("leaked")).isEmpty();
        assertThat(catalog.library().steps()).doesNotContainKey("stolen");
        assertThat(catalog.find("check-build")).isPresent();
        assertThat(catalog.invalid()).extracting(ParseResult.Invalid::file).containsExactlyInAnyOrder(
                dir.resolve("linked.yaml").toString(), dir.resolve("steps").resolve("stolen.yaml").toString());
        assertThat(catalog.invalid()).flatExtracting(ParseResult.Invalid::errors).allSatisfy(error -> {
            assertThat(error.message()).contains("symbolic link").contains("not read")
                    .doesNotContain("TOKEN-5e3c").doesNotContain("leaked");
        });
    }

    @Test
    void a_link_inside_the_folder_is_refused_too_unless_it_is_a_kubernetes_volume_link(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("check-build.yaml"), VALID);
        // A second name for a playbook of the folder, and a library step borrowed from the playbooks.
        Files.createSymbolicLink(dir.resolve("alias.yaml"), Path.of("check-build.yaml"));
        Files.createDirectories(dir.resolve("steps"));
        Files.createSymbolicLink(dir.resolve("steps").resolve("borrowed.yaml"), Path.of("../check-build.yaml"));
        // The kubelet's layout: a hidden directory, ..data pointing at it, and name -> ..data/name.
        Path hidden = Files.createDirectories(dir.resolve("..2026_12_07_12_00_00.000000001"));
        Files.writeString(hidden.resolve("mounted.yaml"), VALID.replace("name: check-build", "name: mounted"));
        Files.createSymbolicLink(dir.resolve("..data"), hidden.getFileName());
        Files.createSymbolicLink(dir.resolve("mounted.yaml"), Path.of("..data/mounted.yaml"));
        PlaybookCatalog catalog = new PlaybookCatalog();

        catalog.load(dir);

        assertThat(catalog.find("check-build")).isPresent();
        assertThat(catalog.find("mounted")).as("a ConfigMap volume's link is followed").isPresent();
        assertThat(catalog.library().steps()).doesNotContainKey("borrowed");
        assertThat(catalog.invalid()).extracting(ParseResult.Invalid::file).containsExactlyInAnyOrder(
                dir.resolve("alias.yaml").toString(), dir.resolve("steps").resolve("borrowed.yaml").toString());
        assertThat(catalog.invalid()).flatExtracting(ParseResult.Invalid::errors).allSatisfy(error ->
                assertThat(error.message()).contains("symbolic link").contains("not read"));
    }

    @Test
    void a_file_that_is_not_utf8_is_invalid_and_a_bom_is_tolerated(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("latin1.yaml"), "name: caf\u00e9\nsteps: []\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Files.writeString(dir.resolve("bom.yaml"), "\uFEFF" + VALID);
        PlaybookCatalog catalog = new PlaybookCatalog();

        catalog.load(dir);

        assertThat(catalog.all()).extracting(Playbook::name).containsExactly("check-build");
        assertThat(catalog.invalid()).singleElement().satisfies(invalid -> assertThat(invalid.errors()).containsExactly(
                new PlaybookError(dir.resolve("latin1.yaml").toString(), 1, 1, "the file is not valid UTF-8")));
    }

    @Test
    void a_missing_directory_leaves_the_catalog_empty(@TempDir Path dir) {
        PlaybookCatalog catalog = new PlaybookCatalog();

        catalog.load(dir.resolve("nowhere"));

        assertThat(catalog.all()).isEmpty();
        assertThat(catalog.invalid()).isEmpty();
        assertThat(catalog.find(null)).isEmpty();
    }

    @Test
    void an_invalid_new_version_is_reported_and_the_previous_version_stays_in_force(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("check-build.yaml");
        Files.writeString(file, VALID);
        PlaybookCatalog catalog = new PlaybookCatalog();
        catalog.directory = dir.toString();
        catalog.load(dir);
        String firstDigest = catalog.find("check-build").orElseThrow().digest();

        Files.writeString(file, VALID.replace("    powershell:", "    timout: 5m\n    powershell:"));
        catalog.load(dir);

        assertThat(catalog.find("check-build")).as("the version in force").map(Playbook::digest).contains(firstDigest);
        assertThat(catalog.inForce(file.toString())).map(Playbook::digest).contains(firstDigest);
        assertThat(catalog.invalid()).singleElement().satisfies(invalid ->
                assertThat(invalid.errors()).extracting(PlaybookError::line, PlaybookError::column)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(4, 5)));
    }

    @Test
    void a_changed_file_is_picked_up_by_the_poll_and_a_fixed_file_replaces_the_old_version(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("check-build.yaml");
        Files.writeString(file, VALID);
        PlaybookCatalog catalog = new PlaybookCatalog();
        catalog.directory = dir.toString();
        catalog.load(dir);

        String edited = VALID.replace("FileVersion", "FileVersion # edited");
        Files.writeString(file, edited);
        catalog.reloadIfChanged();

        assertThat(catalog.find("check-build")).map(Playbook::source).contains(edited);
        assertThat(catalog.invalid()).isEmpty();
    }

    @Test
    void a_removed_file_takes_its_playbook_away_and_a_new_one_adds_its_own(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("check-build.yaml");
        Files.writeString(file, VALID);
        PlaybookCatalog catalog = new PlaybookCatalog();
        catalog.directory = dir.toString();
        catalog.load(dir);

        Files.delete(file);
        Files.writeString(dir.resolve("other.yaml"), VALID.replace("check-build", "other"));
        catalog.reloadIfChanged();

        assertThat(catalog.all()).extracting(Playbook::name).containsExactly("other");
        assertThat(catalog.inForce(file.toString())).isEmpty();
    }
}
