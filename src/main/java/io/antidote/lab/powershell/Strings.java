package io.antidote.lab.powershell;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The System.String methods scripts call, with .NET Framework's semantics and exception messages. */
final class Strings {

    private Strings() {
    }

    static Object invoke(String s, String name, List<Object> args) {
        String n = name.toLowerCase(Locale.ROOT);
        switch (n) {
            case "substring": {
                if (args.size() == 1) {
                    int start = intArg(name, args, 0, "startIndex");
                    if (start < 0) {
                        throw outOfRange(name, args, "StartIndex cannot be less than zero.", "startIndex");
                    }
                    if (start > s.length()) {
                        throw outOfRange(name, args, "startIndex cannot be larger than length of string.", "startIndex");
                    }
                    return s.substring(start);
                }
                if (args.size() == 2) {
                    int start = intArg(name, args, 0, "startIndex");
                    int length = intArg(name, args, 1, "length");
                    if (start < 0) {
                        throw outOfRange(name, args, "StartIndex cannot be less than zero.", "startIndex");
                    }
                    if (start > s.length()) {
                        throw outOfRange(name, args, "startIndex cannot be larger than length of string.", "startIndex");
                    }
                    if (length < 0) {
                        throw outOfRange(name, args, "Length cannot be less than zero.", "length");
                    }
                    if ((long) start + length > s.length()) {
                        throw outOfRange(name, args, "Index and length must refer to a location within the string.", "length");
                    }
                    return s.substring(start, start + length);
                }
                throw Members.overloadNotFound(name, args.size());
            }
            case "split":
                return split(s, name, args);
            case "trim":
                return trim(s, args.isEmpty() ? null : chars(args), true, true);
            case "trimstart":
                return trim(s, args.isEmpty() ? null : chars(args), true, false);
            case "trimend":
                return trim(s, args.isEmpty() ? null : chars(args), false, true);
            case "tolower":
            case "tolowerinvariant":
                return s.toLowerCase(Locale.ROOT);
            case "toupper":
            case "toupperinvariant":
                return s.toUpperCase(Locale.ROOT);
            case "contains":
                requireCount(name, args, 1);
                return s.contains(nonNull(name, args, 0, "value"));
            case "startswith":
            case "endswith": {
                if (args.isEmpty() || args.size() > 2) {
                    throw Members.overloadNotFound(name, args.size());
                }
                String v = nonNull(name, args, 0, "value");
                boolean ignoreCase = args.size() == 2 && Values.toStr(args.get(1)).toLowerCase(Locale.ROOT).endsWith("ignorecase");
                String a = ignoreCase ? s.toLowerCase(Locale.ROOT) : s;
                String b = ignoreCase ? v.toLowerCase(Locale.ROOT) : v;
                return n.equals("startswith") ? a.startsWith(b) : a.endsWith(b);
            }
            case "replace": {
                requireCount(name, args, 2);
                String oldValue = nonNull(name, args, 0, "oldValue");
                if (oldValue.isEmpty()) {
                    throw Members.methodException(name, args, "ArgumentException",
                            "String cannot be of zero length.\r\nParameter name: oldValue");
                }
                return s.replace(oldValue, args.get(1) == null ? "" : Values.toStr(args.get(1)));
            }
            case "indexof":
            case "lastindexof": {
                if (args.isEmpty() || args.size() > 2) {
                    throw Members.overloadNotFound(name, args.size());
                }
                String v = nonNull(name, args, 0, "value");
                if (args.size() == 2) {
                    int from = intArg(name, args, 1, "startIndex");
                    if (from < 0 || from > s.length()) {
                        throw outOfRange(name, args, "Index was out of range. Must be non-negative and less than the size "
                                + "of the collection.", "startIndex");
                    }
                    return n.equals("indexof") ? s.indexOf(v, from) : s.lastIndexOf(v, from);
                }
                return n.equals("indexof") ? s.indexOf(v) : s.lastIndexOf(v);
            }
            case "padleft":
            case "padright": {
                if (args.isEmpty() || args.size() > 2) {
                    throw Members.overloadNotFound(name, args.size());
                }
                int width = intArg(name, args, 0, "totalWidth");
                if (width < 0) {
                    throw outOfRange(name, args, "Non-negative number required.", "totalWidth");
                }
                String pad = args.size() == 2 ? Values.toStr(args.get(1)).substring(0, 1) : " ";
                if (s.length() >= width) {
                    return s;
                }
                String fill = pad.repeat(width - s.length());
                return n.equals("padleft") ? fill + s : s + fill;
            }
            case "insert": {
                requireCount(name, args, 2);
                int at = intArg(name, args, 0, "startIndex");
                if (at < 0 || at > s.length()) {
                    throw outOfRange(name, args, "Index was out of range. Must be non-negative and less than the size of "
                            + "the collection.", "startIndex");
                }
                return s.substring(0, at) + nonNull(name, args, 1, "value") + s.substring(at);
            }
            case "remove": {
                int start = intArg(name, args, 0, "startIndex");
                int count = args.size() > 1 ? intArg(name, args, 1, "count") : s.length() - start;
                if (start < 0 || count < 0 || (long) start + count > s.length()) {
                    throw outOfRange(name, args, "Index and count must refer to a location within the string.", "count");
                }
                return s.substring(0, start) + s.substring(start + count);
            }
            case "tochararray": {
                List<Object> out = new ArrayList<>();
                for (char c : s.toCharArray()) {
                    out.add(String.valueOf(c));
                }
                return out;
            }
            case "equals": {
                if (args.isEmpty() || args.size() > 2) {
                    throw Members.overloadNotFound(name, args.size());
                }
                if (args.get(0) == null) {
                    return false;
                }
                String v = Values.toStr(args.get(0));
                boolean ignoreCase = args.size() == 2 && Values.toStr(args.get(1)).toLowerCase(Locale.ROOT).endsWith("ignorecase");
                return ignoreCase ? s.equalsIgnoreCase(v) : s.equals(v) && args.get(0) instanceof String;
            }
            case "compareto":
                requireCount(name, args, 1);
                return Integer.signum(s.compareTo(Values.toStr(args.get(0))));
            case "tostring":
                return s;
            case "normalize":
                return s;
            case "gethashcode":
                return s.hashCode();
            default:
                throw Members.methodNotFound(s, name);
        }
    }

    private static void requireCount(String name, List<Object> args, int count) {
        if (args.size() != count) {
            throw Members.overloadNotFound(name, args.size());
        }
    }

    private static String nonNull(String name, List<Object> args, int i, String parameter) {
        if (args.get(i) == null) {
            throw Members.methodException(name, args, "ArgumentNullException",
                    "Value cannot be null.\r\nParameter name: " + parameter);
        }
        return Values.toStr(args.get(i));
    }

    private static int intArg(String name, List<Object> args, int i, String parameter) {
        try {
            return Values.toInt(args.get(i));
        } catch (RuntimeError e) {
            throw new RuntimeError("Cannot convert argument \"" + parameter + "\", with value: \"" + Values.toStr(args.get(i))
                    + "\", for \"" + name + "\" to type \"System.Int32\": \"" + e.getMessage() + "\"",
                    "MethodArgumentConversionInvalidCastArgument", "NotSpecified",
                    "System.Management.Automation.MethodException");
        }
    }

    private static RuntimeError outOfRange(String name, List<Object> args, String message, String parameter) {
        return Members.methodException(name, args, "ArgumentOutOfRangeException", message + "\r\nParameter name: " + parameter);
    }

    private static String chars(List<Object> args) {
        StringBuilder sb = new StringBuilder();
        for (Object a : args) {
            for (Object e : Values.asList(a)) {
                sb.append(Values.toStr(e));
            }
        }
        return sb.toString();
    }

    /** .NET's Char.IsWhiteSpace, which counts NBSP and NEL but not NUL. */
    static boolean isDotNetWhitespace(char c) {
        return Character.isSpaceChar(c) || (c >= '\t' && c <= '\r') || c == '\u0085';
    }

    static String trim(String s, String chars, boolean start, boolean end) {
        int a = 0;
        int b = s.length();
        while (start && a < b && (chars == null ? isDotNetWhitespace(s.charAt(a)) : chars.indexOf(s.charAt(a)) >= 0)) {
            a++;
        }
        while (end && b > a && (chars == null ? isDotNetWhitespace(s.charAt(b - 1)) : chars.indexOf(s.charAt(b - 1)) >= 0)) {
            b--;
        }
        return s.substring(a, b);
    }

    /** String.Split: PowerShell passes a string argument as char[], so each character separates. */
    private static Object split(String s, String name, List<Object> args) {
        String separators = null;
        int count = Integer.MAX_VALUE;
        boolean removeEmpty = false;
        if (!args.isEmpty()) {
            separators = chars(List.of(args.get(0) == null ? "" : args.get(0)));
            for (int i = 1; i < args.size(); i++) {
                Object a = args.get(i);
                if (Values.isNumber(a)) {
                    count = Values.toInt(a);
                } else if (Values.toStr(a).equalsIgnoreCase("RemoveEmptyEntries")) {
                    removeEmpty = true;
                } else if (!Values.toStr(a).equalsIgnoreCase("None")) {
                    try {
                        count = Values.toInt(a);
                    } catch (RuntimeError e) {
                        throw Members.overloadNotFound(name, args.size());
                    }
                }
            }
            if (separators.isEmpty()) {
                separators = null;
            }
        }
        List<Object> parts = new ArrayList<>();
        if (count <= 0) {
            return parts;
        }
        int from = 0;
        for (int i = 0; i < s.length() && parts.size() < count - 1; i++) {
            char c = s.charAt(i);
            boolean sep = separators == null ? isDotNetWhitespace(c) : separators.indexOf(c) >= 0;
            if (sep) {
                String part = s.substring(from, i);
                if (!(removeEmpty && part.isEmpty())) {
                    parts.add(part);
                }
                from = i + 1;
            }
        }
        String last = s.substring(from);
        if (!(removeEmpty && last.isEmpty())) {
            parts.add(last);
        }
        return parts;
    }
}
