package io.antidote.lab.powershell;

import static org.assertj.core.api.Assertions.assertThat;

import io.antidote.lab.exchange.ExchangeServer;
import io.antidote.lab.exchange.ServerSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The language subset: what a script prints is what Windows PowerShell 5.1 prints for it. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PowerShellLanguageTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2021-03-04T10:00:00Z"), ZoneOffset.UTC);

    static ScriptResult run(String script) {
        return new PowerShell(ExchangeServer.create("lab-ex01", new ServerSpec("2016", "CU19")), CLOCK).run(script);
    }

    /** The output lines of a script that must not fail. */
    static String out(String script) {
        ScriptResult r = run(script);
        assertThat(r.stderr()).as("errors of: " + script).isEmpty();
        assertThat(r.exitCode()).as("exit code of: " + script).isZero();
        return r.stdout().replace("\r\n", "\n");
    }

    @Nested
    @DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
    class Strings {

        @Test
        void single_quotes_are_verbatim_and_a_doubled_quote_is_one_quote() {
            assertThat(out("'it''s $x `n'")).isEqualTo("it's $x `n\n");
        }

        @Test
        void typographic_single_quotes_delimit_and_escape_like_the_ascii_one() {
            assertThat(out("\u2018typographic\u2019")).isEqualTo("typographic\n");
            assertThat(out("'a\u2018\u2019b'")).as("the second quote of a pair is kept").isEqualTo("a\u2019b\n");
            assertThat(out("'mixed\u201B\u201A'")).isEqualTo("mixed\u201A\n");
        }

        @Test
        void an_unescaped_typographic_quote_ends_a_single_quoted_string() {
            ScriptResult r = run("'abc\u2019def'; Stop-Service W3SVC");
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.stdout()).as("nothing runs").isEmpty();
            assertThat(r.stderr()).contains("The string is missing the terminator: '.").contains("ParserError");
        }

        @Test
        void double_quotes_expand_variables_subexpressions_and_escapes() {
            assertThat(out("$n = 5; $h = @{ k = 'v' }; \"n=$n ${n}x $($n * 2) $($h.k) $h.k `$n `\"q`\" \"\"d\"\" tab`tend\""))
                    .isEqualTo("n=5 5x 10 v System.Collections.Hashtable.k $n \"q\" \"d\" tab\tend\n");
        }

        @Test
        void typographic_double_quotes_expand_like_the_ascii_ones() {
            assertThat(out("$n = 1; \u201Cn=$n \u201D\u201D\u201E")).isEqualTo("n=1 \u201D\n");
        }

        @Test
        void environment_variables_come_from_the_host() {
            assertThat(out("$env:COMPUTERNAME; $env:ExchangeInstallPath; $env:WINDIR; \"$env:ProgramData\\x\""))
                    .isEqualTo("LAB-EX01\nC:\\Program Files\\Microsoft\\Exchange Server\\V15\\\nC:\\Windows\nC:\\ProgramData\\x\n");
        }

        @Test
        void here_strings_keep_their_lines_and_only_the_double_quoted_one_expands() {
            String script = "$v = 'x'\n@'\nline $v\n  'quoted' \"too\"\n'@\n@\"\nline $v\n\"quoted\"\n\"@\n";
            assertThat(out(script)).isEqualTo("line $v\n  'quoted' \"too\"\nline x\n\"quoted\"\n");
        }

        @Test
        void text_after_a_here_string_header_is_a_parse_error() {
            ScriptResult r = run("@' x\n'@");
            assertThat(r.stderr()).contains("No characters are allowed after a here-string header but before the end of the line.")
                    .contains("FullyQualifiedErrorId : UnexpectedCharactersAfterHereStringHeader");
        }

        @Test
        void string_methods_behave_as_in_dotnet() {
            assertThat(out("$s = '15.01.2176.002'; $s.Substring(0, 5); $s.Split('.')[2]; ' a '.Trim() + '|'; "
                    + "'AbC'.ToLower(); 'AbC'.ToUpper(); 'abc'.Contains('B'); 'abc'.StartsWith('ab'); 'abc'.EndsWith('bc'); "
                    + "'a-b-c'.Replace('-', '+'); 'abc'.Length"))
                    .isEqualTo("15.01\n2176\na|\nabc\nABC\nFalse\nTrue\nTrue\na+b+c\n3\n");
        }

        @Test
        void a_substring_out_of_range_is_dotnets_exception_in_powershells_words() {
            ScriptResult r = run("'abc'.Substring(2, 5)");
            assertThat(r.stderr()).startsWith("Exception calling \"Substring\" with \"2\" argument(s): \"Index and length "
                    + "must refer to a location within the string.\r\nParameter name: length\"\r\nAt line:1 char:1\r\n")
                    .contains("NotSpecified: (:) [], MethodInvocationException")
                    .contains("FullyQualifiedErrorId : ArgumentOutOfRangeException");
            assertThat(r.exitCode()).isEqualTo(1);
        }
    }

    @Nested
    @DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
    class Syntax {

        @Test
        void statements_are_separated_by_newlines_and_semicolons_and_comments_are_ignored() {
            assertThat(out("'a'; 'b' # comment\n<# block\ncomment #> 'c'\n\n'd'")).isEqualTo("a\nb\nc\nd\n");
        }

        @Test
        void a_line_continues_after_a_pipe_a_backtick_and_inside_brackets() {
            String script = "@(1, 2,\n  3) |\n  ForEach-Object {\n    $_ * 2\n  } |\n  Where-Object { $_ -gt 2 }\n"
                    + "Write-Output `\n  'continued'\n$h = @{\n  a = 1\n  b = 2\n}\n$h.b";
            assertThat(out(script)).isEqualTo("4\n6\ncontinued\n2\n");
        }

        @Test
        void member_access_chains_also_on_command_output_in_parentheses() {
            assertThat(out("(Get-Command ExSetup.exe).FileVersionInfo.FileVersion\n$c = Get-Command ExSetup.exe\n"
                    + "$c.FileVersionInfo.ProductVersion"))
                    .isEqualTo("15.01.2176.002\n15.01.2176.002\n");
        }

        @Test
        void arrays_hashtables_and_indexing() {
            assertThat(out("$a = 1,2,3; $a[0]; $a[-1]; $a.Count; $a[5] -eq $null; $e = @(); $e.Count; @(@(1,2)).Count; "
                    + "$h = @{ a = 1; 'b c' = 'x' }; $h['b c']; $h.a; $h.Count; $h.missing -eq $null; (,1).Count; "
                    + "$x = 5; $x.Count; $null.Count"))
                    .isEqualTo("1\n3\n3\nTrue\n0\n2\nx\n1\n2\nTrue\n1\n1\n0\n");
        }

        @Test
        void pscustomobject_keeps_the_order_of_its_properties() {
            assertThat(out("[pscustomobject]@{ zeta = 1; alpha = 2; mid = 3 } | ConvertTo-Json -Compress"))
                    .isEqualTo("{\"zeta\":1,\"alpha\":2,\"mid\":3}\n");
        }

        @Test
        void casts_convert_as_powershell_does() {
            assertThat(out("[int]'42' + 1; [string]42 + 1; [int]2.5; [int]3.5; [bool]'False'; [bool]''; [int]$null; "
                    + "[string[]]'one' | ForEach-Object { $_.Length }; [version]'15.1.2176.9' -gt [version]'15.1.2106.13'"))
                    .isEqualTo("43\n421\n2\n4\nTrue\nFalse\n0\n3\nTrue\n");
        }

        @Test
        void an_unknown_type_is_a_runtime_error() {
            ScriptResult r = run("[Nope]'x'");
            assertThat(r.stderr()).startsWith("Unable to find type [Nope].").contains("FullyQualifiedErrorId : TypeNotFound");
        }

        @Test
        void a_missing_closing_brace_is_powershells_parse_error() {
            ScriptResult r = run("if ($true) {\n  'x'\n");
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.stdout()).as("nothing runs").isEmpty();
            assertThat(r.stderr()).isEqualTo("At line:1 char:12\r\n+ if ($true) {\r\n+            ~\r\n"
                    + "Missing closing '}' in statement block or type definition.\r\n"
                    + "    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException\r\n"
                    + "    + FullyQualifiedErrorId : MissingEndCurlyBrace\r\n \r\n");
        }

        @Test
        void an_unterminated_string_is_a_parse_error() {
            assertThat(run("'abc").stderr()).contains("The string is missing the terminator: '.");
            assertThat(run("\"abc").stderr()).contains("The string is missing the terminator: \".");
        }

        @Test
        void unsupported_keywords_are_refused_before_anything_runs() {
            ScriptResult r = run("Stop-Service W3SVC\nswitch (1) { 1 { 'one' } }");
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.stderr()).contains("does not support the 'switch' keyword");
        }

        @Test
        void operators_that_are_not_powershell_are_refused() {
            assertThat(run("1 == 1").stderr()).contains("ParserError");
            assertThat(run("$a -foo 1").stderr()).contains("Unexpected token '-foo'");
            assertThat(run("$true && $false").stderr()).contains("The token '&&' is not a valid statement separator");
        }
    }

    @Nested
    @DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
    class Operators {

        @Test
        void comparisons_are_case_insensitive_unless_c_prefixed() {
            assertThat(out("'ABC' -eq 'abc'; 'ABC' -ceq 'abc'; 'abc' -like 'A*'; 'abc' -clike 'A*'; 'abc' -match 'B'; "
                    + "'abc' -cmatch 'B'; 'abc' -notlike '*z*'; 'abc' -notmatch '^b'"))
                    .isEqualTo("True\nFalse\nTrue\nFalse\nTrue\nFalse\nTrue\nTrue\n");
        }

        @Test
        void an_array_on_the_left_filters() {
            assertThat(out("(1,2,3,2 -eq 2).Count; 'a','bb','c' -like '?'; (1,2,3 -ne 2) -join ','; 'x1','y2' -match '\\d$'"))
                    .isEqualTo("2\na\nc\n1,3\nx1\ny2\n");
        }

        @Test
        void match_sets_matches() {
            assertThat(out("if ('15.1.2176.9' -match '^(\\d+)\\.(?<minor>\\d+)') { $Matches[0]; $Matches[1]; $Matches.minor }"))
                    .isEqualTo("15.1\n15\n1\n");
        }

        @Test
        void contains_and_in_test_membership() {
            assertThat(out("@('a','b') -contains 'B'; 'B' -in 'a','b'; 'z' -notin 'a','b'; 1,2 -contains '2'"))
                    .isEqualTo("True\nTrue\nTrue\nTrue\n");
        }

        @Test
        void logical_operators_short_circuit_and_not_binds_to_its_operand() {
            assertThat(out("-not $null; !$true; $false -and (Stop-Service W3SVC); $true -or (Stop-Service W3SVC); "
                    + "-not 1 -eq 0; (Get-Service W3SVC).Status"))
                    .isEqualTo("True\nFalse\nFalse\nTrue\nTrue\nRunning\n");
        }

        @Test
        void plus_adds_numbers_concatenates_strings_and_appends_to_arrays() {
            assertThat(out("1 + '2'; '1' + 2; (@(1) + 2).Count; $null + 5; 10 / 4; 10 / 5; 7 % 3; 'ab' * 2; 2147483647 + 1"))
                    .isEqualTo("3\n12\n2\n5\n2.5\n2\n1\nabab\n2147483648\n");
        }

        @Test
        void adding_text_to_a_number_fails_as_powershell_does() {
            assertThat(run("1 + 'x'").stderr()).startsWith("Cannot convert value \"x\" to type \"System.Int32\". Error: "
                    + "\"Input string was not in a correct format.\"");
        }

        @Test
        void replace_split_join_and_format() {
            assertThat(out("'a.b.c' -replace '\\.', '-'; ('a,b,,c' -split ',').Count; (1..3) -join '+'; "
                    + "'{0}-{1:D3}-{2:N1}' -f 'x', 7, 1234.56; 'x' -replace 'x', '$$'"))
                    .isEqualTo("a-b-c\n4\n1+2+3\nx-007-1,234.6\n$\n");
        }
    }

    @Nested
    @DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
    class ControlFlow {

        @Test
        void if_elseif_else() {
            assertThat(out("foreach ($n in 1,2,3) { if ($n -eq 1) { 'one' } elseif ($n -eq 2) { 'two' }\nelse { 'many' } }"))
                    .isEqualTo("one\ntwo\nmany\n");
        }

        @Test
        void foreach_with_break_and_continue_and_over_null() {
            assertThat(out("foreach ($i in 1..5) { if ($i -eq 2) { continue }; if ($i -eq 4) { break }; $i }\n"
                    + "foreach ($x in $null) { 'never' }\n'end'")).isEqualTo("1\n3\nend\n");
        }

        @Test
        void while_and_increments() {
            assertThat(out("$n = 0; while ($n -lt 3) { $n++ }; $n; $m = 5; $m--; ++$m; $m")).isEqualTo("3\n5\n");
        }

        @Test
        void output_of_statements_can_be_collected() {
            assertThat(out("$r = @(foreach ($i in 1..3) { $i * 2 }); $r.Count; $r -join ','; "
                    + "$v = if ($true) { 'yes' } else { 'no' }; $v"))
                    .isEqualTo("3\n2,4,6\nyes\n");
        }

        @Test
        void exit_sets_the_exit_code_and_stops_the_script() {
            ScriptResult r = run("'before'\nexit 7\n'after'");
            assertThat(r.stdout()).isEqualTo("before\r\n");
            assertThat(r.exitCode()).isEqualTo(7);
            assertThat(run("exit").exitCode()).isZero();
        }

        @Test
        void return_at_the_top_ends_the_script() {
            ScriptResult r = run("'a'\nreturn 'b'\n'c'");
            assertThat(r.stdout()).isEqualTo("a\r\nb\r\n");
            assertThat(r.exitCode()).isZero();
        }

        @Test
        void script_blocks_invoked_with_the_call_operator_get_their_own_scope() {
            assertThat(out("$x = 'outer'; & { $x = 'inner'; $x }; $x; $sb = { param($p = 'd') \"p=$p\" }; & $sb"))
                    .isEqualTo("inner\nouter\np=d\n");
        }
    }

    @Nested
    @DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
    class Pipelines {

        @Test
        void objects_stream_through_where_object_and_foreach_object() {
            assertThat(out("1..6 | Where-Object { $_ % 2 -eq 0 } | ForEach-Object { \"even $_\" }"))
                    .isEqualTo("even 2\neven 4\neven 6\n");
        }

        @Test
        void psitem_is_the_current_object_too() {
            assertThat(out("'a','b' | ForEach-Object { $PSItem.ToUpper() }")).isEqualTo("A\nB\n");
        }

        @Test
        void foreach_object_has_begin_process_and_end_blocks_and_member_names() {
            assertThat(out("1..3 | ForEach-Object -Begin { 'start' } -Process { $_ } -End { 'stop' }\n"
                    + "Get-Service W3SVC, WAS | ForEach-Object Name\n'a','b' | % { $_ + '!' }"))
                    .isEqualTo("start\n1\n2\n3\nstop\nW3SVC\nWAS\na!\nb!\n");
        }

        @Test
        void where_object_has_the_simplified_syntax() {
            assertThat(out("Get-Service | Where-Object Name -like 'MSExchangeUM*' | ForEach-Object { $_.Name }\n"
                    + "Get-Service | ? Status -eq 'Running' | Measure-Object | % Count"))
                    .isEqualTo("MSExchangeUM\nMSExchangeUMCR\n13\n");
        }

        @Test
        void select_sort_and_measure() {
            assertThat(out("3,1,2 | Sort-Object; 3,1,2 | Sort-Object -Descending | Select-Object -First 1; "
                    + "(1..10 | Measure-Object).Count; (1..4 | Measure-Object -Sum).Sum; "
                    + "Get-Service | Sort-Object Name | Select-Object -Last 1 -ExpandProperty Name; "
                    + "'b','a','b' | Select-Object -Unique"))
                    .isEqualTo("1\n2\n3\n3\n10\n10\nWinRM\nb\na\n");
        }

        @Test
        void select_object_makes_new_objects_with_calculated_properties() {
            assertThat(out("Get-Service W3SVC | Select-Object Name, @{ Name = 'Up'; Expression = { $_.Status -eq 'Running' } }"
                    + " | ConvertTo-Json -Compress")).isEqualTo("{\"Name\":\"W3SVC\",\"Up\":true}\n");
        }

        @Test
        void splatting_ordered_hashtables_and_file_redirection() {
            assertThat(out("$p = @{ Name = 'W3SVC' }; Get-Service @p | % Status\n$o = [ordered]@{ z = 1; a = 2 }; $o.Keys -join ','\n"
                    + "'one' > C:\\out.txt; 'two' >> C:\\out.txt; Get-Content C:\\out.txt\nWrite-Host 'hidden' 6> $null"))
                    .isEqualTo("Running\nz,a\none\ntwo\n");
        }

        @Test
        void dot_sourcing_and_scope_qualifiers() {
            assertThat(out("$global:g = 1; & { $global:g = 2 }; $g; . { $dot = 'kept' }; $dot"))
                    .isEqualTo("2\nkept\n");
        }

        @Test
        void set_location_moves_relative_paths() {
            assertThat(out("Set-Location C:\\Patches; (Get-ChildItem -File).Count; Test-Path .\\Exchange2016-KB5000871-x64-en.msp; "
                    + "Get-Location")).isEqualTo("3\nTrue\n\nPath\n----\nC:\\Patches\n\n\n");
        }

        @Test
        void out_null_swallows_output() {
            assertThat(out("'x' | Out-Null; Get-Service | Out-Null; 'y'")).isEqualTo("y\n");
        }

        @Test
        void an_expression_after_a_pipe_is_a_parse_error() {
            assertThat(run("Get-Service | 'x'").stderr()).contains("Expressions are only allowed as the first element of a pipeline.");
            assertThat(run("Get-Service |").stderr()).contains("An empty pipe element is not allowed.");
        }

        @Test
        void redirection_to_null_discards_output_and_errors() {
            ScriptResult r = run("'x' > $null; Get-Item C:\\nope 2>$null; 'y'");
            assertThat(r.stdout()).isEqualTo("y\r\n");
            assertThat(r.stderr()).isEmpty();
        }

        @Test
        void merged_errors_flow_down_the_pipeline() {
            assertThat(out("Get-Item C:\\nope 2>&1 | ForEach-Object { $_.CategoryInfo.Category }; 'done'"))
                    .isEqualTo("ObjectNotFound\ndone\n");
        }
    }

    @Nested
    @DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
    class Formatting {

        @Test
        void services_print_in_their_table_view_with_long_names_cut() {
            assertThat(out("Get-Service MSExchangeFrontEndTransport, W3SVC")).isEqualTo("\n"
                    + "Status   Name               DisplayName\n"
                    + "------   ----               -----------\n"
                    + "Running  MSExchangeFront... Microsoft Exchange Frontend Transport\n"
                    + "Running  W3SVC              World Wide Web Publishing Service\n\n\n");
        }

        @Test
        void small_custom_objects_print_as_a_table_and_large_ones_as_a_list() {
            assertThat(out("[pscustomobject]@{ Name = 'a'; Size = 10 }")).isEqualTo("\nName Size\n---- ----\na      10\n\n\n");
            assertThat(out("[pscustomobject]@{ a = 1; b = 2; c = 3; d = 4; e = 'five' }"))
                    .isEqualTo("\na : 1\nb : 2\nc : 3\nd : 4\ne : five\n\n\n");
        }

        @Test
        void booleans_numbers_and_null_print_as_powershell_prints_them() {
            assertThat(out("$true; 1.5; 0.1 + 0.2; $null; 1e20; [int]::MaxValue")).isEqualTo("True\n1.5\n0.3\n1E+20\n2147483647\n");
        }
    }
}
