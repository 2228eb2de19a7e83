package io.antidote.lab.powershell;

import static io.antidote.lab.powershell.PowerShellLanguageTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Errors as Windows PowerShell 5.1 reports them through powershell.exe -EncodedCommand: their
 * text on standard error, which errors stop what, and the exit code. The exit code follows
 * powershell.exe: an explicit exit wins; an error that ends the script gives 1; otherwise 1 if
 * the last statement failed ($? false) and 0 if it succeeded.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PowerShellErrorsTest {

    private static final String NOT_RECOGNIZED = " is not recognized as the name of a cmdlet, function, script file, or "
            + "operable program. Check the spelling of the name, or if a path was included, verify that the path is correct "
            + "and try again.";

    @Test
    void an_unknown_command_is_reported_as_powershell_does_and_the_script_goes_on() {
        ScriptResult r = run("Invoke-Nothing -Force\n'after'");

        assertThat(r.stderr()).isEqualTo("Invoke-Nothing : The term 'Invoke-Nothing'" + NOT_RECOGNIZED + "\r\n"
                + "At line:1 char:1\r\n"
                + "+ Invoke-Nothing -Force\r\n"
                + "+ ~~~~~~~~~~~~~~\r\n"
                + "    + CategoryInfo          : ObjectNotFound: (Invoke-Nothing:String) [], CommandNotFoundException\r\n"
                + "    + FullyQualifiedErrorId : CommandNotFoundException\r\n"
                + " \r\n");
        assertThat(r.stdout()).isEqualTo("after\r\n");
        assertThat(r.exitCode()).as("the last statement succeeded").isZero();
    }

    @Test
    void an_unknown_command_as_the_last_statement_exits_with_1() {
        ScriptResult r = run("'before'\nInvoke-Nothing");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stdout()).isEqualTo("before\r\n");
    }

    @Test
    void throw_ends_the_script_with_exit_code_1_and_powershells_error_text() {
        ScriptResult r = run("'one'\n  throw \"Not an Exchange build: 14.3\"\n'two'");

        assertThat(r.stdout()).isEqualTo("one\r\n");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).isEqualTo("Not an Exchange build: 14.3\r\n"
                + "At line:2 char:3\r\n"
                + "+   throw \"Not an Exchange build: 14.3\"\r\n"
                + "+   ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\r\n"
                + "    + CategoryInfo          : OperationStopped: (Not an Exchange build: 14.3:String) [], RuntimeException\r\n"
                + "    + FullyQualifiedErrorId : Not an Exchange build: 14.3\r\n"
                + " \r\n");
    }

    @Test
    void a_long_thrown_message_is_shortened_in_category_info_only() {
        String message = "msiexec /update C:\\Patches\\x.msp failed with exit code 1603";
        ScriptResult r = run("throw '" + message + "'");

        assertThat(r.stderr()).contains("OperationStopped: (msiexec /update... exit code 1603:String) [], RuntimeException")
                .contains("FullyQualifiedErrorId : " + message);
    }

    @Test
    void a_non_terminating_cmdlet_error_is_written_and_the_script_continues() {
        ScriptResult r = run("Get-Item C:\\nope\n'after'");

        assertThat(r.stderr()).isEqualTo("Get-Item : Cannot find path 'C:\\nope' because it does not exist.\r\n"
                + "At line:1 char:1\r\n"
                + "+ Get-Item C:\\nope\r\n"
                + "+ ~~~~~~~~~~~~~~~~\r\n"
                + "    + CategoryInfo          : ObjectNotFound: (C:\\nope:String) [Get-Item], ItemNotFoundException\r\n"
                + "    + FullyQualifiedErrorId : PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand\r\n"
                + " \r\n");
        assertThat(r.stdout()).isEqualTo("after\r\n");
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void an_alias_is_named_as_typed_in_the_error() {
        assertThat(run("gci C:\\nope").stderr()).startsWith("gci : Cannot find path 'C:\\nope' because it does not exist.")
                .contains("[Get-ChildItem], ItemNotFoundException");
    }

    @Test
    void error_action_preference_stop_makes_the_first_error_end_the_script() {
        ScriptResult r = run("$ErrorActionPreference = 'Stop'\nGet-Item C:\\nope\n'not reached'");

        assertThat(r.stdout()).isEmpty();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).startsWith("Get-Item : Cannot find path").contains("At line:2 char:1");
    }

    @Test
    void error_action_stop_on_one_command_ends_only_its_statement() {
        ScriptResult r = run("Get-Item C:\\nope -ErrorAction Stop\n'continues'");

        assertThat(r.stdout()).isEqualTo("continues\r\n");
        assertThat(r.stderr()).startsWith("Get-Item : Cannot find path");
    }

    @Test
    void silently_continue_hides_the_error_but_keeps_it_in_error_and_dollar_question_false() {
        ScriptResult r = run("$ErrorActionPreference = 'Stop'\nGet-Item C:\\nope -ErrorAction SilentlyContinue\n$?\n"
                + "$Error.Count\n$Error[0].FullyQualifiedErrorId");

        assertThat(r.stderr()).isEmpty();
        assertThat(r.stdout()).isEqualTo("False\r\n1\r\nPathNotFound,Microsoft.PowerShell.Commands.GetItemCommand\r\n");
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void try_catch_catches_terminating_errors_with_the_record_in_dollar_underscore() {
        ScriptResult r = run("try { Get-Item C:\\nope -ErrorAction Stop; 'skipped' } catch { \"caught: $_\"; "
                + "$_.Exception.Message; $_.CategoryInfo.Reason } finally { 'finally' }\n"
                + "try { Invoke-Nothing } catch [System.Management.Automation.CommandNotFoundException] { 'not found' }\n"
                + "try { throw 'boom' } catch [System.IO.IOException] { 'wrong' } catch { \"general: $_\" }");

        assertThat(r.stderr()).isEmpty();
        assertThat(r.stdout().split("\r\n")).containsExactly(
                "caught: Cannot find path 'C:\\nope' because it does not exist.",
                "Cannot find path 'C:\\nope' because it does not exist.", "ItemNotFoundException", "finally",
                "not found", "general: boom");
    }

    @Test
    void a_non_terminating_error_inside_try_is_not_caught() {
        ScriptResult r = run("try { Get-Item C:\\nope; 'still in try' } catch { 'caught' }");

        assertThat(r.stdout()).isEqualTo("still in try\r\n");
        assertThat(r.stderr()).startsWith("Get-Item : Cannot find path");
    }

    @Test
    void throw_without_an_argument_in_catch_rethrows() {
        ScriptResult r = run("try { throw 'original' } catch { 'handling'; throw }");

        assertThat(r.stdout()).isEqualTo("handling\r\n");
        assertThat(r.stderr()).startsWith("original\r\n");
        assertThat(r.exitCode()).isEqualTo(1);
    }

    @Test
    void write_error_is_prefixed_with_the_command_text_as_from_encoded_command() {
        ScriptResult r = run("Write-Error 'custom failure'");

        assertThat(r.stderr()).isEqualTo("Write-Error 'custom failure' : custom failure\r\n"
                + "    + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException\r\n"
                + "    + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException\r\n"
                + " \r\n");
        assertThat(r.exitCode()).isEqualTo(1);
    }

    @Test
    void a_bad_parameter_is_a_binding_error_pointing_at_it() {
        ScriptResult r = run("Get-Service -Nmae W3SVC");

        assertThat(r.stderr()).isEqualTo("Get-Service : A parameter cannot be found that matches parameter name 'Nmae'.\r\n"
                + "At line:1 char:13\r\n"
                + "+ Get-Service -Nmae W3SVC\r\n"
                + "+             ~~~~~\r\n"
                + "    + CategoryInfo          : InvalidArgument: (:) [Get-Service], ParameterBindingException\r\n"
                + "    + FullyQualifiedErrorId : NamedParameterNotFound,Microsoft.PowerShell.Commands.GetServiceCommand\r\n"
                + " \r\n");
    }

    @Test
    void parameter_names_may_be_abbreviated_unless_ambiguous() {
        assertThat(run("Get-ChildItem C:\\Patches -Filt *2016* -N").stdout()).isEqualTo("Exchange2016-KB5000871-x64-en.msp\r\n");
        assertThat(run("Get-ChildItem C:\\Patches -F *2016*").stderr())
                .startsWith("Get-ChildItem : Parameter cannot be processed because the parameter name 'F' is ambiguous. "
                        + "Possible matches include: -Filter -Force -File.")
                .contains("AmbiguousParameter,Microsoft.PowerShell.Commands.GetChildItemCommand");
    }

    @Test
    void null_and_empty_arguments_fail_validation() {
        assertThat(run("Test-Path $null").stderr()).startsWith("Test-Path : Cannot bind argument to parameter 'Path' "
                + "because it is null.").contains("ParameterArgumentValidationErrorNullNotAllowed");
        assertThat(run("Join-Path '' 'x'").stderr()).contains("because it is an empty string.");
    }

    @Test
    void a_method_on_null_and_an_index_into_null_are_runtime_errors() {
        assertThat(run("$x.Trim()").stderr()).startsWith("You cannot call a method on a null-valued expression.")
                .contains("InvalidOperation: (:) [], RuntimeException").contains("InvokeMethodOnNull");
        assertThat(run("$x[0]").stderr()).startsWith("Cannot index into a null array.").contains("NullArray");
    }

    @Test
    void assigning_to_a_constant_fails() {
        assertThat(run("$true = 1").stderr()).startsWith("Cannot overwrite variable true because it is read-only or constant.");
    }

    @Test
    void an_invalid_error_action_preference_is_refused_on_assignment() {
        ScriptResult r = run("$ErrorActionPreference = 'Stopp'\n'after'");

        assertThat(r.stderr()).startsWith("Cannot convert value \"Stopp\" to type "
                + "\"System.Management.Automation.ActionPreference\".");
        assertThat(r.stdout()).isEqualTo("after\r\n");
    }

    @Test
    void a_parse_error_runs_nothing_and_exits_1() {
        ScriptResult r = run("Stop-Service W3SVC\nif ($x -eq) { }");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).isEqualTo("At line:2 char:11\r\n+ if ($x -eq) { }\r\n+           ~\r\n"
                + "You must provide a value expression following the '-eq' operator.\r\n"
                + "    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException\r\n"
                + "    + FullyQualifiedErrorId : ExpectedValueExpression\r\n \r\n");
    }

    @Test
    void a_native_command_failing_last_gives_exit_code_1_and_sets_lastexitcode() {
        ScriptResult r = run("msiexec /update C:\\Patches\\nothing.msp /quiet");
        assertThat(r.exitCode()).isEqualTo(1);

        ScriptResult checked = run("msiexec /update C:\\Patches\\nothing.msp /quiet\n$LASTEXITCODE");
        assertThat(checked.stdout()).isEqualTo("1619\r\n");
        assertThat(checked.exitCode()).isZero();
    }

    @Test
    void a_runaway_loop_is_stopped_by_the_lab() {
        ScriptResult r = run("while ($true) { }");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("The lab stopped the script");
    }

    @Test
    void a_huge_value_is_stopped_by_the_lab() {
        ScriptResult r = run("$s = 'x' * 100000000");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("The lab stopped the script");
    }

    @Test
    void an_error_inside_a_condition_ends_the_whole_if_statement() {
        ScriptResult r = run("if (-not (Get-NetFirewallRul -DisplayName x)) { New-NetFirewallRule -DisplayName x "
                + "-Direction Inbound -Protocol TCP -LocalPort 443 -Action Block }\n'next'");

        assertThat(r.stdout()).as("the body did not run").isEqualTo("next\r\n");
        assertThat(r.stderr()).startsWith("Get-NetFirewallRul : The term 'Get-NetFirewallRul'");
    }

    @Test
    void an_error_on_the_right_of_an_assignment_leaves_the_variable_alone() {
        assertThat(run("$x = 'old'; $x = (Invoke-Nothing); $x").stdout()).isEqualTo("old\r\n");
        assertThat(run("$y = $(Invoke-Nothing; 'rest of the subexpression runs'); $y").stdout())
                .isEqualTo("rest of the subexpression runs\r\n");
    }
}
