package io.antidote.playbook;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds what a step's script starts with, below comments and attributes. The renderer puts its own
 * {@code param(...)} block first, so a script may not open with a param block of its own, nor with
 * a {@code using} statement (PowerShell wants those before any param block).
 */
final class ScriptHeader {

    enum Kind { PARAM_BLOCK, USING_STATEMENT }

    /** {@code line} and {@code column} are 0-based, in the script's text. */
    record Finding(Kind kind, int line, int column) {
    }

    // An attribute alone, such as [CmdletBinding()] or [OutputType([string])], may precede a param block.
    private static final Pattern ATTRIBUTE = Pattern.compile("\\[\\s*[A-Za-z_][\\w.]*\\s*(\\([^()]*\\))?\\s*\\]");
    private static final Pattern PARAM = Pattern.compile("(?i)param\\s*(\\(|$)");
    private static final Pattern USING = Pattern.compile("(?i)using\\s+(namespace|module|assembly)\\b");

    private ScriptHeader() {
    }

    static Optional<Finding> find(String script) {
        String[] lines = script.split("\r\n|[\n\r\u0085\u2028\u2029]", -1);
        boolean inBlockComment = false;
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            int pos = 0;
            while (pos < line.length()) {
                if (inBlockComment) {
                    int end = line.indexOf("#>", pos);
                    if (end < 0) {
                        break;
                    }
                    pos = end + 2;
                    inBlockComment = false;
                    continue;
                }
                if (Character.isWhitespace(line.charAt(pos))) {
                    pos++;
                    continue;
                }
                if (line.startsWith("<#", pos)) {
                    inBlockComment = true;
                    pos += 2;
                    continue;
                }
                if (line.charAt(pos) == '#') {
                    break;
                }
                Matcher attribute = ATTRIBUTE.matcher(line).region(pos, line.length());
                if (attribute.lookingAt()) {
                    pos = attribute.end();
                    continue;
                }
                if (PARAM.matcher(line).region(pos, line.length()).lookingAt()) {
                    return Optional.of(new Finding(Kind.PARAM_BLOCK, n, pos));
                }
                if (USING.matcher(line).region(pos, line.length()).lookingAt()) {
                    return Optional.of(new Finding(Kind.USING_STATEMENT, n, pos));
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
