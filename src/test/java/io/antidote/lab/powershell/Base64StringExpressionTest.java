package io.antidote.lab.powershell;

import static org.assertj.core.api.Assertions.assertThat;

import io.antidote.lab.exchange.ExchangeServer;
import io.antidote.lab.exchange.ServerSpec;
import io.antidote.playbook.ScriptRenderer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Antidote sends strings holding control characters as
 * {@code ([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('…')))}; the lab
 * must evaluate that expression as Windows PowerShell does, or such values cannot be tested end to end.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class Base64StringExpressionTest {

    private final ExchangeServer server = ExchangeServer.create("lab-ex01", new ServerSpec("2016", "CU19"));

    @ParameterizedTest
    @ValueSource(strings = {"before\0after", "\0", "esc \u001b[31m red", "del \u007f c1 \u0085", "\u00e9\u20ac\uD83D\uDE00 \0"})
    void the_renderers_base64_form_of_a_string_evaluates_to_exactly_that_string(String value) {
        String literal = ScriptRenderer.stringLiteral(value);
        assertThat(literal).as("the renderer chose the base64 form").startsWith("([System.Text.Encoding]::UTF8");

        ScriptResult r = new PowerShell(server).run("param([string]$value = " + literal + ")\n"
                + "[pscustomobject]@{ v = $value; length = $value.Length } | ConvertTo-Json -Compress\n");

        assertThat(r.stderr()).isEmpty();
        StringBuilder expected = new StringBuilder();
        Json.quote(value, expected);
        assertThat(r.stdout()).isEqualTo("{\"v\":" + expected + ",\"length\":" + value.length() + "}\r\n");
    }

    @Test
    void bytes_round_trip_through_utf8_and_base64() {
        ScriptResult r = new PowerShell(server).run(
                "$b = [System.Text.Encoding]::UTF8.GetBytes('h\u00e9')\n$b.Count\n[System.Convert]::ToBase64String($b)\n"
                        + "[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('aMOp'))\n");

        assertThat(r.stderr()).isEmpty();
        assertThat(r.stdout()).isEqualTo("3\r\naMOp\r\nh\u00e9\r\n");
    }

    @Test
    void text_that_is_not_base64_is_a_format_exception() {
        ScriptResult r = new PowerShell(server).run("[System.Convert]::FromBase64String('not base64!')\n");

        assertThat(r.stderr()).contains("FromBase64String").contains("not a valid Base-64 string");
        assertThat(r.stdout()).isEmpty();
    }
}
