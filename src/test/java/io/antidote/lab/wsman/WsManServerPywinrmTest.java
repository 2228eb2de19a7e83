package io.antidote.lab.wsman;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A second, independent WinRM client (Python's pywinrm, Debian's python3-winrm) against a lab
 * host, so that the lab is not merely shaped to WinRM4j's tolerances: pywinrm checks RelatesTo
 * and finds the ShellId and exit code its own way.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WsManServerPywinrmTest {

    private static final String CLIENT = String.join("\n",
            "import json, sys, winrm",
            "session = winrm.Session('http://127.0.0.1:%s/wsman' % sys.argv[1], auth=('lab', 'password'), transport='basic')",
            "cmd = session.run_cmd('ipconfig', ['/all'])",
            "ps = session.run_ps('Write-Output hi')",
            "print(json.dumps({",
            "    'cmd': {'out': cmd.std_out.decode('cp437'), 'err': cmd.std_err.decode('cp437'), 'code': cmd.status_code},",
            "    'ps': {'out': ps.std_out.decode('cp437'), 'err': ps.std_err.decode('cp437'), 'code': ps.status_code},",
            "}))",
            "");

    /** NTLM with MS-WSMV encryption; prints what ran, or the name of the error pywinrm raised. */
    private static final String NTLM_CLIENT = String.join("\n",
            "import json, sys, winrm",
            "port, password, encryption = sys.argv[1], sys.argv[2], sys.argv[3]",
            "session = winrm.Session('http://127.0.0.1:%s/wsman' % port, auth=('lab', password), transport='ntlm',",
            "                        message_encryption=encryption)",
            "try:",
            "    ps = session.run_ps('Write-Output hi')",
            "    cmd = session.run_cmd('hostname')",
            "except Exception as e:",
            "    print(json.dumps({'error': type(e).__name__}))",
            "    sys.exit(0)",
            "print(json.dumps({'out': ps.std_out.decode('cp437'), 'code': ps.status_code,",
            "                  'cmd': cmd.std_out.decode('cp437'),",
            "                  'encrypted': session.protocol.transport.encryption is not None}))",
            "");

    /**
     * python3-ntlm-auth hashes with hashlib's MD4, which OpenSSL 3 keeps in its legacy provider:
     * without this configuration pywinrm's NTLM fails on Debian 12 before it sends anything.
     */
    private static final String OPENSSL_WITH_LEGACY_PROVIDER = String.join("\n",
            "openssl_conf = openssl_init",
            "[openssl_init]",
            "providers = provider_sect",
            "[provider_sect]",
            "default = default_sect",
            "legacy = legacy_sect",
            "[default_sect]",
            "activate = 1",
            "[legacy_sect]",
            "activate = 1",
            "");

    private static final String IPCONFIG = "\r\nWindows IP Configuration\r\n\r\n   Host Name . . . . . . . . . . . . : LAB-EX01\r\n";

    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        RunningLabHost.await(vertx.close());
    }

    @Test
    void pywinrm_runs_a_command_with_arguments_and_a_powershell_script(@TempDir Path dir) throws Exception {
        Optional<String> python = pythonWithWinrm();
        Assumptions.assumeTrue(python.isPresent(),
                "no python3 with the winrm module (Debian package python3-winrm) on this machine");

        try (RunningLabHost host = RunningLabHost.start(vertx, line -> {
            if (line.equals("ipconfig /all")) {
                return new CommandOutput(IPCONFIG, "", 0);
            }
            return EncodedCommand.decode(line).filter("Write-Output hi"::equals)
                    .map(script -> new CommandOutput("hi\r\n", "", 0))
                    .orElse(new CommandOutput("", "'" + line + "' is not recognized\r\n", 1));
        })) {
            Path script = Files.writeString(dir.resolve("client.py"), CLIENT);
            Process process = new ProcessBuilder(python.get(), script.toString(), String.valueOf(host.port))
                    .redirectErrorStream(false).start();
            boolean finished = process.waitFor(30, TimeUnit.SECONDS);
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(finished).as("pywinrm finished").isTrue();
            assertThat(process.exitValue()).as("pywinrm exit status; its stderr: %s", stderr).isZero();

            JsonNode result = new ObjectMapper().readTree(stdout);
            assertThat(result.at("/cmd/out").asText()).isEqualTo(IPCONFIG);
            assertThat(result.at("/cmd/code").asInt()).isZero();
            assertThat(result.at("/ps/out").asText()).isEqualTo("hi\r\n");
            assertThat(result.at("/ps/err").asText()).isEmpty();
            assertThat(result.at("/ps/code").asInt()).isZero();
            assertThat(host.commandLines).as("Command and Arguments joined with spaces")
                    .startsWith("ipconfig /all").hasSize(2);
        }
    }

    @ParameterizedTest(name = "message_encryption={0}")
    @ValueSource(strings = {"always", "auto"})
    void pywinrm_over_ntlm_runs_powershell_with_its_messages_encrypted(String encryption, @TempDir Path dir)
            throws Exception {
        String python = pythonWithNtlm(dir);
        try (RunningLabHost host = RunningLabHost.start(vertx, PywinrmNtlm::answer)) {
            JsonNode result = runNtlmClient(python, dir, host.port, "password", encryption);

            assertThat(result.at("/error").isMissingNode()).as("pywinrm raised %s", result.at("/error")).isTrue();
            assertThat(result.at("/out").asText()).isEqualTo("hi\r\n");
            assertThat(result.at("/code").asInt()).isZero();
            assertThat(result.at("/cmd").asText()).isEqualTo("LAB-EX01\r\n");
            assertThat(result.at("/encrypted").asBoolean()).as("pywinrm encrypted its messages").isTrue();
            assertThat(host.commandLines).hasSize(2);
        }
    }

    @Test
    void pywinrm_with_a_wrong_ntlm_password_reports_invalid_credentials(@TempDir Path dir) throws Exception {
        String python = pythonWithNtlm(dir);
        try (RunningLabHost host = RunningLabHost.start(vertx, PywinrmNtlm::answer)) {
            JsonNode result = runNtlmClient(python, dir, host.port, "not-the-password", "auto");

            assertThat(result.at("/error").asText()).isEqualTo("InvalidCredentialsError");
            assertThat(host.commandLines).isEmpty();
        }
    }

    /** What the NTLM tests' host answers. */
    private static final class PywinrmNtlm {
        static CommandOutput answer(String line) {
            if (line.equals("hostname")) {
                return new CommandOutput("LAB-EX01\r\n", "", 0);
            }
            return EncodedCommand.decode(line).filter("Write-Output hi"::equals)
                    .map(script -> new CommandOutput("hi\r\n", "", 0))
                    .orElse(new CommandOutput("", "'" + line + "' is not recognized\r\n", 1));
        }
    }

    private static JsonNode runNtlmClient(String python, Path dir, int port, String password, String encryption)
            throws Exception {
        Path script = Files.writeString(dir.resolve("ntlm_client.py"), NTLM_CLIENT);
        ProcessBuilder builder = new ProcessBuilder(python, script.toString(), String.valueOf(port), password,
                encryption);
        builder.environment().put("OPENSSL_CONF", openSslConfig(dir).toString());
        Process process = builder.start();
        boolean finished = process.waitFor(30, TimeUnit.SECONDS);
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(finished).as("pywinrm finished").isTrue();
        assertThat(process.exitValue()).as("pywinrm exit status; its stderr: %s", stderr).isZero();
        return new ObjectMapper().readTree(stdout);
    }

    /** A Python with pywinrm whose hashlib can do MD4 once OpenSSL's legacy provider is on; skips otherwise. */
    static String pythonWithNtlm(Path dir) throws Exception {
        Optional<String> python = pythonWithWinrm();
        Assumptions.assumeTrue(python.isPresent(),
                "no python3 with the winrm module (Debian package python3-winrm) on this machine");
        ProcessBuilder probe = new ProcessBuilder(python.get(), "-c",
                "import hashlib, requests_ntlm; hashlib.new('md4', b'')").redirectErrorStream(true);
        probe.environment().put("OPENSSL_CONF", openSslConfig(dir).toString());
        Process process = probe.start();
        process.getInputStream().readAllBytes();
        Assumptions.assumeTrue(process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0,
                "this Python has no requests_ntlm (python3-requests-ntlm) or no MD4 even with OpenSSL's legacy provider");
        return python.get();
    }

    /** An OpenSSL configuration with the legacy provider on, for {@code OPENSSL_CONF}. */
    static Path openSslConfig(Path dir) throws IOException {
        Path config = dir.resolve("openssl.cnf");
        if (!Files.exists(config)) {
            Files.writeString(config, OPENSSL_WITH_LEGACY_PROVIDER);
        }
        return config;
    }

    /** The pyenv shim on PATH may lack the Debian module that /usr/bin/python3 has. */
    static Optional<String> pythonWithWinrm() {
        for (String candidate : List.of("python3", "/usr/bin/python3")) {
            try {
                Process probe = new ProcessBuilder(candidate, "-c", "import winrm").redirectErrorStream(true).start();
                probe.getInputStream().readAllBytes();
                if (probe.waitFor(20, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                    return Optional.of(candidate);
                }
            } catch (IOException notInstalled) {
                // try the next interpreter
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
