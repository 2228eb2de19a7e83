package io.antidote.winrm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * The command lines that run a PowerShell script on a Windows host. A short script goes as one
 * {@code powershell -EncodedCommand}. The Windows command line holds at most 8191 characters, and the
 * UTF-16 and base64 encoding multiply a script by 8/3, so a longer one is written to a temporary file in
 * pieces (each a short encoded {@code Set-Content}/{@code Add-Content}), run with {@code -File} (which
 * keeps its exit code), and removed. All of them run in one shell, one after the other.
 */
final class ScriptDelivery {

    /** Below cmd.exe's 8191 with room for the executable and switches. */
    static final int MAX_COMMAND_LINE = 8000;
    /** Script characters per piece: even if every one is a quote that doubles, the piece stays short. */
    static final int PIECE_CHARS = 1200;
    static final String TEMP_DIRECTORY = "C:\\Windows\\Temp\\";

    private ScriptDelivery() {
    }

    /** How to run one script: the pieces to write first (none for a short script), the run, the clean-up. */
    record Plan(List<String> writes, String run, String cleanup) {
        boolean chunked() {
            return !writes.isEmpty();
        }
    }

    static Plan plan(String script) {
        String direct = encoded(script);
        if (direct.length() <= MAX_COMMAND_LINE) {
            return new Plan(List.of(), direct, null);
        }
        String file = TEMP_DIRECTORY + "antidote-" + UUID.randomUUID() + ".ps1";
        List<String> writes = new ArrayList<>();
        for (int start = 0; start < script.length(); start += PIECE_CHARS) {
            int end = Math.min(script.length(), start + PIECE_CHARS);
            if (end < script.length() && Character.isHighSurrogate(script.charAt(end - 1))) {
                end--;
            }
            String cmdlet = start == 0 ? "Set-Content" : "Add-Content";
            writes.add(encoded(cmdlet + " -Path " + quoted(file) + " -Value " + quoted(script.substring(start, end))
                    + " -NoNewline -Encoding UTF8"));
            start = end - PIECE_CHARS;
        }
        String run = "powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -File " + file;
        String cleanup = encoded("Remove-Item -Path " + quoted(file) + " -Force -ErrorAction SilentlyContinue");
        return new Plan(writes, run, cleanup);
    }

    static String encoded(String script) {
        return "powershell -NoProfile -NonInteractive -EncodedCommand "
                + Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_16LE));
    }

    /** A PowerShell single-quoted literal: nothing inside is expanded; a quote is written twice. */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('\'');
        for (char c : text.toCharArray()) {
            // PowerShell ends a single-quoted string at any of these four quote characters.
            if (c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B') {
                out.append(c);
            }
            out.append(c);
        }
        return out.append('\'').toString();
    }
}
