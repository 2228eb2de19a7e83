package io.antidote.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.antidote.playbook.ScriptRenderer;
import io.antidote.playbook.Step;
import io.antidote.workflow.HostMarker;
import io.antidote.workflow.StepOutcome;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The marker a step that changes the server leaves on its host, so that an attempt whose outcome was lost (a
 * crash, an adoption, a reply that never came) can be told apart afterwards: never begun, begun and not
 * finished, or finished with its exit code. It exists so that such a step takes effect exactly once, and it
 * is the engine's, not the playbook author's: the engine wraps every change-making step's script in it.
 *
 * <p>One file per attempt, keyed by run, step and attempt:
 * {@code C:\ProgramData\Antidote\markers\<run>\<step>.<attempt>.json}. The path travels as a single-quoted
 * literal ({@link ScriptRenderer#stringLiteral}), never spliced into script text, and is built only of a UUID,
 * a step id ({@code [a-z0-9-]}) and a number. The script writes {@code {"state":"started"}} before anything
 * else (and does not run if it cannot), and {@code {"state":"ended","exitCode":N}} in a {@code finally} once
 * it is over; {@code exitCode} is null when the script left by {@code exit}, whose code a {@code finally}
 * cannot see. The probe ({@link #probeScript()}) only reads.
 */
final class StepMarker {

    static final String ROOT = "C:\\ProgramData\\Antidote\\markers";
    private static final Pattern STEP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String directory;
    private final String path;

    private StepMarker(String directory, String path) {
        this.directory = directory;
        this.path = path;
    }

    static StepMarker of(UUID run, String step, int attempt) {
        if (!STEP_ID.matcher(step).matches()) {
            throw new IllegalArgumentException("step id '" + step + "' cannot name a marker file");
        }
        String directory = ROOT + "\\" + run;
        return new StepMarker(directory, directory + "\\" + step + "." + attempt + ".json");
    }

    String path() {
        return path;
    }

    /**
     * The step's script, wrapped: the started marker first (the script stops, exit code 1, if it cannot be
     * written), the script itself in a {@code try}, the ended marker in its {@code finally}, and the exit code
     * the script would have had when it ran to its end.
     */
    String around(String script) {
        String file = ScriptRenderer.stringLiteral(path);
        // The first try only rethrows: whatever stops the marker's first write stops the whole script, before
        // the step's own script has done anything.
        return "$antidote_exit = $null\n"
                + "try {\n"
                + "New-Item -ItemType Directory -Force -Path " + ScriptRenderer.stringLiteral(directory)
                + " -ErrorAction Stop | Out-Null\n"
                + "Set-Content -LiteralPath " + file + " -Value '{\"state\":\"started\"}' -ErrorAction Stop\n"
                + "} catch {\n"
                + "throw\n"
                + "}\n"
                + "try {\n"
                + script + (script.endsWith("\n") ? "" : "\n")
                + "$antidote_ok = $?\n"
                + "$antidote_exit = 1\n"
                + "if ($antidote_ok) { $antidote_exit = 0 }\n"
                + "} catch {\n"
                + "$antidote_exit = 1\n"
                + "throw\n"
                + "} finally {\n"
                + "Set-Content -LiteralPath " + file + " -Value ([ordered]@{ state = 'ended'; exitCode = $antidote_exit }"
                + " | ConvertTo-Json -Compress)\n"
                + "}\n"
                + "if ($antidote_exit -ne 0) { exit $antidote_exit }\n";
    }

    /** Prints the marker as it is, or {@code absent}: a read-only command. */
    String probeScript() {
        String file = ScriptRenderer.stringLiteral(path);
        return "if (Test-Path -LiteralPath " + file + ") { Get-Content -LiteralPath " + file + " -Raw }"
                + " else { Write-Output 'absent' }\n";
    }

    /** What the probe found, and the outcome it holds if it holds enough to judge the attempt by. */
    record Finding(HostMarker marker, StepOutcome found, String detail) {
    }

    /**
     * Reads the probe's output. A finished script's exit code is judged by the step's expectations; when the
     * step needs its output (JSON checks, a stdout pattern, outputs for later steps), which the marker does not
     * keep, the outcome cannot be judged and is left unknown.
     */
    static Finding read(String probeOutput, Step step) {
        String text = probeOutput == null ? "" : probeOutput.strip();
        if (text.equals("absent")) {
            return new Finding(HostMarker.ABSENT, null, "no marker on the host: the script did not begin there");
        }
        JsonNode marker;
        try {
            marker = JSON.readTree(text);
        } catch (Exception e) {
            marker = null;
        }
        if (marker == null || !marker.isObject() || !marker.path("state").isTextual()) {
            return new Finding(HostMarker.UNREADABLE, null, "the marker on the host could not be read");
        }
        String state = marker.path("state").asText();
        if (state.equals("started")) {
            return new Finding(HostMarker.STARTED, null, "the marker says the script began and did not finish");
        }
        if (!state.equals("ended")) {
            return new Finding(HostMarker.UNREADABLE, null, "the marker on the host could not be read");
        }
        JsonNode exit = marker.path("exitCode");
        if (!exit.canConvertToInt() || !exit.isIntegralNumber()) {
            return new Finding(HostMarker.COMPLETED, null, "the marker says the script finished by an exit whose"
                    + " code it could not see");
        }
        int exitCode = exit.intValue();
        String finished = "the marker says the script finished with exit code " + exitCode;
        boolean needsOutput = step.expect().stdoutPattern() != null || !step.expect().json().isEmpty()
                || !step.outputs().isEmpty();
        if (needsOutput) {
            return new Finding(HostMarker.COMPLETED, null, finished + ", but the step is judged by its output, which"
                    + " the marker does not keep");
        }
        List<String> unmet = step.expect().check(exitCode, "");
        return new Finding(HostMarker.COMPLETED, new StepOutcome.Completed(exitCode, "", "", unmet, Map.of()),
                finished);
    }
}
