package io.antidote.supply;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The known-bad check can fail: the repository's list, fed the coordinates WinRM4j 0.12.3 used to bring. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KnownBadTest {

    @Test
    void the_repository_list_flags_the_old_xml_stack() throws Exception {
        KnownBad list = KnownBad.read(KnownBad.FILE);

        assertThat(list.violations(List.of("org.apache.cxf:cxf-core:3.3.9", "org.apache.cxf:cxf-rt-transports-http-hc:3.5.7",
                "com.fasterxml.woodstox:woodstox-core:5.0.3", "com.sun.xml.messaging.saaj:saaj-impl:1.4.0-b03")))
                .extracting(v -> v.substring(0, v.indexOf(" is known bad")))
                .as("every coordinate flagged (cxf-core 3.3.9 by two rules)")
                .containsOnly("org.apache.cxf:cxf-core:3.3.9", "org.apache.cxf:cxf-rt-transports-http-hc:3.5.7",
                        "com.fasterxml.woodstox:woodstox-core:5.0.3", "com.sun.xml.messaging.saaj:saaj-impl:1.4.0-b03")
                .hasSize(5);
    }

    @Test
    void the_chosen_versions_pass() throws Exception {
        KnownBad list = KnownBad.read(KnownBad.FILE);

        assertThat(list.violations(List.of("org.apache.cxf:cxf-core:3.6.10",
                "org.apache.cxf:cxf-rt-transports-http-hc:3.6.4", "com.fasterxml.woodstox:woodstox-core:7.1.1",
                "org.codehaus.woodstox:stax2-api:4.2.2", "com.sun.xml.messaging.saaj:saaj-impl:1.5.3",
                "org.apache.cxfx:other:1.0"))).isEmpty();
    }

    @Test
    void a_cxf_core_without_the_fix_of_cve_2025_23184_is_flagged_though_the_async_transport_of_that_version_is_not() throws Exception {
        KnownBad list = KnownBad.read(KnownBad.FILE);

        assertThat(list.violations(List.of("org.apache.cxf:cxf-core:3.6.4", "org.apache.cxf:cxf-rt-transports-http:3.6.4",
                "org.apache.cxf:cxf-rt-transports-http-hc:3.6.4")))
                .hasSize(2).allMatch(v -> v.contains("3.6.4 is known bad")).noneMatch(v -> v.contains("http-hc"));
    }

    @Test
    void versions_compare_by_number_and_a_pre_release_sorts_first() {
        assertThat(KnownBad.compare("3.10.0", "3.6.4")).isPositive();
        assertThat(KnownBad.compare("1.4.0-b03", "1.4.0")).isNegative();
        assertThat(KnownBad.compare("6.4.0", "6.4.0")).isZero();
    }
}
