package io.antidote.playbook;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads back a script rendered by {@link ScriptRenderer} the way PowerShell's tokenizer reads it,
 * so tests can prove that each value arrives exactly as sent and the script after it is untouched.
 *
 * <p>PowerShell's rule for single-quoted strings: any of the five single quotes (U+0027, U+2018,
 * U+2019, U+201A, U+201B) opens the string; inside, a single quote closes it unless another single
 * quote follows, in which case the pair stands for the second one. Nothing else is special.
 */
final class PowerShellParamReader {

    static final String SINGLE_QUOTES = "'\u2018\u2019\u201A\u201B";
    private static final String BASE64_OPEN = "([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String(";
    private static final String BASE64_CLOSE = ")))";
    private static final Pattern DECLARATION = Pattern.compile("  (\\[(string|int|long|bool)\\])?\\$([A-Za-z_][A-Za-z0-9_]*) = ");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

    record Declaration(String type, Object value) {
    }

    record Parsed(Map<String, Declaration> params, String script) {
        Object value(String name) {
            return params.get(name).value();
        }
    }

    private final String text;
    private int pos;

    private PowerShellParamReader(String text) {
        this.text = text;
    }

    static Parsed read(String rendered) {
        return new PowerShellParamReader(rendered).parse();
    }

    private Parsed parse() {
        expect("param(\n");
        Map<String, Declaration> params = new LinkedHashMap<>();
        while (true) {
            Matcher declaration = DECLARATION.matcher(text).region(pos, text.length());
            if (!declaration.lookingAt()) {
                throw new IllegalStateException("expected a parameter declaration at " + pos);
            }
            pos = declaration.end();
            Declaration previous = params.put(declaration.group(3), new Declaration(declaration.group(2), value()));
            if (previous != null) {
                throw new IllegalStateException("parameter declared twice: " + declaration.group(3));
            }
            if (text.startsWith(",\n", pos)) {
                pos += 2;
            } else {
                expect("\n)\n");
                return new Parsed(params, text.substring(pos));
            }
        }
    }

    private Object value() {
        if (pos < text.length() && SINGLE_QUOTES.indexOf(text.charAt(pos)) >= 0) {
            return singleQuoted();
        }
        if (text.startsWith(BASE64_OPEN, pos)) {
            pos += BASE64_OPEN.length();
            String base64 = singleQuoted();
            expect(BASE64_CLOSE);
            if (!base64.matches("[A-Za-z0-9+/]*={0,2}")) {
                throw new IllegalStateException("not base64: " + base64);
            }
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        }
        for (String word : new String[] {"$true", "$false", "$null"}) {
            if (text.startsWith(word, pos)) {
                pos += word.length();
                return word.equals("$null") ? null : word.equals("$true");
            }
        }
        if (text.startsWith("(-9223372036854775807 - 1)", pos)) {
            pos += "(-9223372036854775807 - 1)".length();
            return Long.MIN_VALUE;
        }
        Matcher integer = INTEGER.matcher(text).region(pos, text.length());
        if (integer.lookingAt()) {
            pos = integer.end();
            return Long.parseLong(integer.group());
        }
        throw new IllegalStateException("expected a value at " + pos);
    }

    private String singleQuoted() {
        pos++; // the opening quote, any of the five
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw new IllegalStateException("unterminated single-quoted string");
            }
            char c = text.charAt(pos++);
            if (SINGLE_QUOTES.indexOf(c) >= 0) {
                if (pos < text.length() && SINGLE_QUOTES.indexOf(text.charAt(pos)) >= 0) {
                    c = text.charAt(pos++);
                } else {
                    return value.toString();
                }
            }
            value.append(c);
        }
    }

    private void expect(String expected) {
        if (!text.startsWith(expected, pos)) {
            throw new IllegalStateException("expected " + expected.replace("\n", "\\n") + " at " + pos);
        }
        pos += expected.length();
    }
}
