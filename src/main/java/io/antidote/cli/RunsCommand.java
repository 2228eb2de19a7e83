package io.antidote.cli;

import picocli.CommandLine.Command;

/** {@code antidote runs list|show|watch}. */
@Command(name = "runs", description = "List, show and watch runs.",
        subcommands = {RunsListCommand.class, RunsShowCommand.class, RunsWatchCommand.class},
        mixinStandardHelpOptions = true)
final class RunsCommand implements Runnable {

    private final Console console;

    RunsCommand(Console console) {
        this.console = console;
    }

    @Override
    public void run() {
        throw new CommandFailed(Exit.USAGE, "say which: antidote runs list | show RUN | watch RUN");
    }
}
