package io.antidote.lab.powershell;

import static io.antidote.lab.powershell.PowerShellLanguageTest.out;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * ConvertTo-Json must produce what Windows PowerShell 5.1 produces, since playbook expectations
 * parse it: JavaScriptSerializer's escaping, enums as numbers, -Depth, arrays and 5.1's layout.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConvertToJsonTest {

    @Test
    void strings_are_escaped_as_javascriptserializer_does() {
        assertThat(out("\"it's <b> & `\"q`\" \\ / `t`n`r`0`b`f\" | ConvertTo-Json"))
                .isEqualTo("\"it\\u0027s \\u003cb\\u003e \\u0026 \\\"q\\\" \\\\ / \\t\\n\\r\\u0000\\b\\f\"\n");
    }

    @Test
    void non_ascii_text_is_kept_and_line_separators_are_escaped() {
        assertThat(out("'caf\u00e9 \u2019\u2019 \u2028 \u0085' | ConvertTo-Json")).isEqualTo("\"caf\u00e9 \u2019 \\u2028 \\u0085\"\n");
    }

    @Test
    void compress_writes_one_line_and_keeps_arrays_as_arrays() {
        assertThat(out("[pscustomobject]@{ a = 1; b = @('x'); c = @(); d = $null; e = $true; f = 1.5; g = @{ h = 'i' } } "
                + "| ConvertTo-Json -Compress"))
                .isEqualTo("{\"a\":1,\"b\":[\"x\"],\"c\":[],\"d\":null,\"e\":true,\"f\":1.5,\"g\":{\"h\":\"i\"}}\n");
    }

    @Test
    void pipeline_input_of_one_object_is_a_scalar_and_of_several_an_array() {
        assertThat(out("@('only') | ConvertTo-Json -Compress; 1, 2 | ConvertTo-Json -Compress; "
                + "ConvertTo-Json @('only') -Compress; @() | ConvertTo-Json; 'after'"))
                .isEqualTo("\"only\"\n[1,2]\n[\"only\"]\nafter\n");
    }

    @Test
    void enums_become_numbers() {
        assertThat(out("Get-Service W3SVC | Select-Object Name, Status, StartType | ConvertTo-Json -Compress"))
                .isEqualTo("{\"Name\":\"W3SVC\",\"Status\":4,\"StartType\":2}\n");
    }

    @Test
    void objects_deeper_than_depth_become_their_string_form() {
        assertThat(out("$o = [pscustomobject]@{ a = [pscustomobject]@{ b = [pscustomobject]@{ c = [pscustomobject]@{ d = 1 } } } }\n"
                + "$o | ConvertTo-Json -Compress\n$o | ConvertTo-Json -Compress -Depth 1\n$o | ConvertTo-Json -Compress -Depth 5"))
                .isEqualTo("{\"a\":{\"b\":{\"c\":\"@{d=1}\"}}}\n{\"a\":{\"b\":\"@{c=}\"}}\n{\"a\":{\"b\":{\"c\":{\"d\":1}}}}\n");
    }

    @Test
    void without_compress_the_layout_is_windows_powershell_5_1s() {
        assertThat(out("[pscustomobject]@{ a = 1; b = @(1, 2); c = [pscustomobject]@{ d = 'x' } } | ConvertTo-Json"))
                .isEqualTo("{\n"
                        + "    \"a\":  1,\n"
                        + "    \"b\":  [\n"
                        + "              1,\n"
                        + "              2\n"
                        + "          ],\n"
                        + "    \"c\":  {\n"
                        + "              \"d\":  \"x\"\n"
                        + "          }\n"
                        + "}\n");
    }

    @Test
    void dates_are_written_as_microsoft_json_dates() {
        assertThat(out("[pscustomobject]@{ at = [datetime]'2021-03-04 10:00:00' } | ConvertTo-Json -Compress"))
                .isEqualTo("{\"at\":\"\\/Date(1614852000000)\\/\"}\n");
    }

    @Test
    void a_depth_over_100_is_refused() {
        assertThat(PowerShellLanguageTest.run("1 | ConvertTo-Json -Depth 101").stderr())
                .contains("Cannot validate argument on parameter 'Depth'.");
    }
}
