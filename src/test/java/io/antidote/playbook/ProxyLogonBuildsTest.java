package io.antidote.playbook;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-CU "patched" rule of docs/PROXYLOGON.md, row by row. A plain version comparison would
 * pass servers that are still open to ProxyLogon, so every table row is pinned here.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProxyLogonBuildsTest {

    @ParameterizedTest(name = "{0} ({1}) is not patched")
    @CsvSource({
            // CU build (vulnerable) and last vulnerable SU of every row of the table
            "15.0.1497.2,  2013 CU23, 15.0.1497.12",
            "15.0.1497.10, 2013 CU23, 15.0.1497.12",
            "15.1.2106.2,  2016 CU18, 15.1.2106.13",
            "15.1.2106.8,  2016 CU18, 15.1.2106.13",
            "15.1.2176.2,  2016 CU19, 15.1.2176.9",
            "15.1.2176.4,  2016 CU19, 15.1.2176.9",
            "15.2.721.2,   2019 CU7,  15.2.721.13",
            "15.2.721.8,   2019 CU7,  15.2.721.13",
            "15.2.792.3,   2019 CU8,  15.2.792.10",
            "15.2.792.5,   2019 CU8,  15.2.792.10",
            // long file-version forms of the same
            "15.01.2176.002, 2016 CU19, 15.1.2176.9",
            "15.02.0792.005, 2019 CU8,  15.2.792.10",
            "15.00.1497.010, 2013 CU23, 15.0.1497.12",
    })
    void a_vulnerable_build_of_a_listed_cu_is_not_patched_and_names_its_cu_and_fix(String build, String cu, String fixed) {
        ProxyLogonBuilds.Verdict verdict = ProxyLogonBuilds.verdict(build);

        assertThat(verdict.patched()).as("verdict on %s", build).isFalse();
        assertThat(verdict.cu()).as("CU of %s", build).isEqualTo(cu);
        assertThat(verdict.fixedBuild()).as("fixed build for %s", cu).isEqualTo(fixed);
        assertThat(verdict.reason()).isEqualTo("build " + build + " is not patched against ProxyLogon for " + cu
                + " (fixed: " + fixed + ")");
    }

    @ParameterizedTest(name = "{0} ({1}) is patched")
    @CsvSource({
            // fixed by the March 2021 SU
            "15.0.1497.12, 2013 CU23",
            "15.1.2106.13, 2016 CU18",
            "15.1.2176.9,  2016 CU19",
            "15.1.2242.4,  2016 CU20",
            "15.2.721.13,  2019 CU7",
            "15.2.792.10,  2019 CU8",
            "15.2.858.5,   2019 CU9",
            "14.3.513.0,   2010 SP3 UR32",
            // later SUs on the same CU
            "15.0.1497.15, 2013 CU23",
            "15.0.1497.18, 2013 CU23",
            "15.1.2176.12, 2016 CU19",
            "15.1.2176.14, 2016 CU19",
            "15.1.2242.8,  2016 CU20",
            "15.2.792.13,  2019 CU8",
            "15.2.792.15,  2019 CU8",
            "15.2.858.10,  2019 CU9",
            // the out-of-band March SUs for older CUs that the table names
            "15.0.1395.12, 2013 CU21",
            "15.0.1473.6,  2013 CU22",
            "15.1.1415.10, 2016 CU8",
            "15.1.2044.13, 2016 CU17",
            "15.2.221.18,  2019 RTM",
            "15.2.659.12,  2019 CU6",
            // long forms
            "15.01.2176.009, 2016 CU19",
            "15.02.0858.005, 2019 CU9",
    })
    void a_fixed_build_of_its_cu_is_patched(String build, String cu) {
        ProxyLogonBuilds.Verdict verdict = ProxyLogonBuilds.verdict(build);

        assertThat(verdict.patched()).as("verdict on %s: %s", build, verdict.reason()).isTrue();
        assertThat(verdict.cu()).isEqualTo(cu);
        assertThat(verdict.reason()).startsWith("build " + build + " is patched against ProxyLogon (" + cu);
    }

    @Test
    void a_cu19_build_is_judged_by_cu19_even_though_it_is_greater_than_the_patched_cu18_build() {
        assertThat(ProxyLogonBuilds.verdict("15.1.2106.13").patched()).as("CU18 with the March SU").isTrue();

        ProxyLogonBuilds.Verdict cu19 = ProxyLogonBuilds.verdict("15.1.2176.2");

        assertThat(cu19.patched()).as("CU19 without the SU, although 15.1.2176.2 > 15.1.2106.13").isFalse();
        assertThat(cu19.cu()).isEqualTo("2016 CU19");
    }

    @ParameterizedTest(name = "{0} is a CU after the fix and patched")
    @CsvSource({
            "15.1.2308.8,    2016 CU20 or later, 15.1.2242.4",
            "15.1.2507.6,    2016 CU20 or later, 15.1.2242.4",
            "15.01.2375.007, 2016 CU20 or later, 15.1.2242.4",
            "15.2.922.7,     2019 CU9 or later,  15.2.858.5",
            "15.2.1544.4,    2019 CU9 or later,  15.2.858.5",
            "14.3.513.1,     2010 SP3 UR32,      14.3.513.0",
            "14.3.9999.0,    2010 SP3 UR32 or later, 14.3.513.0",
    })
    void builds_of_cus_at_or_after_the_first_fixed_cu_are_patched(String build, String cu, String fixed) {
        ProxyLogonBuilds.Verdict verdict = ProxyLogonBuilds.verdict(build);

        assertThat(verdict.patched()).as("verdict on %s", build).isTrue();
        assertThat(verdict.cu()).isEqualTo(cu);
        assertThat(verdict.fixedBuild()).isEqualTo(fixed);
    }

    @Test
    void the_first_fixed_cu_itself_is_not_patched_below_its_release_revision() {
        ProxyLogonBuilds.Verdict verdict = ProxyLogonBuilds.verdict("15.1.2242.3");

        assertThat(verdict.patched()).isFalse();
        assertThat(verdict.reason()).isEqualTo(
                "build 15.1.2242.3 is not patched against ProxyLogon for 2016 CU20 (fixed: 15.1.2242.4)");
    }

    @ParameterizedTest(name = "{0} is not patched: {1}")
    @CsvSource(delimiter = '|', value = {
            "15.1.1261.35 | 2016 build 1261 is not a CU with a known March 2021 fix",
            "15.0.1367.3  | 2013 build 1367 is not a CU with a known March 2021 fix",
            "15.1.2150.0  | 2016 build 2150 is not a CU with a known March 2021 fix",
            "15.2.800.1   | 2019 build 800 is not a CU with a known March 2021 fix",
            "14.3.509.0   | 2010 SP3 build 509 is not an update rollup with a known March 2021 fix",
    })
    void unknown_and_too_old_cus_are_not_patched_and_say_why(String build, String why) {
        ProxyLogonBuilds.Verdict verdict = ProxyLogonBuilds.verdict(build);

        assertThat(verdict.patched()).as("verdict on %s", build).isFalse();
        assertThat(verdict.reason()).contains(why).contains(build);
    }

    @Test
    void the_last_exchange_2010_rollup_before_the_fix_is_not_patched() {
        ProxyLogonBuilds.Verdict verdict = ProxyLogonBuilds.verdict("14.3.509.0");

        assertThat(verdict.patched()).isFalse();
        assertThat(verdict.fixedBuild()).isEqualTo("14.3.513.0");
    }

    @ParameterizedTest(name = "''{0}'' is refused")
    @CsvSource(delimiter = '|', value = {
            "''                       | no build number",
            "Version 15.1 (Build 2176.2) | is not an Exchange build number",
            "15.1.2176                | is not an Exchange build number",
            "15.1.2176.9.1            | is not an Exchange build number",
            "15.1.2176.x              | is not an Exchange build number",
            "99999999999.1.2.3        | is not an Exchange build number",
            "16.0.1000.1              | is not an Exchange 2010 SP3, 2013, 2016 or 2019 build",
            "8.3.83.6                 | is not an Exchange 2010 SP3, 2013, 2016 or 2019 build",
    })
    void what_is_not_an_exchange_build_is_not_patched(String build, String why) {
        ProxyLogonBuilds.Verdict verdict = ProxyLogonBuilds.verdict(build);

        assertThat(verdict.patched()).isFalse();
        assertThat(verdict.cu()).isNull();
        assertThat(verdict.reason()).contains(why);
    }

    @Test
    void a_null_build_is_not_patched() {
        assertThat(ProxyLogonBuilds.verdict(null).patched()).isFalse();
    }

    @Test
    void surrounding_whitespace_from_host_output_is_ignored() {
        assertThat(ProxyLogonBuilds.verdict(" 15.01.2176.009\r\n").patched()).isTrue();
    }

    @Test
    void a_hostile_build_string_is_shown_shortened_and_without_control_characters() {
        String hostile = "15.1.2176.9\u001b[2J" + "x".repeat(10_000);

        ProxyLogonBuilds.Verdict verdict = ProxyLogonBuilds.verdict(hostile);

        assertThat(verdict.patched()).isFalse();
        assertThat(verdict.reason()).hasSizeLessThan(200).doesNotContain("\u001b").contains("\\u001B");
    }
}
