package io.antidote.cli;

import java.net.URI;
import picocli.CommandLine.Option;

/**
 * Which service a command talks to and with which token: {@code --server} or {@code ANTIDOTE_SERVER}, else the
 * server {@code antidote login} stored; {@code ANTIDOTE_TOKEN}, else the stored token, which is only ever sent to
 * the server it was stored for (a token never leaks to another server named on the command line).
 */
final class Connection {

    @Option(names = "--server", paramLabel = "URL", description = "The service, e.g. https://antidote.example:8443 "
            + "(default: $ANTIDOTE_SERVER, else the one `antidote login` stored).")
    URI server;

    private final Console console;

    Connection(Console console) {
        this.console = console;
    }

    Api api() {
        Settings stored = Settings.read(console.configFile());
        URI chosen = server != null ? server
                : console.env().get("ANTIDOTE_SERVER") != null ? URI.create(console.env().get("ANTIDOTE_SERVER"))
                : stored.server();
        if (chosen == null) {
            throw new CommandFailed(Exit.DENIED, "no server: run `antidote login --server URL` first, or give --server");
        }
        String token = console.env().get("ANTIDOTE_TOKEN");
        if (token == null && stored.server() != null && same(stored.server(), chosen)) {
            token = stored.token();
        }
        return new Api(withSlash(chosen), token);
    }

    static URI withSlash(URI server) {
        String text = server.toString();
        return URI.create(text.endsWith("/") ? text : text + "/");
    }

    private static boolean same(URI a, URI b) {
        return withSlash(a).equals(withSlash(b));
    }
}
