package io.antidote.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes a JSON tree in one canonical form, so that the same content always gives the same bytes
 * to hash, whatever the key order or whitespace it was read with (PostgreSQL's jsonb reorders keys
 * and re-spaces the text).
 *
 * <p>The form, fixed forever because stored hashes depend on it: object keys sorted by UTF-16 code
 * units (as {@link String#compareTo} and RFC 8785) at every depth; no whitespace; integers in plain
 * decimal; strings escaped as RFC 8785 does ({@code \"}, {@code \\}, {@code \b \f \n \r \t}, other
 * control characters as {@code \}{@code u00xx} in lower case, everything else literal).
 *
 * <p>It refuses, with {@link IllegalArgumentException}, what would not survive a round trip through
 * PostgreSQL unchanged or has no single textual form: floating-point numbers, binary and POJO nodes,
 * the NUL character, unpaired surrogates, and nesting deeper than {@value #MAX_DEPTH}.
 */
final class CanonicalJson {

    static final int MAX_DEPTH = 200;

    private CanonicalJson() {}

    static String write(JsonNode node) {
        StringBuilder out = new StringBuilder(256);
        write(node, out, 0);
        return out.toString();
    }

    static void write(JsonNode node, StringBuilder out, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("event data is nested deeper than " + MAX_DEPTH + " levels");
        }
        if (node == null || node.isNull()) {
            out.append("null");
        } else if (node.isObject()) {
            List<String> names = new ArrayList<>(node.size());
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                names.add(it.next().getKey());
            }
            names.sort(null);
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                writeString(names.get(i), out);
                out.append(':');
                write(node.get(names.get(i)), out, depth + 1);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(node.get(i), out, depth + 1);
            }
            out.append(']');
        } else if (node.isTextual()) {
            writeString(node.textValue(), out);
        } else if (node.isBoolean()) {
            out.append(node.booleanValue() ? "true" : "false");
        } else if (node.isIntegralNumber()) {
            out.append(node.bigIntegerValue().toString());
        } else if (node.isNumber()) {
            throw new IllegalArgumentException(
                    "event data holds a floating-point number; events carry integers only (or the number as a string)");
        } else {
            throw new IllegalArgumentException("event data holds a " + node.getNodeType() + " node, which is not plain JSON");
        }
    }

    static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\0' -> throw new IllegalArgumentException(
                        "event text holds a NUL character, which PostgreSQL cannot store");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                            throw new IllegalArgumentException("event text holds an unpaired UTF-16 surrogate");
                        }
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isLowSurrogate(c)) {
                        throw new IllegalArgumentException("event text holds an unpaired UTF-16 surrogate");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
