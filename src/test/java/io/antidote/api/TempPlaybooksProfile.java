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

    /**
     * Captures the host's Exchange build, a hostile string and an echoed secret; runs its second step only on
     * Exchange 2019 CU8; its third step prints what it received from the first two (hostile text as base64
     * of its UTF-8 bytes, so the comparison sees every character).
     */
    static final String OUTPUTS_PROBE = """
            name: outputs-probe
            description: Test only. Passes outputs between steps and skips a step by condition.
            params:
              hostile:
                type: string
              token:
                type: secret
                required: false
            steps:
              - id: precheck
                powershell: |
                  $build = (Get-Command ExSetup.exe).FileVersionInfo.FileVersion
                  [pscustomobject]@{ build = $build; hostile = $hostile; tokenEcho = "token=$token" } | ConvertTo-Json -Compress
                outputs: { build: build, hostile: hostile, tokenEcho: tokenEcho }
              - id: only-exchange-2019
                when: { step: precheck, output: build, equals: '15.02.0792.003' }   # ExSetup's FileVersion of 2019 CU8
                powershell: |
                  [pscustomobject]@{ ran = $true } | ConvertTo-Json -Compress
                outputs: { ran: ran }
              - id: receive
                powershell: |
                  $utf8 = [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($steps_precheck_hostile))
                  [pscustomobject]@{ build = $steps_precheck_build; hostile = $utf8; tokenEcho = $steps_precheck_tokenEcho; ran = $steps_only_exchange_2019_ran } | ConvertTo-Json -Compress
            """;

    /** Echoes its secret in a JSON field whose check fails, so the failure's reason quotes the echo. */
    static final String SECRET_ECHO_PROBE = """
            name: secret-echo-probe
            description: Test only. Prints its secret back and fails its check on it.
            params:
              token:
                type: secret
            steps:
              - id: echo
                powershell: |
                  [pscustomobject]@{ token = "token=$token" } | ConvertTo-Json -Compress
                expect:
                  json:
                    token: { equals: nothing }
            """;

    /**
     * Captures an output, then waits for an approval before a step that changes the server and gets a secret, a
     * string and that output: what the approver is shown must be the very script the host then receives.
     */
    static final String APPROVAL_SCRIPT_PROBE = """
            name: approval-script-probe
            description: Test only. Waits for an approval before a step that gets a secret and an earlier output.
            params:
              token:
                type: secret
              note:
                type: string
            steps:
              - id: look
                readOnly: true
                powershell: |
                  [pscustomobject]@{ seen = 'seen it' } | ConvertTo-Json -Compress
                outputs: { seen: seen }
              - id: apply
                approval:
                  role: approver
                powershell: |
                  [pscustomobject]@{ applied = "$note, $steps_look_seen"; token = "token=$token" } | ConvertTo-Json -Compress
            """;

    public static final Path DIR = create();

    private static Path create() {
        try {
            Path dir = Files.createTempDirectory("antidote-playbooks");
            Files.copy(Path.of("playbooks/proxylogon-remediation.yaml"), dir.resolve("proxylogon-remediation.yaml"));
            Files.writeString(dir.resolve("injection-probe.yaml"), INJECTION_PROBE);
            Files.writeString(dir.resolve("reload-probe.yaml"), RELOAD_PROBE);
            copyStepLibrary(dir);
            Files.writeString(dir.resolve("steps/echo-input.yaml"), ECHO_STEP);
            Files.writeString(dir.resolve("library-probe.yaml"), LIBRARY_PROBE);
            Files.writeString(dir.resolve("held-library-probe.yaml"), HELD_PROBE);
            Files.writeString(dir.resolve("default-targets-probe.yaml"), DEFAULT_TARGETS_PROBE);
            Files.writeString(dir.resolve("outputs-probe.yaml"), OUTPUTS_PROBE);
            Files.writeString(dir.resolve("secret-echo-probe.yaml"), SECRET_ECHO_PROBE);
            Files.writeString(dir.resolve("approval-script-probe.yaml"), APPROVAL_SCRIPT_PROBE);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The project's step library, which the ProxyLogon playbooks use, copied next to playbooks under test. */
    static void copyStepLibrary(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("steps"));
        try (var library = Files.list(Path.of("playbooks", "steps"))) {
            for (Path step : library.toList()) {
                Files.copy(step, dir.resolve("steps").resolve(step.getFileName().toString()));
            }
        }
    }

    /**
     * The OpenTelemetry SDK is on, with no exporter: spans go to {@link CapturedSpans} only, for
     * {@link RunTracesTest}. It shares this application rather than boot one of its own (some 20 s of the suite),
     * and the other tests here see nothing of the SDK but their requests' spans kept in memory.
     */
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("antidote.playbooks.dir", DIR.toString(), "antidote.playbooks.reload-interval", "200ms",
                "quarkus.otel.sdk.disabled", "false",
                "quarkus.otel.exporter.otlp.enabled", "false");
    }
}
