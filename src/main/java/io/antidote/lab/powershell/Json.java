package io.antidote.lab.powershell;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * ConvertTo-Json as Windows PowerShell 5.1 writes it: JavaScriptSerializer's escaping (quotes,
 * backslash and control characters, and also {@code ' < > &} as {@code \u0027 \u003c \u003e \u0026}),
 * enums as numbers, dates as {@code "\/Date(ms)\/"}, objects deeper than -Depth as their string
 * form, and without -Compress the 5.1 layout: four-space indentation aligned under the opening
 * bracket and two spaces after each colon.
 */
final class Json {

    private Json() {
    }

    static String serialize(Object value, int depth, boolean compress) {
        StringBuilder sb = new StringBuilder();
        write(value, 0, depth, sb);
        return compress ? sb.toString() : format(sb.toString());
    }

    private static void write(Object o, int current, int max, StringBuilder sb) {
        if (o instanceof ErrorRecord r) {
            o = r.asObject();
        }
        if (o == null) {
            sb.append("null");
        } else if (o instanceof String s) {
            quote(s, sb);
        } else if (o instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (o instanceof Integer || o instanceof Long) {
            sb.append(o);
        } else if (o instanceof Double d) {
            sb.append(Double.isNaN(d) || Double.isInfinite(d) ? "\"" + Values.formatDouble(d) + "\"" : roundTrip(d));
        } else if (o instanceof EnumValue e) {
            sb.append(e.value());
        } else if (o instanceof LocalDateTime t) {
            sb.append("\"\\/Date(").append(t.toInstant(ZoneOffset.UTC).toEpochMilli()).append(")\\/\"");
        } else if (current > max) {
            quote(Values.toStr(o), sb);
        } else if (o instanceof List) {
            sb.append('[');
            boolean first = true;
            for (Object e : Values.list(o)) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                write(e, current + 1, max, sb);
            }
            sb.append(']');
        } else if (o instanceof PsHashtable h) {
            sb.append('{');
            boolean first = true;
            for (Object k : h.keys()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                quote(Values.toStr(k), sb);
                sb.append(':');
                write(h.get(k), current + 1, max, sb);
            }
            sb.append('}');
        } else if (o instanceof PsObject p) {
            sb.append('{');
            boolean first = true;
            for (String name : p.propertyNames()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                quote(name, sb);
                sb.append(':');
                write(p.get(name), current + 1, max, sb);
            }
            sb.append('}');
        } else if (o instanceof PsVersion v) {
            sb.append("{\"Major\":").append(v.major()).append(",\"Minor\":").append(v.minor()).append(",\"Build\":")
                    .append(v.build()).append(",\"Revision\":").append(v.revision()).append(",\"MajorRevision\":")
                    .append(v.revision() < 0 ? -1 : v.revision() >> 16).append(",\"MinorRevision\":")
                    .append(v.revision() < 0 ? -1 : v.revision() & 0xFFFF).append('}');
        } else {
            quote(Values.toStr(o), sb);
        }
    }

    private static String roundTrip(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return String.valueOf((long) d);
        }
        String r = Double.toString(d);
        int e = r.indexOf('E');
        if (e < 0) {
            return r;
        }
        String mantissa = r.substring(0, e);
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        int exp = Integer.parseInt(r.substring(e + 1));
        return mantissa + "E" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
    }

    /** HttpUtility.JavaScriptStringEncode, which .NET 4's JavaScriptSerializer uses. */
    static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\b': sb.append("\\b"); break;
                case '\f': sb.append("\\f"); break;
                default:
                    if (c < 0x20 || c == '\'' || c == '<' || c == '>' || c == '&' || c == '\u0085' || c == '\u2028'
                            || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }

    /** Windows PowerShell 5.1's pretty-printer over the compact text. */
    static String format(String json) {
        StringBuilder out = new StringBuilder();
        Deque<Integer> indents = new ArrayDeque<>();
        boolean inString = false;
        int lineStart = 0;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\' && i + 1 < json.length()) {
                    out.append(json.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            switch (c) {
                case '"':
                    inString = true;
                    out.append(c);
                    break;
                case '{':
                case '[': {
                    int indent = out.length() - lineStart + 4;
                    out.append(c).append("\r\n");
                    lineStart = out.length();
                    out.append(" ".repeat(indent));
                    indents.push(indent);
                    break;
                }
                case '}':
                case ']': {
                    int indent = indents.isEmpty() ? 4 : indents.pop();
                    out.append("\r\n");
                    lineStart = out.length();
                    out.append(" ".repeat(indent - 4)).append(c);
                    break;
                }
                case ',':
                    out.append(",\r\n");
                    lineStart = out.length();
                    out.append(" ".repeat(indents.isEmpty() ? 0 : indents.peek()));
                    break;
                case ':':
                    out.append(":  ");
                    break;
                default:
                    out.append(c);
            }
        }
        return out.toString();
    }
}
