package io.antidote.lab.powershell;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** .NET composite formatting for -f: {index[,alignment][:format]} with the common numeric formats. */
final class Formatting {

    private Formatting() {
    }

    static String format(String pattern, List<Object> args) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '{') {
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '{') {
                    out.append('{');
                    i += 2;
                    continue;
                }
                int close = pattern.indexOf('}', i);
                if (close < 0) {
                    throw formatError();
                }
                String spec = pattern.substring(i + 1, close);
                String format = null;
                int colon = spec.indexOf(':');
                if (colon >= 0) {
                    format = spec.substring(colon + 1);
                    spec = spec.substring(0, colon);
                }
                int alignment = 0;
                int comma = spec.indexOf(',');
                try {
                    if (comma >= 0) {
                        alignment = Integer.parseInt(spec.substring(comma + 1).trim());
                        spec = spec.substring(0, comma);
                    }
                    int index = Integer.parseInt(spec.trim());
                    if (index < 0 || index >= args.size()) {
                        throw new RuntimeError("Error formatting a string: Index (zero based) must be greater than or equal to "
                                + "zero and less than the size of the argument list..", "FormatError", "InvalidOperation",
                                "System.Management.Automation.RuntimeException", pattern, "String");
                    }
                    String text = formatValue(args.get(index), format);
                    if (alignment > 0 && text.length() < alignment) {
                        text = " ".repeat(alignment - text.length()) + text;
                    } else if (alignment < 0 && text.length() < -alignment) {
                        text = text + " ".repeat(-alignment - text.length());
                    }
                    out.append(text);
                } catch (NumberFormatException e) {
                    throw formatError();
                }
                i = close + 1;
            } else if (c == '}') {
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '}') {
                    out.append('}');
                    i += 2;
                    continue;
                }
                throw formatError();
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static RuntimeError formatError() {
        return new RuntimeError("Error formatting a string: Input string was not in a correct format..", "FormatError",
                "InvalidOperation", "System.Management.Automation.RuntimeException");
    }

    static String formatValue(Object value, String format) {
        if (format == null || format.isEmpty()) {
            return Values.toStr(value);
        }
        if (value instanceof LocalDateTime t) {
            return formatDate(t, format);
        }
        if (!Values.isNumber(value)) {
            return Values.toStr(value);
        }
        char kind = Character.toUpperCase(format.charAt(0));
        Integer digits = null;
        if (format.length() > 1) {
            try {
                digits = Integer.parseInt(format.substring(1));
            } catch (NumberFormatException e) {
                return custom(value, format);
            }
        }
        double d = ((Number) value).doubleValue();
        switch (kind) {
            case 'D': {
                String s = String.valueOf(Math.abs(((Number) value).longValue()));
                if (digits != null && s.length() < digits) {
                    s = "0".repeat(digits - s.length()) + s;
                }
                return (((Number) value).longValue() < 0 ? "-" : "") + s;
            }
            case 'X': {
                String s = Long.toHexString(((Number) value).longValue());
                if (value instanceof Integer) {
                    s = Integer.toHexString((Integer) value);
                }
                if (digits != null && s.length() < digits) {
                    s = "0".repeat(digits - s.length()) + s;
                }
                return format.charAt(0) == 'X' ? s.toUpperCase(Locale.ROOT) : s;
            }
            case 'N': {
                int n = digits == null ? 2 : digits;
                DecimalFormat f = new DecimalFormat("#,##0" + (n > 0 ? "." + "0".repeat(n) : ""),
                        DecimalFormatSymbols.getInstance(Locale.US));
                f.setRoundingMode(RoundingMode.HALF_EVEN);
                return f.format(d);
            }
            case 'F': {
                int n = digits == null ? 2 : digits;
                return new BigDecimal(d).setScale(n, RoundingMode.HALF_EVEN).toPlainString();
            }
            case 'P': {
                int n = digits == null ? 2 : digits;
                return new BigDecimal(d * 100).setScale(n, RoundingMode.HALF_EVEN).toPlainString() + " %";
            }
            default:
                return custom(value, format);
        }
    }

    private static String custom(Object value, String format) {
        if (format.matches("[0#,.]+")) {
            DecimalFormat f = new DecimalFormat(format, DecimalFormatSymbols.getInstance(Locale.US));
            f.setRoundingMode(RoundingMode.HALF_EVEN);
            return f.format(((Number) value).doubleValue());
        }
        return Values.toStr(value);
    }

    /** .NET date formats: the standard letters o, s, u, d, D, t, T, g, G and custom patterns. */
    static String formatDate(LocalDateTime t, String format) {
        switch (format) {
            case "o":
            case "O":
                return t.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS", Locale.ROOT));
            case "s":
                return t.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT));
            case "u":
                return t.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT));
            case "d":
                return t.format(DateTimeFormatter.ofPattern("M/d/yyyy", Locale.US));
            case "D":
                return t.format(DateTimeFormatter.ofPattern("EEEE, MMMM d, yyyy", Locale.US));
            case "t":
                return t.format(DateTimeFormatter.ofPattern("h:mm a", Locale.US));
            case "T":
                return t.format(DateTimeFormatter.ofPattern("h:mm:ss a", Locale.US));
            case "g":
                return t.format(DateTimeFormatter.ofPattern("M/d/yyyy h:mm a", Locale.US));
            case "G":
                return t.format(DateTimeFormatter.ofPattern("M/d/yyyy h:mm:ss a", Locale.US));
            default:
                break;
        }
        StringBuilder java = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c == '\'' || c == '"') {
                int close = format.indexOf(c, i + 1);
                String lit = close < 0 ? format.substring(i + 1) : format.substring(i + 1, close);
                java.append('\'').append(lit.replace("'", "''")).append('\'');
                i = close < 0 ? format.length() : close;
            } else if (c == '\\' && i + 1 < format.length()) {
                java.append('\'').append(format.charAt(++i) == '\'' ? "''" : String.valueOf(format.charAt(i))).append('\'');
            } else if ("yMdHhmsfFt".indexOf(c) >= 0) {
                int j = i;
                while (j < format.length() && format.charAt(j) == c) {
                    j++;
                }
                int n = j - i;
                switch (c) {
                    case 'f':
                    case 'F':
                        java.append("S".repeat(n));
                        break;
                    case 't':
                        java.append('a');
                        break;
                    case 'd':
                        java.append(n >= 4 ? "EEEE" : n == 3 ? "EEE" : "d".repeat(n));
                        break;
                    default:
                        java.append(String.valueOf(c).repeat(n));
                }
                i = j - 1;
            } else if (Character.isLetter(c)) {
                java.append('\'').append(c).append('\'');
            } else {
                java.append(c);
            }
        }
        try {
            return t.format(DateTimeFormatter.ofPattern(java.toString(), Locale.US));
        } catch (IllegalArgumentException e) {
            return format;
        }
    }
}
