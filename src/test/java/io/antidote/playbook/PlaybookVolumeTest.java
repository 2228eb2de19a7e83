package io.antidote.playbook;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The playbooks and the step library as the Helm chart mounts them: one projected volume of two ConfigMaps,
 * the library's keys under {@code steps/}. The kubelet writes such a volume as a hidden
 * {@code ..<timestamp>} directory holding the files, a {@code ..data} link to it, and one link per top-level
 * name ({@code steps} included) into {@code ..data}; an update writes a new hidden directory and swaps
 * {@code ..data}. Walking that naively read every playbook twice and found no library at all.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PlaybookVolumeTest {

    private static final Path REPOSITORY_PLAYBOOKS = Path.of("playbooks");

    @Test
    void the_repository_playbooks_load_whole_from_a_kubernetes_volume(@TempDir Path volume) throws IOException {
        PlaybookCatalog catalog = mounted(volume);

        assertThat(catalog.invalid()).isEmpty();
        assertThat(catalog.all()).extracting(Playbook::name).containsExactlyInAnyOrderElementsOf(playbookNames());
        assertThat(catalog.find("proxylogon-remediation")).isPresent();
        assertThat(catalog.library().steps().keySet()).containsExactlyInAnyOrderElementsOf(stepNames());
        assertThat(catalog.find("proxylogon-remediation").orElseThrow().file())
                .as("named by the path an operator sees, not the kubelet's hidden directory")
                .isEqualTo(volume.resolve("proxylogon-remediation.yaml").toString());
    }

    @Test
    void an_updated_config_map_reloads_the_library(@TempDir Path volume) throws IOException {
        PlaybookCatalog catalog = mounted(volume);
        String step = stepNames().get(0);
        String before = catalog.library().steps().get(step).digest();

        mount(volume, "..2026_12_06_20_05_00.000000002", step);
        catalog.reloadIfChanged();

        assertThat(catalog.invalid()).isEmpty();
        assertThat(catalog.library().steps().get(step).digest()).isNotEqualTo(before);
        assertThat(catalog.all()).hasSize(playbookNames().size());
    }

    private static PlaybookCatalog mounted(Path volume) throws IOException {
        mount(volume, "..2026_12_06_20_00_00.000000001", null);
        PlaybookCatalog catalog = new PlaybookCatalog();
        catalog.directory = volume.toString();
        catalog.load(volume);
        return catalog;
    }

    /** Writes the repository's playbooks as the kubelet would, appending a comment to {@code editedStep}. */
    private static void mount(Path volume, String timestamped, String editedStep) throws IOException {
        Path data = volume.resolve(timestamped);
        Files.createDirectories(data.resolve("steps"));
        for (Path file : yaml(REPOSITORY_PLAYBOOKS)) {
            Files.copy(file, data.resolve(file.getFileName()));
        }
        for (Path file : yaml(REPOSITORY_PLAYBOOKS.resolve("steps"))) {
            Path copy = data.resolve("steps").resolve(file.getFileName());
            Files.copy(file, copy);
            if (file.getFileName().toString().equals(editedStep + ".yaml")) {
                Files.writeString(copy, Files.readString(copy) + "# edited\n");
            }
        }
        Path link = volume.resolve("..data_tmp");
        Files.createSymbolicLink(link, Path.of(timestamped));
        Files.move(link, volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        for (Path file : yaml(data)) {
            Path name = volume.resolve(file.getFileName());
            if (!Files.isSymbolicLink(name)) {
                Files.createSymbolicLink(name, Path.of("..data").resolve(file.getFileName()));
            }
        }
        if (!Files.isSymbolicLink(volume.resolve("steps"))) {
            Files.createSymbolicLink(volume.resolve("steps"), Path.of("..data/steps"));
        }
    }

    private static List<Path> yaml(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static List<String> playbookNames() throws IOException {
        return yaml(REPOSITORY_PLAYBOOKS).stream().map(f -> f.getFileName().toString().replace(".yaml", "")).toList();
    }

    private static List<String> stepNames() throws IOException {
        return yaml(REPOSITORY_PLAYBOOKS.resolve("steps")).stream()
                .map(f -> f.getFileName().toString().replace(".yaml", "")).toList();
    }
}
