package io.antidote.lab.powershell;

import io.antidote.lab.exchange.ExchangeServer;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The lab's PowerShell: runs a script against one simulated Exchange server, as one
 * {@code powershell.exe -EncodedCommand} process would on that host. Each run is a fresh session
 * (no variables survive between runs); the server's state is what carries over.
 *
 * <p>Runs on one server are serialised: the server's lock is held for the whole script, so two
 * shells on one host see each other's changes only between scripts. Script errors never throw:
 * they come back as standard error and an exit code. The supported subset of the language and
 * its cmdlets is described in {@code docs/lab-powershell.md}.
 */
public final class PowerShell {

    private final ExchangeServer server;
    private final Clock clock;

    public PowerShell(ExchangeServer server) {
        this(server, Clock.systemUTC());
    }

    /** With the clock that tells the model the time (install dates, Get-Date). */
    public PowerShell(ExchangeServer server, Clock clock) {
        this.server = Objects.requireNonNull(server, "server");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public ScriptResult run(String script) {
        return run(script, () -> "");
    }

    /**
     * With the process's standard input, which the script reads as {@code $input}: {@code stdin} is asked for it
     * the first time the script does (and may block until the client has sent all of it).
     */
    public ScriptResult run(String script, Supplier<String> stdin) {
        Objects.requireNonNull(stdin, "stdin");
        String text = script == null ? "" : script;
        synchronized (server) {
            Ast.ScriptAst ast;
            try {
                ast = Parser.parse(text);
            } catch (ParseException e) {
                return new ScriptResult("", parseError(text, e), 1);
            } catch (StackOverflowError e) {
                return new ScriptResult("", "The script is nested too deeply for the lab to parse." + ErrorRecord.NL, 1);
            }
            Interpreter in = new Interpreter(server, text, () -> LocalDateTime.now(clock), stdin);
            try {
                return in.run(ast);
            } catch (StackOverflowError e) {
                return new ScriptResult("", "The script is nested too deeply for the lab to run." + ErrorRecord.NL, 1);
            }
        }
    }

    /** PowerShell's shape for a script that does not parse: position first, then the message. */
    private static String parseError(String script, ParseException e) {
        int at = Math.min(e.position(), script.length());
        ErrorRecord.Position p = new SourceText(script).position(new Ast.Extent(at, at + 1));
        String squiggle = "+ " + " ".repeat(Math.max(0, p.column() - 1)) + "~";
        return "At line:" + p.line() + " char:" + p.column() + ErrorRecord.NL
                + "+ " + p.lineText() + ErrorRecord.NL
                + squiggle + ErrorRecord.NL
                + e.getMessage() + ErrorRecord.NL
                + "    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException" + ErrorRecord.NL
                + "    + FullyQualifiedErrorId : " + e.errorId() + ErrorRecord.NL
                + " " + ErrorRecord.NL;
    }
}
