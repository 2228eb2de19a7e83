package io.antidote.lab.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The per-CU patched rule and the two spellings of a build, which playbook expectations rely on. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProxyLogonFixTest {

    @Test
    void a_vulnerable_cu19_build_is_not_patched_although_it_is_greater_than_a_patched_cu18_build() {
        ExchangeBuild cu19 = ExchangeBuild.parse("15.1.2176.2");
        ExchangeBuild cu18Patched = ExchangeBuild.parse("15.1.2106.13");

        assertThat(cu19).as("plain version order").isGreaterThan(cu18Patched);
        assertThat(ProxyLogonFix.isPatched(cu18Patched)).as("CU18 with the March SU").isTrue();
        assertThat(ProxyLogonFix.isPatched(cu19)).as("CU19 without the March SU").isFalse();
    }

    @ParameterizedTest(name = "{0} patched: {1}")
    @CsvSource({
            "15.0.1497.2, false", "15.0.1497.10, false", "15.0.1497.12, true", "15.0.1497.15, true",
            "15.1.2106.2, false", "15.1.2106.8, false", "15.1.2106.13, true",
            "15.1.2176.2, false", "15.1.2176.4, false", "15.1.2176.9, true", "15.1.2176.12, true",
            "15.1.2242.4, true", "15.1.2308.8, true",
            "15.2.721.2, false", "15.2.721.8, false", "15.2.721.13, true",
            "15.2.792.3, false", "15.2.792.5, false", "15.2.792.10, true",
            "15.2.858.5, true", "15.2.922.7, true",
            "15.1.2044.4, false", "15.1.2044.13, true", "15.2.659.4, false", "15.2.659.12, true",
            "15.1.1979.3, false", "14.3.513.0, false",
            "15.01.2176.009, true", "15.01.2176.002, false", "15.02.0792.010, true"})
    void the_rule_follows_the_build_table(String build, boolean patched) {
        assertThat(ProxyLogonFix.isPatched(build)).as(build).isEqualTo(patched);
    }

    @Test
    void anything_that_is_not_a_build_number_is_not_patched() {
        assertThat(ProxyLogonFix.isPatched("15.1")).isFalse();
        assertThat(ProxyLogonFix.isPatched("")).isFalse();
        assertThat(ProxyLogonFix.isPatched((String) null)).isFalse();
        assertThat(ProxyLogonFix.isPatched("15.1.2176.9; rm -rf /")).isFalse();
    }

    @Test
    void the_file_version_has_two_digit_minor_four_digit_build_and_three_digit_revision() {
        assertThat(ExchangeBuild.parse("15.1.2176.9").fileVersion()).isEqualTo("15.01.2176.009");
        assertThat(ExchangeBuild.parse("15.2.792.3").fileVersion()).isEqualTo("15.02.0792.003");
        assertThat(ExchangeBuild.parse("15.0.1497.12").fileVersion()).isEqualTo("15.00.1497.012");
        assertThat(ExchangeBuild.parse("15.01.2176.009")).isEqualTo(new ExchangeBuild(15, 1, 2176, 9));
    }

    @Test
    void admin_display_version_is_read_and_written() {
        assertThat(ExchangeBuild.parse("Version 15.1 (Build 2176.2)")).isEqualTo(new ExchangeBuild(15, 1, 2176, 2));
        assertThat(new ExchangeBuild(15, 2, 792, 3).adminDisplayVersion()).isEqualTo("Version 15.2 (Build 792.3)");
    }

    @Test
    void the_cu_table_holds_the_builds_of_proxylogon_md() {
        assertThat(CumulativeUpdate.find("2013", "CU23").orElseThrow().fixedBuild()).hasToString("15.0.1497.12");
        assertThat(CumulativeUpdate.find("2016", "CU18").orElseThrow().fixedBuild()).hasToString("15.1.2106.13");
        assertThat(CumulativeUpdate.find("2016", "CU19").orElseThrow().fixedBuild()).hasToString("15.1.2176.9");
        assertThat(CumulativeUpdate.find("2019", "CU7").orElseThrow().fixedBuild()).hasToString("15.2.721.13");
        assertThat(CumulativeUpdate.find("2019", "CU8").orElseThrow().fixedBuild()).hasToString("15.2.792.10");
        assertThat(CumulativeUpdate.find("2016", "CU20").orElseThrow().build()).hasToString("15.1.2242.4");
        assertThat(CumulativeUpdate.find("2019", "CU9").orElseThrow().build()).hasToString("15.2.858.5");
        assertThat(CumulativeUpdate.find("2016", "cu19")).as("CU names are read case-insensitively").isPresent();
        assertThat(CumulativeUpdate.find("2019", "CU19")).isEmpty();
    }

    @Test
    void a_spec_for_an_unknown_cu_is_refused_with_the_known_ones_named() {
        assertThatThrownBy(() -> new ServerSpec("2016", "CU5"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CU19");
        assertThatThrownBy(() -> new ServerSpec("2010", "SP3")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ServerSpec("2016", "CU19", java.util.List.of("ransomware"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("webshell");
        assertThatThrownBy(() -> new ServerSpec("2016", "CU19", null, java.util.Set.of("explode")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refuse-update");
    }
}
