package io.antidote.api;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The catalog reads a throwaway copy of {@code playbooks/} plus test-only playbooks, polled every
 * 200ms, so tests can edit files without touching the real directory and without shipping probe
 * playbooks in {@code playbooks/} (where every deployment would load them).
 */
public class TempPlaybooksProfile implements QuarkusTestProfile {

    /**
     * Echoes its parameter back as JSON: what the host received, as base64 of its UTF-8 bytes, because
     * a host's console code page turns non-ASCII output into '?' and the test must see every character.
     */
    static final String INJECTION_PROBE = """
            name: injection-probe
            description: Test only. Prints its parameter back as JSON.
            params:
              value:
                type: string
              token:
                type: secret
                required: false
            steps:
              - id: echo
                powershell: |
                  $utf8 = [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($value))
                  [pscustomobject]@{ utf8 = $utf8; length = $value.Length } | ConvertTo-Json -Compress
                expect:
                  exitCode: 0
            """;

    static final String RELOAD_PROBE = """
            name: reload-probe
            description: Test only. Its file is edited while runs are requested.
            steps:
              - id: say
                powershell: |
                  'version one'
            """;

    static final Path DIR = create();

    private static Path create() {
        try {
            Path dir = Files.createTempDirectory("antidote-playbooks");
            Files.copy(Path.of("playbooks/proxylogon-remediation.yaml"), dir.resolve("proxylogon-remediation.yaml"));
            Files.writeString(dir.resolve("injection-probe.yaml"), INJECTION_PROBE);
            Files.writeString(dir.resolve("reload-probe.yaml"), RELOAD_PROBE);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("antidote.playbooks.dir", DIR.toString(), "antidote.playbooks.reload-interval", "200ms");
    }
}
