package io.antidote.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command may touch of the world it runs in: its streams, its environment and where its settings live.
 * The process gives the real ones; a test runs the same commands in-process with its own.
 *
 * @param env    the environment variables the CLI reads (ANTIDOTE_SERVER, ANTIDOTE_TOKEN, ANTIDOTE_CONFIG, HOME,
 *               XDG_CONFIG_HOME)
 * @param secret reads a secret typed at a terminal without echo, or null when there is no terminal
 */
public record Console(BufferedReader in, PrintWriter out, PrintWriter err, Map<String, String> env, SecretReader secret) {

    /** Reads one secret line from a terminal without echoing it. */
    public interface SecretReader {
        String read(String prompt);
    }

    static Console system() {
        java.io.Console terminal = System.console();
        SecretReader secret = terminal == null ? null : prompt -> {
            char[] typed = terminal.readPassword("%s", prompt);
            return typed == null ? null : new String(typed);
        };
        return new Console(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), System.getenv(), secret);
    }

    /** {@code ~/.config/antidote/config}, or {@code $XDG_CONFIG_HOME/antidote/config}, or {@code $ANTIDOTE_CONFIG}. */
    Path configFile() {
        String explicit = env.get("ANTIDOTE_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return base.resolve("antidote").resolve("config");
    }
}
