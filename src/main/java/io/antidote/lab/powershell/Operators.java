package io.antidote.lab.powershell;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * PowerShell's operators on the lab's values: arithmetic with PowerShell's conversions, the
 * case-insensitive comparison family (with its c/i variants and the filtering behaviour when
 * the left operand is an array), -like, -match (which sets $Matches), -replace, -split, -join, -f.
 */
final class Operators {

    /** Largest string or array an operator may build; beyond it the lab stops the script. */
    static final int MAX_SIZE = 16 * 1024 * 1024;

    private Operators() {
    }

    static Object binary(String op, Object l, Object r, Consumer<PsHashtable> setMatches) {
        switch (op) {
            case "+":
                return add(l, r);
            case "-":
            case "*":
            case "/":
            case "%":
                return arithmetic(op, l, r);
            case "..":
                return range(l, r);
            case "f":
                return Formatting.format(Values.toStr(l), Values.asList(r instanceof List ? r : listOf(r)));
            case "xor":
                return Values.toBool(l) ^ Values.toBool(r);
            case "band":
                return Values.narrow(Values.toLong(l) & Values.toLong(r));
            case "bor":
                return Values.narrow(Values.toLong(l) | Values.toLong(r));
            case "bxor":
                return Values.narrow(Values.toLong(l) ^ Values.toLong(r));
            case "shl":
                return Values.narrow(Values.toLong(l) << Values.toInt(r));
            case "shr":
                return Values.narrow(Values.toLong(l) >> Values.toInt(r));
            default:
                return comparison(op, l, r, setMatches);
        }
    }

    private static List<Object> listOf(Object o) {
        List<Object> l = new ArrayList<>();
        l.add(o);
        return l;
    }

    private static Object comparison(String op, Object l, Object r, Consumer<PsHashtable> setMatches) {
        boolean cs = false;
        String base = op;
        if ((op.charAt(0) == 'c' || op.charAt(0) == 'i') && isComparisonName(op.substring(1))) {
            cs = op.charAt(0) == 'c';
            base = op.substring(1);
        }
        switch (base) {
            case "eq": case "ne": case "gt": case "ge": case "lt": case "le":
            case "like": case "notlike": case "match": case "notmatch": {
                if (l instanceof List) {
                    List<Object> result = new ArrayList<>();
                    for (Object e : Values.list(l)) {
                        if (Values.toBool(scalarComparison(base, e, r, cs, null))) {
                            result.add(e);
                        }
                    }
                    return result;
                }
                return scalarComparison(base, l, r, cs, setMatches);
            }
            case "contains":
            case "notcontains": {
                boolean found = false;
                for (Object e : Values.asList(l instanceof List ? l : listOf(l))) {
                    if (Values.psEquals(e, r, cs)) {
                        found = true;
                        break;
                    }
                }
                return base.equals("contains") == found;
            }
            case "in":
            case "notin": {
                boolean found = false;
                for (Object e : Values.asList(r instanceof List ? r : listOf(r))) {
                    if (Values.psEquals(e, l, cs)) {
                        found = true;
                        break;
                    }
                }
                return base.equals("in") == found;
            }
            case "replace":
                return replace(l, r, cs);
            case "split":
                return split(l, r, cs);
            case "join":
                return join(l, Values.toStr(r));
            case "is":
            case "isnot": {
                PsType type = r instanceof PsType t ? t : Values.type(Values.toStr(r));
                return Values.isInstance(type, l) == base.equals("is");
            }
            case "as": {
                PsType type = r instanceof PsType t ? t : Values.type(Values.toStr(r));
                try {
                    return Values.convert(type.fullName(), l);
                } catch (RuntimeError e) {
                    return null;
                }
            }
            default:
                throw new RuntimeError("Unexpected operator '-" + op + "'.", "UnexpectedToken", "ParserError",
                        "System.Management.Automation.RuntimeException");
        }
    }

    private static boolean isComparisonName(String s) {
        switch (s) {
            case "eq": case "ne": case "gt": case "ge": case "lt": case "le": case "like": case "notlike": case "match":
            case "notmatch": case "contains": case "notcontains": case "in": case "notin": case "replace": case "split":
                return true;
            default:
                return false;
        }
    }

    private static Object scalarComparison(String base, Object l, Object r, boolean cs, Consumer<PsHashtable> setMatches) {
        switch (base) {
            case "eq":
                return Values.psEquals(l, r, cs);
            case "ne":
                return !Values.psEquals(l, r, cs);
            case "gt":
                return Values.psCompare(l, r, cs) > 0;
            case "ge":
                return Values.psCompare(l, r, cs) >= 0;
            case "lt":
                return Values.psCompare(l, r, cs) < 0;
            case "le":
                return Values.psCompare(l, r, cs) <= 0;
            case "like":
                return Wildcard.matches(Values.toStr(r), Values.toStr(l), cs);
            case "notlike":
                return !Wildcard.matches(Values.toStr(r), Values.toStr(l), cs);
            case "match":
            case "notmatch": {
                Matcher m = regex(Values.toStr(r), cs).matcher(Values.toStr(l));
                boolean found = m.find();
                if (found && setMatches != null) {
                    setMatches.accept(matches(m));
                }
                return base.equals("match") == found;
            }
            default:
                throw new IllegalStateException(base);
        }
    }

    static PsHashtable matches(Matcher m) {
        PsHashtable h = new PsHashtable();
        for (int g = m.groupCount(); g >= 0; g--) {
            if (m.group(g) != null) {
                h.put(g, m.group(g));
            }
        }
        for (String name : namedGroups(m.pattern().pattern())) {
            if (m.group(name) != null) {
                h.put(name, m.group(name));
            }
        }
        return h;
    }

    private static List<String> namedGroups(String pattern) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>").matcher(pattern);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** A .NET regular expression as Java reads it; PowerShell's error for a bad one. */
    static Pattern regex(String pattern, boolean caseSensitive) {
        try {
            return Pattern.compile(pattern, caseSensitive ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw new RuntimeError("The regular expression pattern " + pattern + " is not valid.",
                    "InvalidRegularExpression", "InvalidOperation", "System.Management.Automation.RuntimeException",
                    pattern, "String");
        }
    }

    private static Object replace(Object l, Object r, boolean cs) {
        List<Object> operands = Values.asList(r instanceof List ? r : listOf(r));
        if (operands.isEmpty() || operands.size() > 2) {
            throw new RuntimeError("The -replace operator allows only two elements to follow it, not " + operands.size()
                    + ".", "BadReplaceArgument", "InvalidOperation", "System.Management.Automation.RuntimeException");
        }
        Pattern p = regex(Values.toStr(operands.get(0)), cs);
        String replacement = operands.size() > 1 ? javaReplacement(Values.toStr(operands.get(1))) : "";
        if (l instanceof List) {
            List<Object> out = new ArrayList<>();
            for (Object e : Values.list(l)) {
                out.add(p.matcher(Values.toStr(e)).replaceAll(replacement));
            }
            return out;
        }
        return p.matcher(Values.toStr(l)).replaceAll(replacement);
    }

    /** .NET substitutions ($1, ${name}, $$, $&) in Java's syntax. */
    private static String javaReplacement(String dotnet) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dotnet.length(); i++) {
            char c = dotnet.charAt(i);
            if (c == '\\') {
                sb.append("\\\\");
            } else if (c == '$' && i + 1 < dotnet.length()) {
                char n = dotnet.charAt(i + 1);
                if (n == '$') {
                    sb.append("\\$");
                    i++;
                } else if (n == '&') {
                    sb.append("$0");
                    i++;
                } else if (Character.isDigit(n) || n == '{') {
                    sb.append('$');
                } else {
                    sb.append("\\$");
                }
            } else if (c == '$') {
                sb.append("\\$");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static Object split(Object l, Object r, boolean cs) {
        List<Object> operands = Values.asList(r instanceof List ? r : listOf(r));
        Pattern p = regex(Values.toStr(operands.isEmpty() ? "" : operands.get(0)), cs);
        int limit = operands.size() > 1 ? Values.toInt(operands.get(1)) : 0;
        List<Object> out = new ArrayList<>();
        for (Object e : Values.asList(l instanceof List ? l : listOf(l))) {
            String[] parts = p.split(Values.toStr(e), limit > 0 ? limit : -1);
            for (String part : parts) {
                out.add(part);
            }
        }
        return out;
    }

    static String join(Object l, String separator) {
        StringBuilder sb = new StringBuilder();
        List<Object> items = Values.asList(l instanceof List ? l : listOf(l));
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                sb.append(separator);
            }
            sb.append(Values.toStr(items.get(i)));
            if (sb.length() > MAX_SIZE) {
                throw tooLarge();
            }
        }
        return sb.toString();
    }

    static Object unary(String op, Object v) {
        switch (op) {
            case "not":
            case "!":
                return !Values.toBool(v);
            case "-": {
                Object n = Values.toNumber(v, "System.Int32");
                if (n instanceof Double d) {
                    return -d;
                }
                long x = ((Number) n).longValue();
                return x == Long.MIN_VALUE ? -(double) x : Values.narrow(-x);
            }
            case "+":
                return Values.toNumber(v, "System.Int32");
            case ",": {
                List<Object> l = new ArrayList<>();
                l.add(v);
                return l;
            }
            case "bnot":
                return Values.narrow(~Values.toLong(v));
            case "join":
                return join(v, "");
            case "split": {
                List<Object> out = new ArrayList<>();
                for (Object e : Values.asList(v instanceof List ? v : listOf(v))) {
                    for (String part : Values.toStr(e).trim().split("\\s+")) {
                        if (!part.isEmpty()) {
                            out.add(part);
                        }
                    }
                }
                return out;
            }
            default:
                throw new IllegalStateException(op);
        }
    }

    private static Object add(Object l, Object r) {
        if (l == null) {
            return r instanceof List ? new ArrayList<>(Values.list(r)) : r;
        }
        if (l instanceof List) {
            List<Object> out = new ArrayList<>(Values.list(l));
            if (r instanceof List) {
                out.addAll(Values.list(r));
            } else {
                out.add(r);
            }
            if (out.size() > MAX_SIZE) {
                throw tooLarge();
            }
            return out;
        }
        if (l instanceof String s) {
            String result = s + Values.toStr(r);
            if (result.length() > MAX_SIZE) {
                throw tooLarge();
            }
            return result;
        }
        if (l instanceof PsHashtable h) {
            if (!(r instanceof PsHashtable rh)) {
                throw new RuntimeError("A hash table can only be added to another hash table.", "AddHashTableToNonHashTable",
                        "InvalidOperation", "System.Management.Automation.RuntimeException");
            }
            PsHashtable out = h.copy();
            for (Object k : rh.keys()) {
                if (out.containsKey(k)) {
                    throw new RuntimeError("Item has already been added. Key in dictionary: '" + Values.toStr(k)
                            + "'  Key being added: '" + Values.toStr(k) + "'", "ArgumentException", "NotSpecified",
                            "System.Management.Automation.RuntimeException");
                }
                out.put(k, rh.get(k));
            }
            return out;
        }
        if (Values.isNumber(l) || l instanceof Boolean || l instanceof EnumValue) {
            return arithmetic("+", l, r);
        }
        if (l instanceof java.time.LocalDateTime) {
            throw new RuntimeError("The lab's PowerShell does not add to dates; use AddDays() and the like.",
                    "LabUnsupportedOperation", "InvalidOperation", "System.Management.Automation.RuntimeException");
        }
        throw new RuntimeError("Method invocation failed because [" + Values.typeNameOf(l)
                + "] does not contain a method named 'op_Addition'.", "MethodNotFound", "InvalidOperation",
                "System.Management.Automation.RuntimeException");
    }

    private static Object arithmetic(String op, Object l, Object r) {
        if (op.equals("*") && l instanceof String s) {
            int n = Values.toInt(r);
            if (n < 0) {
                n = 0;
            }
            if ((long) s.length() * n > MAX_SIZE) {
                throw tooLarge();
            }
            return s.repeat(n);
        }
        if (op.equals("*") && l instanceof List) {
            int n = Values.toInt(r);
            if ((long) Values.list(l).size() * Math.max(0, n) > MAX_SIZE) {
                throw tooLarge();
            }
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.addAll(Values.list(l));
            }
            return out;
        }
        if (l instanceof List || l instanceof PsHashtable || l instanceof PsObject) {
            String name = switch (op) {
                case "-" -> "op_Subtraction";
                case "*" -> "op_Multiply";
                case "/" -> "op_Division";
                default -> "op_Modulus";
            };
            throw new RuntimeError("Method invocation failed because [" + Values.typeNameOf(l)
                    + "] does not contain a method named '" + name + "'.", "MethodNotFound", "InvalidOperation",
                    "System.Management.Automation.RuntimeException");
        }
        Object a = Values.toNumber(l, "System.Int32");
        Object b = Values.toNumber(r, "System.Int32");
        if (a instanceof Double || b instanceof Double) {
            double x = ((Number) a).doubleValue();
            double y = ((Number) b).doubleValue();
            switch (op) {
                case "+": return x + y;
                case "-": return x - y;
                case "*": return x * y;
                case "/":
                    if (y == 0) {
                        throw divideByZero();
                    }
                    return x / y;
                default:
                    if (y == 0) {
                        throw divideByZero();
                    }
                    return x % y;
            }
        }
        long x = ((Number) a).longValue();
        long y = ((Number) b).longValue();
        switch (op) {
            case "+": return widen(BigInteger.valueOf(x).add(BigInteger.valueOf(y)));
            case "-": return widen(BigInteger.valueOf(x).subtract(BigInteger.valueOf(y)));
            case "*": return widen(BigInteger.valueOf(x).multiply(BigInteger.valueOf(y)));
            case "/":
                if (y == 0) {
                    throw divideByZero();
                }
                if (x % y == 0) {
                    return Values.narrow(x / y);
                }
                return (double) x / y;
            default:
                if (y == 0) {
                    throw divideByZero();
                }
                return Values.narrow(x % y);
        }
    }

    private static Object widen(BigInteger v) {
        if (v.bitLength() < 32) {
            return v.intValue();
        }
        if (v.bitLength() < 64) {
            return v.longValue();
        }
        return v.doubleValue();
    }

    private static Object range(Object l, Object r) {
        int from = Values.toInt(l);
        int to = Values.toInt(r);
        if (Math.abs((long) to - from) >= MAX_SIZE) {
            throw tooLarge();
        }
        List<Object> out = new ArrayList<>();
        int step = from <= to ? 1 : -1;
        for (int i = from; ; i += step) {
            out.add(i);
            if (i == to) {
                break;
            }
        }
        return out;
    }

    static RuntimeError divideByZero() {
        return new RuntimeError("Attempted to divide by zero.", "RuntimeException", "NotSpecified",
                "System.Management.Automation.RuntimeException");
    }

    static RuntimeError tooLarge() {
        return new RuntimeError("The lab stopped the script: a value grew beyond " + MAX_SIZE + " elements or characters.",
                "LabResourceLimit", "LimitsExceeded", "System.Management.Automation.RuntimeException");
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
