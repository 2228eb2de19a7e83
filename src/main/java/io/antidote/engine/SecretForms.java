package io.antidote.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The shapes in which a script's output can carry a secret value: as typed, quote-doubled as PowerShell quotes
 * it in error records, JSON-escaped (ConvertTo-Json's JavaScriptSerializer and the plainer escaping of other
 * serializers), XML-escaped (ConvertTo-Xml, and CLIXML's {@code _xHHHH_} for control characters), base64 of its
 * UTF-8 and UTF-16LE bytes (alone, or inside a longer encoded text at each of the three byte alignments), hex,
 * percent-encoded, reversed, and one character at a time with a separator. {@link SecretMask} masks runs of them.
 */
final class SecretForms {

    private static final String SINGLE_QUOTES = "'\u2018\u2019\u201A\u201B";
    private static final List<String> SEPARATORS = List.of(" ", ",", ", ", "\n", "\r\n", "\t", ";", ":", "-", "|");

    private SecretForms() {
    }

    /** Whole-value forms: all that is masked of a value too short for its runs to be told from ordinary text. */
    static Set<String> whole(String secret) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(secret);
        forms.add(quoteDoubled(secret));
        forms.add(secret.replace("\"", "\"\""));
        forms.add(javaScriptSerializer(secret));
        forms.add(json(secret, false, false));
        forms.add(json(secret, true, false));
        forms.add(json(secret, false, true));
        forms.add(xml(secret, false, false));
        forms.add(xml(secret, true, false));
        forms.add(xml(secret, true, true));
        forms.add(cliXml(secret));
        forms.add(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
        forms.add(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_16LE)));
        return forms;
    }

    /** Every form of a value long enough to have its runs masked. */
    static Set<String> all(String secret) {
        Set<String> forms = whole(secret);
        for (byte[] bytes : List.of(secret.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_16LE))) {
            for (int offset = 0; offset < 3; offset++) {
                forms.add(base64Inside(bytes, offset));
            }
        }
        byte[] utf8 = secret.getBytes(StandardCharsets.UTF_8);
        forms.add(HexFormat.of().formatHex(utf8));
        forms.add(HexFormat.of().withUpperCase().formatHex(utf8));
        forms.add(HexFormat.ofDelimiter("-").withUpperCase().formatHex(utf8));
        forms.add(percentEncoded(utf8));
        String reversed = new StringBuilder(secret).reverse().toString();
        forms.add(reversed);
        int[] codePoints = secret.codePoints().toArray();
        for (String separator : SEPARATORS) {
            forms.add(joined(codePoints, separator));
        }
        return forms;
    }

    static String quoteDoubled(String secret) {
        StringBuilder out = new StringBuilder(secret.length() + 8);
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            if (SINGLE_QUOTES.indexOf(c) >= 0) {
                out.append(c);
            }
            out.append(c);
        }
        return out.toString();
    }

    /** As Windows PowerShell's ConvertTo-Json writes a string: also {@code ' < > &} as \\u escapes, lower-case hex. */
    static String javaScriptSerializer(String secret) {
        StringBuilder out = new StringBuilder(secret.length() + 16);
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            switch (c) {
                case '\'', '<', '>', '&' -> out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                default -> appendJsonChar(out, c, false);
            }
        }
        return out.toString();
    }

    /**
     * As most JSON writers escape: quote, backslash and control characters only, or every non-ASCII character
     * too ({@code asciiOnly}); {@code upperHex} for writers such as Jackson that write {@code \u001B}.
     */
    static String json(String secret, boolean upperHex, boolean asciiOnly) {
        StringBuilder out = new StringBuilder(secret.length() + 16);
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            if (asciiOnly && c >= 0x7F) {
                out.append(String.format(Locale.ROOT, upperHex ? "\\u%04X" : "\\u%04x", (int) c));
            } else {
                appendJsonChar(out, c, upperHex);
            }
        }
        return out.toString();
    }

    private static void appendJsonChar(StringBuilder out, char c, boolean upperHex) {
        switch (c) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case '\b' -> out.append("\\b");
            case '\f' -> out.append("\\f");
            default -> {
                if (c < 0x20) {
                    out.append(String.format(Locale.ROOT, upperHex ? "\\u%04X" : "\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
    }

    /** XML text ({@code & < >}), or an attribute value ({@code "} too, and {@code '} with {@code apostrophe}). */
    static String xml(String secret, boolean attribute, boolean apostrophe) {
        StringBuilder out = new StringBuilder(secret.length() + 16);
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append(attribute ? "&quot;" : "\"");
                case '\'' -> out.append(apostrophe ? "&apos;" : "'");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        out.append(String.format(Locale.ROOT, "&#x%X;", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** CLIXML's strings: XML text, with control characters (line ends too) and a literal {@code _x} as {@code _xHHHH_}. */
    static String cliXml(String secret) {
        StringBuilder out = new StringBuilder(secret.length() + 16);
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            if (c < 0x20 || c == 0x7F || c >= 0x80 && c <= 0x9F) {
                out.append(String.format(Locale.ROOT, "_x%04X_", (int) c));
            } else if (c == '_' && i + 1 < secret.length() && secret.charAt(i + 1) == 'x') {
                out.append("_x005F_");
            } else {
                switch (c) {
                    case '&' -> out.append("&amp;");
                    case '<' -> out.append("&lt;");
                    case '>' -> out.append("&gt;");
                    default -> out.append(c);
                }
            }
        }
        return out.toString();
    }

    /**
     * The base64 characters that depend only on {@code bytes} when they sit {@code offset} bytes (mod 3) into a
     * longer encoded text: the characters shared with the neighbouring bytes are left out.
     */
    static String base64Inside(byte[] bytes, int offset) {
        byte[] padded = new byte[offset + bytes.length];
        System.arraycopy(bytes, 0, padded, offset, bytes.length);
        String encoded = Base64.getEncoder().withoutPadding().encodeToString(padded);
        int start = (8 * offset + 5) / 6;
        int end = 8 * padded.length / 6;
        return start < end ? encoded.substring(start, end) : "";
    }

    static String percentEncoded(byte[] utf8) {
        StringBuilder out = new StringBuilder(utf8.length * 3);
        for (byte b : utf8) {
            char c = (char) (b & 0xFF);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xFF));
            }
        }
        return out.toString();
    }

    private static String joined(int[] codePoints, String separator) {
        List<String> characters = new ArrayList<>(codePoints.length);
        for (int codePoint : codePoints) {
            characters.add(Character.toString(codePoint));
        }
        return String.join(separator, characters);
    }
}
