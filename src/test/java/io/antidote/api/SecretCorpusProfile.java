package io.antidote.api;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A test-only playbook whose steps print two secrets in every way {@link SecretCorpusTest} looks for, each step
 * expecting the exit code its way of printing gives, so the whole corpus runs in one run on one lab host.
 * The service's own classes log at DEBUG, so the log the test reads holds all they ever say.
 */
public class SecretCorpusProfile implements QuarkusTestProfile {

    /** Step id to script: each a way a script can put a secret in its output. */
    static final Map<String, String> WAYS = new LinkedHashMap<>();
    /** Steps whose script ends with a terminating error: exit code 1. */
    static final java.util.Set<String> THROWING = java.util.Set.of("throw-message", "throw-secret", "throw-object");

    static {
        WAYS.put("write-output", "Write-Output $token");
        WAYS.put("implicit-output", "$token");
        WAYS.put("write-host", "Write-Host \"token is $token\"");
        WAYS.put("write-host-separator", "Write-Host 'a' $token 'b' -Separator '|'");
        WAYS.put("expanded-string", "\"before $token after\"");
        WAYS.put("write-error", "Write-Error \"bad token: $token\"\nexit 0");
        WAYS.put("write-error-quoted", "Write-Error \"bad token: '$token'\"\nexit 0");
        WAYS.put("write-warning", "Write-Warning \"careful with $token\"");
        WAYS.put("here-string", "@\"\nthe token:\n$token\n\"@");
        WAYS.put("throw-message", "throw \"the step failed with $token\"");
        WAYS.put("throw-secret", "throw $token");
        WAYS.put("throw-object", "throw [pscustomobject]@{ token = $token }");
        WAYS.put("error-record-caught", "try { throw \"inner $token\" } catch { $_.Exception.Message; $_ | Out-String }");
        WAYS.put("error-variable", "Get-Item \"C:\\nope\\$token\" -ErrorAction SilentlyContinue\n$Error[0] | Out-String");
        WAYS.put("convertto-json-object", "[pscustomobject]@{ t = $token; n = 1 } | ConvertTo-Json");
        WAYS.put("convertto-json-compress", "@{ t = $token } | ConvertTo-Json -Compress");
        WAYS.put("convertto-json-string", "$token | ConvertTo-Json");
        WAYS.put("convertto-xml-string", "$token | ConvertTo-Xml -As String");
        WAYS.put("convertto-xml-object", "[pscustomobject]@{ t = $token } | ConvertTo-Xml -As String");
        WAYS.put("convertto-xml-stream", "$token | ConvertTo-Xml -As Stream -NoTypeInformation");
        WAYS.put("clixml", "[System.Management.Automation.PSSerializer]::Serialize($token)");
        WAYS.put("base64-utf8", "[Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($token))");
        WAYS.put("base64-utf16le", "[Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($token))");
        WAYS.put("base64-utf8-inside",
                "[Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes(\"user=admin;password=$token;\"))");
        WAYS.put("base64-utf16le-inside", "[Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes(\"k:$token\"))");
        WAYS.put("hex-bitconverter", "[BitConverter]::ToString([Text.Encoding]::UTF8.GetBytes($token))");
        WAYS.put("substring-tail", "$token.Substring($token.Length - 12)");
        WAYS.put("substring-head", "$token.Substring(0, 10)");
        WAYS.put("format-operator", "'{0}|{1}' -f 'x', $token");
        WAYS.put("string-format-aligned", "[string]::Format('[{0,40}]', $token)");
        WAYS.put("upper-case", "$token.ToUpper()");
        WAYS.put("reversed", "$r = ''\nforeach ($c in $token.ToCharArray()) { $r = \"$c$r\" }\n$r");
        WAYS.put("characters-spaced", "$token.ToCharArray() -join ' '");
        WAYS.put("characters-comma", "$token.ToCharArray() -join ','");
        WAYS.put("character-per-line", "$token.ToCharArray()");
        WAYS.put("format-list", "[pscustomobject]@{ Secret = $token; Other = 'x' } | Format-List");
        WAYS.put("format-table", "[pscustomobject]@{ Secret = $token } | Format-Table -AutoSize");
        WAYS.put("out-string", "$token | Out-String");
        WAYS.put("file-round-trip", "Set-Content -Path C:\\Windows\\Temp\\t.txt -Value $token\n"
                + "Get-Content C:\\Windows\\Temp\\t.txt\nRemove-Item C:\\Windows\\Temp\\t.txt");
        WAYS.put("control-json", "@{ c = $ctl } | ConvertTo-Json -Compress");
        WAYS.put("control-error", "Write-Error \"ctl $ctl\"\nexit 0");
        WAYS.put("control-clixml", "[System.Management.Automation.PSSerializer]::Serialize($ctl)");
        WAYS.put("control-output", "Write-Output $ctl");
    }

    static final String PLAYBOOK = playbook();

    private static String playbook() {
        StringBuilder yaml = new StringBuilder("""
                name: secret-corpus
                description: Test only. Prints its secrets in every way a script can.
                params:
                  token:
                    type: secret
                  ctl:
                    type: secret
                steps:
                  - id: received
                    powershell: |
                      "length=$($token.Length) head=$($token.Substring(0, 3)) tail=$($token.Substring($token.Length - 3))"
                  - id: capture
                    powershell: |
                      [pscustomobject]@{ leak = $token; upper = $token.ToUpper(); ok = 'plain' } | ConvertTo-Json -Compress
                    outputs: { leak: leak, upper: upper, ok: ok }
                  - id: captured
                    powershell: |
                      "captured: $steps_capture_leak / $steps_capture_upper / $steps_capture_ok"
                """);
        WAYS.forEach((id, script) -> {
            yaml.append("  - id: ").append(id).append("\n    powershell: |\n");
            script.lines().forEach(line -> yaml.append("      ").append(line).append('\n'));
            if (THROWING.contains(id)) {
                yaml.append("    expect: { exitCode: 1 }\n");
            }
        });
        return yaml.toString();
    }

    static final Path DIR = create();

    private static Path create() {
        try {
            Path dir = Files.createTempDirectory("antidote-secret-corpus");
            TempPlaybooksProfile.copyStepLibrary(dir);
            Files.writeString(dir.resolve("secret-corpus.yaml"), PLAYBOOK);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("antidote.playbooks.dir", DIR.toString(),
                "quarkus.log.category.\"io.antidote\".level", "DEBUG",
                "quarkus.log.category.\"io.cloudsoft\".level", "DEBUG");
    }
}
