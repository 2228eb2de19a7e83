package io.antidote.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code antidote} command line: the service's API for admins, approvers, auditors and scripts, plus two
 * commands that need no server ({@code verify}, {@code lint}). Exit codes are {@link Exit}'s; docs/cli.md has the
 * commands. No Quarkus here: this runs as a plain jar (target/antidote-cli.jar), the service's main stays Quarkus's.
 */
@Command(name = "antidote", mixinStandardHelpOptions = true, versionProvider = Antidote.Version.class,
        description = "Request, watch, approve and verify Antidote runs; lint playbooks offline.",
        subcommands = {LoginCommand.class, RunsCommand.class, RunCommand.class, ApproveCommand.class,
                RejectCommand.class, CancelCommand.class, RetryCommand.class, ServersCommand.class,
                ExportCommand.class, KeysCommand.class, VerifyCommand.class, LintCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done; a watched run succeeded; an export verifies; files lint clean",
                "1:a run failed or was cancelled; verification failed; lint found errors; not confirmed",
                "2:usage error, or the service refused the request as invalid (400, 422)",
                "3:not logged in, unauthorized, forbidden or not found (401, 403, 404)",
                "4:conflict: the run is not in a state that allows it (409)",
                "5:the service is unreachable or failed (5xx, network)"})
public final class Antidote implements Runnable {

    private final Console console;

    Antidote(Console console) {
        this.console = console;
    }

    public static void main(String[] args) {
        System.exit(run(args, Console.system()));
    }

    /** Runs one command line with these streams and environment; returns the exit code (never exits). */
    public static int run(String[] args, Console console) {
        CommandLine commandLine = new CommandLine(Antidote.class, new Factory(console));
        commandLine.setOut(console.out());
        commandLine.setErr(console.err());
        commandLine.setExecutionExceptionHandler((exception, line, parsed) -> {
            if (exception instanceof CommandFailed failed) {
                console.err().println("antidote: " + failed.getMessage());
                console.err().flush();
                return failed.exitCode();
            }
            throw exception;
        });
        int code = commandLine.execute(args);
        console.out().flush();
        console.err().flush();
        return code;
    }

    @Override
    public void run() {
        new CommandLine(this, new Factory(console)).usage(console.out());
    }

    /** Gives every command and mixin that asks for it the {@link Console} it runs in. */
    private record Factory(Console console) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                var constructor = type.getDeclaredConstructor(Console.class);
                constructor.setAccessible(true);
                return constructor.newInstance(console);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }

    /** The version this jar was built as. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Antidote.class.getPackage().getImplementationVersion();
            return new String[] {"antidote " + (version == null ? "(development build)" : version)};
        }
    }
}
