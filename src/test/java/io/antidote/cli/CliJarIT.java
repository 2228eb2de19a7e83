package io.antidote.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file the README installs, {@code target/antidote}, as a process of its own: it must run with a bare JVM and
 * nothing but what it carries (a class the shaded jar left out would fail here, not in the in-process tests).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CliJarIT {

    private static final Path LAUNCHER = Path.of("target/antidote");

    @TempDir
    Path dir;

    record Ran(int exit, String out) {
    }

    private Ran antidote(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("ANTIDOTE_CONFIG", dir.resolve("config").toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("antidote %s finished", List.of(args)).isTrue();
        return new Ran(process.exitValue(), out);
    }

    @Test
    void the_installed_file_is_executable_and_lists_its_commands_and_exit_codes() throws Exception {
        assertThat(Files.isExecutable(LAUNCHER)).as("%s is executable", LAUNCHER).isTrue();
        Ran help = antidote("--help");
        assertThat(help.exit()).as(help.out()).isZero();
        assertThat(help.out()).contains("login", "runs", "run", "approve", "reject", "cancel", "retry", "servers",
                "verify", "lint", "Exit codes:");
    }

    @Test
    void it_lints_the_shipped_playbooks_clean_and_a_broken_one_at_its_line() throws Exception {
        Ran shipped = antidote("lint", "playbooks");
        assertThat(shipped.exit()).as(shipped.out()).isZero();
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "name: broken\ndescription: x\nversion: 1\nsteps:\n  - id: a\n    bogus: 1\n");
        Ran lint = antidote("lint", broken.toString());
        assertThat(lint.exit()).as(lint.out()).isEqualTo(Exit.FAILED);
        assertThat(lint.out()).contains(broken + ":6:5: unknown key 'bogus'");
    }

    @Test
    void it_verifies_offline_and_needs_a_login_for_the_rest() throws Exception {
        Ran unreadable = antidote("verify", dir.resolve("missing.jsonl").toString(), dir.resolve("missing.pub").toString());
        assertThat(unreadable.exit()).as(unreadable.out()).isEqualTo(Exit.FAILED);
        assertThat(unreadable.out()).contains("cannot verify");
        Ran list = antidote("runs", "list");
        assertThat(list.exit()).as(list.out()).isEqualTo(Exit.DENIED);
        assertThat(list.out()).contains("antidote login");
        Ran usage = antidote("run");
        assertThat(usage.exit()).as(usage.out()).isEqualTo(Exit.USAGE);
    }
}
