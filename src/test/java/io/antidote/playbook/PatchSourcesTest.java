package io.antidote.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A source parameter names a configured folder or share, or a folder under one, and nothing else. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PatchSourcesTest {

    private static final PatchSources SOURCES = PatchSources.of(Map.of("local", "C:\\Patches", "fs01", "\\\\fs01\\patches\\"));

    @Test
    void a_source_name_or_a_folder_under_a_source_resolves_to_its_path() {
        assertThat(SOURCES.resolve("local")).isEqualTo("C:\\Patches");
        assertThat(SOURCES.resolve("fs01")).as("the trailing separator of the setting is dropped").isEqualTo("\\\\fs01\\patches");
        assertThat(SOURCES.resolve("local\\OutOfBand")).isEqualTo("C:\\Patches\\OutOfBand");
        assertThat(SOURCES.resolve("C:\\Patches")).isEqualTo("C:\\Patches");
        assertThat(SOURCES.resolve("c:\\patches\\OutOfBand\\")).isEqualTo("c:\\patches\\OutOfBand");
        assertThat(SOURCES.resolve("\\\\FS01\\Patches\\2016 CU19")).isEqualTo("\\\\FS01\\Patches\\2016 CU19");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\\\evil\\patches", "\\\\fs01\\other", "\\\\fs01.contoso.com\\patches", "C:\\PatchesX",
            "C:\\Patches\\..\\Windows", "local\\..\\..\\Windows", "C:\\Patches\\.\\x", "C:\\Patches\\x.", "C:\\Patches\\x ",
            "C:\\Patches\\*", "C:\\Patches\\x:stream", "C:/Patches", "C:Patches", "D:\\Patches", "\\\\?\\C:\\Patches",
            "\\\\.\\C:\\Patches", "C:\\Patches\\\\x", "remote", "LOCAL", "local\\", "local\\a\u0007b", "", "'; Stop-Computer"})
    void anything_else_is_refused_saying_what_is_configured(String value) {
        assertThatThrownBy(() -> SOURCES.resolve(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("updates are installed only from a configured patch source or a folder under one")
                .hasMessageEndingWith("configured: fs01 (\\\\fs01\\patches), local (C:\\Patches)");
    }

    @Test
    void without_sources_every_value_is_refused() {
        assertThatThrownBy(() -> PatchSources.NONE.resolve("C:\\Patches"))
                .hasMessageEndingWith("none is configured (antidote.patch-sources.<name>.path)");
    }

    @Test
    void an_unusable_setting_is_named() {
        assertThatThrownBy(() -> PatchSources.of(Map.of("Local", "C:\\Patches"))).hasMessageContaining("'Local'");
        assertThatThrownBy(() -> PatchSources.of(Map.of("root", "C:\\"))).hasMessage("patch source 'root': a whole drive"
                + " is not a patch source; name a folder");
        assertThatThrownBy(() -> PatchSources.of(Map.of("up", "C:\\Patches\\.."))).hasMessageStartingWith("patch source 'up': ");
        assertThatThrownBy(() -> PatchSources.of(Map.of("rel", "Patches"))).hasMessageStartingWith("patch source 'rel': not an"
                + " absolute path");
    }

    @Test
    void the_pins_in_the_repository_are_well_formed_and_one_per_kb_and_cu() {
        assertThat(PackagePins.all()).hasSize(9).allSatisfy(pin -> assertThat(pin.sha256()).matches("[0-9A-F]{64}"));
        assertThat(PackagePins.byKey()).containsKeys("KB5000871 2016 CU19", "KB5000871 2016 CU17", "KB5000871 2019 CU8");
        assertThatThrownBy(() -> PackagePins.parse("KB5000871\t2016\tCU19\tx.msp\t" + "A".repeat(64) + "\tlab\n"
                + "KB5000871\t2016\tCU19\tx.msp\t" + "B".repeat(64) + "\tlab\n"))
                .hasMessageContaining(":2: KB5000871 2016 CU19 is pinned already at line 1");
        assertThatThrownBy(() -> PackagePins.parse("KB5000871\t2016\tCU19\tx.msp\t" + "a".repeat(64) + "\tlab\n"))
                .hasMessageContaining(":1: expected kb, version, cu, file, sha256");
    }
}
