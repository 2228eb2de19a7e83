package io.antidote.lab.powershell;

import static org.assertj.core.api.Assertions.assertThat;

import io.antidote.lab.exchange.ExchangeServer;
import io.antidote.lab.exchange.ServerSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Antidote passes every playbook parameter as a single-quoted literal in a param block, so that a
 * hostile value arrives as data. Each value here must come back verbatim from
 * {@code Write-Output $value}, with nothing executed: no other output, no error, the server's
 * state unchanged. PowerShell also ends single-quoted strings at the typographic quotes
 * ‘ ’ ‚ ‛, so the quoting must double those too: see {@link #quote}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HostileParameterValuesTest {

    /** How a param block literal must be written: every character PowerShell reads as a single quote, doubled. */
    static String quote(String value) {
        StringBuilder sb = new StringBuilder("'");
        for (char c : value.toCharArray()) {
            sb.append(c);
            if (c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B') {
                sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }

    static Stream<Arguments> hostileValues() {
        return Stream.of(
                Arguments.of("a single quote", "'"),
                Arguments.of("doubled quotes", "''"),
                Arguments.of("a closing quote then a command", "'; Remove-NetFirewallRule -DisplayName *; '"),
                Arguments.of("typographic quotes", "\u2018\u2019\u201A\u201B\u201C\u201D\u201E"),
                Arguments.of("a typographic quote then a command", "x\u2019; Stop-Service MSExchangeIS; \u2018"),
                Arguments.of("a semicolon", "a;b"),
                Arguments.of("a pipe", "a | Stop-Service"),
                Arguments.of("a subexpression", "$(Stop-Service W3SVC)"),
                Arguments.of("a date subexpression", "$(Get-Date)"),
                Arguments.of("a braced variable", "${x}"),
                Arguments.of("an environment variable", "$env:COMPUTERNAME"),
                Arguments.of("backticks", "`n`t``'`"),
                Arguments.of("a trailing backtick", "C:\\Patches`"),
                Arguments.of("newlines", "line one\nline two\r\nline three\rend"),
                Arguments.of("a hash", "# not a comment"),
                Arguments.of("a block comment", "<# not a comment #>"),
                Arguments.of("a here-string opener", "@'\nStop-Service W3SVC\n'@"),
                Arguments.of("double quotes", "\"$(Stop-Service W3SVC)\""),
                Arguments.of("a null byte", "before\0after"),
                Arguments.of("only a null byte", "\0"),
                Arguments.of("an empty string", ""),
                Arguments.of("a UNC path", "\\\\fileserver\\patches$\\"),
                Arguments.of("a parameter-looking value", "-ErrorAction"),
                Arguments.of("a 100,000 character string", "x'\u2019;".repeat(25_000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileValues")
    void a_hostile_value_is_read_back_verbatim_and_nothing_runs(String description, String value) {
        ExchangeServer server = ExchangeServer.create("lab-ex01", new ServerSpec("2016", "CU19"));
        Map<String, Object> before = server.describe();
        String script = "param([string]$value = " + quote(value) + ", [string]$patchShare = 'C:\\Patches')\n"
                + "Write-Output $value\n";

        ScriptResult r = new PowerShell(server).run(script);

        assertThat(r.stderr()).as("no error for " + description).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).as("the value, exactly, and nothing else").isEqualTo(value + "\r\n");
        assertThat(server.describe()).as("the server is untouched").isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileValues")
    void a_hostile_value_survives_string_expansion_and_json(String description, String value) {
        ExchangeServer server = ExchangeServer.create("lab-ex01", new ServerSpec("2016", "CU19"));
        String script = "param([string]$value = " + quote(value) + ")\n"
                + "[pscustomobject]@{ v = \"$value\"; length = $value.Length } | ConvertTo-Json -Compress\n";

        ScriptResult r = new PowerShell(server).run(script);

        assertThat(r.stderr()).isEmpty();
        StringBuilder expected = new StringBuilder();
        Json.quote(value, expected);
        assertThat(r.stdout()).isEqualTo("{\"v\":" + expected + ",\"length\":" + value.length() + "}\r\n");
    }

    @Test
    void quoting_only_the_ascii_quote_would_let_a_typographic_quote_end_the_literal() {
        ExchangeServer server = ExchangeServer.create("lab-ex01", new ServerSpec("2016", "CU19"));
        String value = "x\u2019; Stop-Service MSExchangeIS; \u2018";
        String naive = "'" + value.replace("'", "''") + "'";

        ScriptResult r = new PowerShell(server).run("param([string]$value = " + naive + ")\nWrite-Output $value\n");

        assertThat(r.exitCode()).as("PowerShell reads the typographic quote as the end of the string").isEqualTo(1);
        assertThat(r.stderr()).contains("ParserError");
        assertThat(server.service("MSExchangeIS").orElseThrow().status())
                .as("a parse error runs nothing").hasToString("Running");
    }

    @Test
    void typed_parameters_take_their_defaults_as_powershell_converts_them() {
        ExchangeServer server = ExchangeServer.create("lab-ex01", new ServerSpec("2016", "CU19"));
        String script = "param([string]$a = 'x', [int]$n = 3, [bool]$b = $true, [string[]]$list = @('a','b'), $untyped)\n"
                + "$a; $n + 1; $b; $list.Count; $list[1]; $null -eq $untyped\n"
                + "$n = '41'; $n + 1\n";

        ScriptResult r = new PowerShell(server).run(script);

        assertThat(r.stderr()).isEmpty();
        assertThat(r.stdout()).isEqualTo(String.join("\r\n", List.of("x", "4", "True", "2", "b", "True", "42")) + "\r\n");
    }

    @Test
    void a_param_block_after_a_statement_is_an_unknown_command_as_in_powershell() {
        ExchangeServer server = ExchangeServer.create("lab-ex01", new ServerSpec("2016", "CU19"));

        ScriptResult r = new PowerShell(server).run("'first'\nparam([string]$x = 'y')\n");

        assertThat(r.stdout()).isEqualTo("first\r\n");
        assertThat(r.stderr()).startsWith("param : The term 'param' is not recognized");
        assertThat(r.exitCode()).isEqualTo(1);
    }

    @Test
    void comments_and_blank_lines_may_precede_the_param_block() {
        ExchangeServer server = ExchangeServer.create("lab-ex01", new ServerSpec("2016", "CU19"));

        ScriptResult r = new PowerShell(server).run("# generated by Antidote\n<# block #>\n\n[CmdletBinding()]\n"
                + "param(\n  [Parameter(Mandatory)] [string] $share = 'C:\\Patches'\n)\n$share\n");

        assertThat(r.stderr()).isEmpty();
        assertThat(r.stdout()).isEqualTo("C:\\Patches\r\n");
    }

    @Test
    void set_of_services_is_not_touched_by_any_hostile_value() {
        ExchangeServer server = ExchangeServer.create("lab-ex01", new ServerSpec("2016", "CU19", List.of(), Set.of()));
        StringBuilder params = new StringBuilder("param(");
        List<Arguments> all = hostileValues().toList();
        for (int i = 0; i < all.size(); i++) {
            params.append(i == 0 ? "" : ", ").append("[string]$v").append(i).append(" = ")
                    .append(quote((String) all.get(i).get()[1]));
        }
        params.append(")\n'done'\n");

        ScriptResult r = new PowerShell(server).run(params.toString());

        assertThat(r.stdout()).isEqualTo("done\r\n");
        assertThat(server.services()).allSatisfy(s -> assertThat(s.status()).hasToString("Running"));
        assertThat(server.firewallRules()).hasSize(3);
    }
}
