package io.antidote.cli;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Stores the server and an API token (from {@code POST /api/v1/tokens}, or the lab's) after checking that the
 * service takes it. The token is read from the terminal without echo, or from standard input, never from the
 * command line, where other users could see it in the process list and it would stay in the shell's history.
 */
@Command(name = "login", description = "Store the server and an API token (read from the terminal or standard input) "
        + "in ~/.config/antidote/config, readable by you only.")
final class LoginCommand implements Callable<Integer> {

    @Option(names = "--server", required = true, paramLabel = "URL", description = "The service, e.g. http://localhost:8080")
    URI server;

    private final Console console;

    LoginCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        String token = readToken();
        if (token == null || token.isBlank()) {
            throw new CommandFailed(Exit.USAGE, "no token given (type it, or pipe it on standard input)");
        }
        token = token.strip();
        URI base = Connection.withSlash(server);
        try {
            new Api(base, token).get("api/v1/runs?size=1");
        } catch (CommandFailed refused) {
            if (refused.httpStatus() != 403) {
                throw new CommandFailed(refused.exitCode(), "the token was not accepted, nothing stored: " + refused.getMessage());
            }
            console.err().println("antidote: note: this token may not list runs; stored all the same");
        }
        new Settings(base, token).write(console.configFile());
        console.out().println("Logged in to " + base + " (token stored in " + console.configFile() + ")");
        return Exit.OK;
    }

    private String readToken() {
        if (console.secret() != null) {
            return console.secret().read("API token for " + server + ": ");
        }
        try {
            return console.in().readLine();
        } catch (IOException e) {
            throw new CommandFailed(Exit.USAGE, "cannot read the token from standard input: " + e.getMessage());
        }
    }
}
