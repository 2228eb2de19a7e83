package io.antidote.api;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The catalog reads a throwaway copy of {@code playbooks/} (the remediation and the step library) plus
 * test-only playbooks, polled every
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

    /** A library step that echoes its input back, as base64 of its UTF-8 bytes, like the injection probe. */
    static final String ECHO_STEP = """
            description: Test only. Prints its input back as JSON.
            inputs:
              value:
                type: string
              tag:
                type: string
                default: library
            powershell: |
              $utf8 = [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($value))
              [pscustomobject]@{ utf8 = $utf8; length = $value.Length; tag = $tag } | ConvertTo-Json -Compress
            expect:
              exitCode: 0
            """;

    /** Runs the echo library step with its parameter as the input, on every target at once. */
    static final String LIBRARY_PROBE = """
            name: library-probe
            description: Test only. Runs a library step with a parameter as its input.
            params:
              value:
                type: string
            strategy:
              batchSize: 100%
            steps:
              - id: echo
                uses: echo-input
                with:
                  value: { param: value }
                  tag: from-playbook
            """;

    static final String HELD_PROBE = """
            name: held-library-probe
            description: Test only. Waits for an approval, then runs a library step.
            steps:
              - id: echo
                uses: echo-input
                with:
                  value: held
                approval:
                  role: ops
                  requesterMayApprove: true
            """;

    static final String DEFAULT_TARGETS_PROBE = """
            name: default-targets-probe
            description: Test only. Acts on lab-ex01 and every Exchange 2013 host unless a request names targets.
            targets:
              names: [lab-ex01]
              labels: { version: 2013 }
            steps:
              - id: date
                powershell: Get-Date
            """;

    static final Path DIR = create();

    private static Path create() {
        try {
            Path dir = Files.createTempDirectory("antidote-playbooks");
            Files.copy(Path.of("playbooks/proxylogon-remediation.yaml"), dir.resolve("proxylogon-remediation.yaml"));
            Files.writeString(dir.resolve("injection-probe.yaml"), INJECTION_PROBE);
            Files.writeString(dir.resolve("reload-probe.yaml"), RELOAD_PROBE);
            Files.createDirectories(dir.resolve("steps"));
            try (var library = Files.list(Path.of("playbooks", "steps"))) {
                for (Path step : library.toList()) {
                    Files.copy(step, dir.resolve("steps").resolve(step.getFileName().toString()));
                }
            }
            Files.writeString(dir.resolve("steps/echo-input.yaml"), ECHO_STEP);
            Files.writeString(dir.resolve("library-probe.yaml"), LIBRARY_PROBE);
            Files.writeString(dir.resolve("held-library-probe.yaml"), HELD_PROBE);
            Files.writeString(dir.resolve("default-targets-probe.yaml"), DEFAULT_TARGETS_PROBE);
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
