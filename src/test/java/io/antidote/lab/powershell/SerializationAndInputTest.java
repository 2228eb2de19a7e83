package io.antidote.lab.powershell;

import io.antidote.lab.exchange.ExchangeServer;
import io.antidote.lab.exchange.ServerSpec;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static io.antidote.lab.powershell.PowerShellLanguageTest.out;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the lab's scripts can turn a value into, as Windows PowerShell 5.1 writes it (ConvertTo-Xml, CLIXML,
 * UTF-16LE bytes, BitConverter hex), and $input, the standard input a WinRS client sends.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SerializationAndInputTest {

    @Test
    void convertto_xml_as_string_escapes_markup_and_types_each_object() {
        assertThat(out("'a<b>&\"c\"' | ConvertTo-Xml -As String"))
                .isEqualTo("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Objects>\n"
                        + "  <Object Type=\"System.String\">a&lt;b&gt;&amp;\"c\"</Object>\n</Objects>\n");
        assertThat(out("[pscustomobject]@{ n = 'x\"y'; i = 3 } | ConvertTo-Xml -As String -NoTypeInformation"))
                .isEqualTo("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Objects>\n  <Object>\n"
                        + "    <Property Name=\"n\">x\"y</Property>\n    <Property Name=\"i\">3</Property>\n"
                        + "  </Object>\n</Objects>\n");
        assertThat(out("'v' | ConvertTo-Xml -As Stream -NoTypeInformation"))
                .isEqualTo("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Objects>\n  <Object>v</Object>\n</Objects>\n");
    }

    @Test
    void convertto_xml_as_a_document_is_not_modelled_and_says_so() {
        ScriptResult r = PowerShellLanguageTest.run("'v' | ConvertTo-Xml");
        assertThat(r.stderr()).contains("-As String or -As Stream only");
    }

    @Test
    void psserializer_writes_clixml_with_escapes_for_markup_and_control_characters() {
        assertThat(out("[System.Management.Automation.PSSerializer]::Serialize(\"a<&`a_x`r`n\")"))
                .isEqualTo("<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">\n"
                        + "  <S>a&lt;&amp;_x0007__x005F_x_x000D__x000A_</S>\n</Objs>\n");
        assertThat(out("[System.Management.Automation.PSSerializer]::Serialize(42)")).contains("<I32>42</I32>");
    }

    @Test
    void unicode_is_utf16_little_endian_and_bitconverter_writes_dashed_hex() {
        assertThat(out("[Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes('a\u20ac'))")).isEqualTo("YQCsIA==\n");
        assertThat(out("[Text.Encoding]::Unicode.GetString([Convert]::FromBase64String('YQCsIA=='))")).isEqualTo("a\u20ac\n");
        assertThat(out("[BitConverter]::ToString([Text.Encoding]::UTF8.GetBytes('pa\u00e4'))")).isEqualTo("70-61-C3-A4\n");
    }

    @Test
    void input_is_the_standard_input_read_once_and_only_when_asked_for() {
        ExchangeServer server = ExchangeServer.create("lab-in", new ServerSpec("2016", "CU19", List.of(), Set.of()));
        AtomicInteger reads = new AtomicInteger();
        ScriptResult r = new PowerShell(server).run("'no input read yet'; $a = @($input); $a.Count; $a[1]; @($input).Count",
                () -> {
                    reads.incrementAndGet();
                    return "one\r\ntwo\nthree\r\n";
                });
        assertThat(r.stdout()).isEqualTo("no input read yet\r\n3\r\ntwo\r\n0\r\n");
        assertThat(reads).hasValue(1);
        ScriptResult none = new PowerShell(server).run("'x'", () -> {
            throw new AssertionError("a script that never reads $input must not wait for it");
        });
        assertThat(none.stdout()).isEqualTo("x\r\n");
    }
}
