package io.antidote.lab.powershell;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PowerShell's conversions and comparisons (LanguagePrimitives) for the lab's value model:
 * String, Integer, Long, Double, Boolean, null, List (arrays), PsHashtable, PsObject, EnumValue,
 * ScriptBlockValue, LocalDateTime ([datetime]), PsVersion, PsType, ErrorRecord.
 */
final class Values {

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("string", "System.String"), Map.entry("int", "System.Int32"), Map.entry("int32", "System.Int32"),
            Map.entry("long", "System.Int64"), Map.entry("int64", "System.Int64"), Map.entry("double", "System.Double"),
            Map.entry("decimal", "System.Decimal"), Map.entry("single", "System.Single"), Map.entry("float", "System.Single"),
            Map.entry("bool", "System.Boolean"), Map.entry("boolean", "System.Boolean"), Map.entry("char", "System.Char"),
            Map.entry("byte", "System.Byte"), Map.entry("object", "System.Object"), Map.entry("array", "System.Array"),
            Map.entry("object[]", "System.Object[]"), Map.entry("string[]", "System.String[]"),
            Map.entry("int[]", "System.Int32[]"), Map.entry("int32[]", "System.Int32[]"),
            Map.entry("hashtable", "System.Collections.Hashtable"),
            Map.entry("collections.hashtable", "System.Collections.Hashtable"),
            Map.entry("pscustomobject", "System.Management.Automation.PSObject"),
            Map.entry("psobject", "System.Management.Automation.PSObject"),
            Map.entry("management.automation.psobject", "System.Management.Automation.PSObject"),
            Map.entry("ordered", "System.Collections.Specialized.OrderedDictionary"),
            Map.entry("switch", "System.Management.Automation.SwitchParameter"),
            Map.entry("datetime", "System.DateTime"), Map.entry("version", "System.Version"),
            Map.entry("regex", "System.Text.RegularExpressions.Regex"),
            Map.entry("text.regularexpressions.regex", "System.Text.RegularExpressions.Regex"),
            Map.entry("math", "System.Math"), Map.entry("scriptblock", "System.Management.Automation.ScriptBlock"),
            Map.entry("environment", "System.Environment"), Map.entry("io.path", "System.IO.Path"),
            Map.entry("convert", "System.Convert"), Map.entry("text.encoding", "System.Text.Encoding"),
            Map.entry("bitconverter", "System.BitConverter"),
            Map.entry("management.automation.psserializer", "System.Management.Automation.PSSerializer"),
            Map.entry("void", "System.Void"), Map.entry("errorrecord", "System.Management.Automation.ErrorRecord"),
            Map.entry("management.automation.errorrecord", "System.Management.Automation.ErrorRecord"));

    private static final MathContext G15 = new MathContext(15, RoundingMode.HALF_EVEN);

    private Values() {
    }

    // --- shapes ---

    static boolean isList(Object o) {
        return o instanceof List;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    /** Elements as a pipeline would see them: a list's elements, null as nothing, anything else alone. */
    static List<Object> asList(Object o) {
        if (o == null) {
            return new ArrayList<>();
        }
        if (o instanceof List) {
            return new ArrayList<>(list(o));
        }
        List<Object> l = new ArrayList<>();
        l.add(o);
        return l;
    }

    /** What a collected pipeline gives back: nothing is null, one object is itself, more are an array. */
    static Object unwrap(List<Object> output) {
        if (output.isEmpty()) {
            return null;
        }
        if (output.size() == 1) {
            return output.get(0);
        }
        return output;
    }

    static boolean isNumber(Object o) {
        return o instanceof Integer || o instanceof Long || o instanceof Double;
    }

    // --- truth ---

    static boolean toBool(Object o) {
        if (o == null) {
            return false;
        }
        if (o instanceof Boolean b) {
            return b;
        }
        if (o instanceof String s) {
            return !s.isEmpty();
        }
        if (o instanceof Integer i) {
            return i != 0;
        }
        if (o instanceof Long l) {
            return l != 0;
        }
        if (o instanceof Double d) {
            return d != 0;
        }
        if (o instanceof EnumValue e) {
            return e.value() != 0;
        }
        if (o instanceof List) {
            List<Object> l = list(o);
            if (l.isEmpty()) {
                return false;
            }
            if (l.size() == 1) {
                return l.get(0) instanceof List ? !list(l.get(0)).isEmpty() : toBool(l.get(0));
            }
            return true;
        }
        return true;
    }

    // --- strings ---

    static String toStr(Object o) {
        if (o == null) {
            return "";
        }
        if (o instanceof String s) {
            return s;
        }
        if (o instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (o instanceof Double d) {
            return formatDouble(d);
        }
        if (o instanceof List) {
            return joinWithSpace(list(o));
        }
        if (o instanceof LocalDateTime t) {
            return t.format(DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss", Locale.ROOT));
        }
        if (o instanceof ErrorRecord r) {
            return r.message;
        }
        return o.toString();
    }

    private static String joinWithSpace(List<Object> l) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < l.size(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(toStr(l.get(i)));
        }
        return sb.toString();
    }

    /** .NET Framework's double.ToString(): 15 significant digits, E notation outside 1e-5..1e15. */
    static String formatDouble(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return "0";
        }
        BigDecimal bd = new BigDecimal(d).round(G15).stripTrailingZeros();
        int exponent = bd.precision() - bd.scale() - 1;
        if (exponent >= 15 || exponent < -5) {
            String digits = bd.unscaledValue().abs().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String sign = d < 0 ? "-" : "";
            return sign + mantissa + "E" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        return bd.toPlainString();
    }

    // --- numbers ---

    /** A number from a value, as arithmetic and numeric comparison convert their right operand. */
    static Object toNumber(Object o, String targetType) {
        if (o == null) {
            return 0;
        }
        if (isNumber(o)) {
            return o;
        }
        if (o instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (o instanceof EnumValue e) {
            return e.value();
        }
        if (o instanceof String s) {
            String t = s.trim();
            if (t.isEmpty()) {
                return 0;
            }
            Object n = Tokenizer.parseNumber(t, true);
            if (n == null) {
                throw RuntimeError.invalidCast(s, targetType, "Input string was not in a correct format.",
                        "InvalidCastFromStringToInteger");
            }
            return n;
        }
        if (o instanceof List && list(o).size() == 1) {
            return toNumber(list(o).get(0), targetType);
        }
        throw new RuntimeError("Cannot convert the \"" + toStr(o) + "\" value of type \"" + typeNameOf(o)
                + "\" to type \"" + targetType + "\".", "ConvertToFinalInvalidCastException", "InvalidArgument",
                "System.Management.Automation.RuntimeException");
    }

    static int toInt(Object o) {
        Object n = toNumber(o, "System.Int32");
        double d = n instanceof Double x ? Math.rint(x) : ((Number) n).doubleValue();
        long l = n instanceof Double ? (long) d : ((Number) n).longValue();
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE || (n instanceof Double && Math.abs(d) > Integer.MAX_VALUE)) {
            throw RuntimeError.invalidCast(o, "System.Int32", "Value was either too large or too small for an Int32.",
                    "InvalidCastIConvertible");
        }
        return (int) l;
    }

    static long toLong(Object o) {
        Object n = toNumber(o, "System.Int64");
        return n instanceof Double x ? (long) Math.rint(x) : ((Number) n).longValue();
    }

    static double toDouble(Object o) {
        return ((Number) toNumber(o, "System.Double")).doubleValue();
    }

    /** Narrows a long result to Integer when it fits, as PowerShell's arithmetic widens only on overflow. */
    static Object narrow(long v) {
        return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? (Object) (int) v : (Object) v;
    }

    // --- equality and order ---

    static boolean psEquals(Object l, Object r, boolean caseSensitive) {
        if (l == null) {
            return r == null;
        }
        if (r == null) {
            return false;
        }
        if (l instanceof String ls) {
            String rs = toStr(r);
            return caseSensitive ? ls.equals(rs) : ls.equalsIgnoreCase(rs);
        }
        if (l instanceof Boolean lb) {
            return lb == toBool(r);
        }
        if (isNumber(l)) {
            Object rn;
            try {
                rn = r instanceof String || r instanceof Boolean || r instanceof EnumValue || isNumber(r)
                        ? toNumber(r, "System.Int32") : null;
            } catch (RuntimeError notANumber) {
                return false;
            }
            if (rn == null) {
                return false;
            }
            if (l instanceof Double || rn instanceof Double) {
                return ((Number) l).doubleValue() == ((Number) rn).doubleValue();
            }
            return ((Number) l).longValue() == ((Number) rn).longValue();
        }
        if (l instanceof EnumValue le) {
            if (r instanceof EnumValue re) {
                return le.value() == re.value() && le.typeName().equals(re.typeName());
            }
            if (isNumber(r)) {
                return le.value() == ((Number) r).longValue();
            }
            String rs = toStr(r).trim();
            return le.name().equalsIgnoreCase(rs) || rs.equals(String.valueOf(le.value()));
        }
        if (l instanceof LocalDateTime lt) {
            try {
                return lt.equals(toDateTime(r));
            } catch (RuntimeError e) {
                return false;
            }
        }
        if (l instanceof PsVersion lv) {
            try {
                return lv.compareTo(toVersion(r)) == 0;
            } catch (RuntimeError e) {
                return false;
            }
        }
        return l.equals(r);
    }

    static int psCompare(Object l, Object r, boolean caseSensitive) {
        if (l == null) {
            return r == null ? 0 : -1;
        }
        if (r == null) {
            return 1;
        }
        if (l instanceof String ls) {
            String rs = toStr(r);
            int c = ls.compareToIgnoreCase(rs);
            if (c == 0 && caseSensitive) {
                c = -ls.compareTo(rs); // lower case sorts first, as in en-US culture comparisons
            }
            return Integer.signum(c);
        }
        if (isNumber(l)) {
            Object rn;
            try {
                rn = toNumber(r, "System.Int32");
            } catch (RuntimeError e) {
                throw new RuntimeError("Could not compare \"" + toStr(l) + "\" to \"" + toStr(r) + "\". Error: \""
                        + e.getMessage() + "\"", "ComparisonFailure", "InvalidOperation",
                        "System.Management.Automation.RuntimeException");
            }
            if (l instanceof Double || rn instanceof Double) {
                return Double.compare(((Number) l).doubleValue(), ((Number) rn).doubleValue());
            }
            return Long.compare(((Number) l).longValue(), ((Number) rn).longValue());
        }
        if (l instanceof Boolean lb) {
            return Boolean.compare(lb, toBool(r));
        }
        if (l instanceof EnumValue le) {
            if (r instanceof EnumValue re) {
                return Integer.compare(le.value(), re.value());
            }
            if (isNumber(r)) {
                return Long.compare(le.value(), ((Number) r).longValue());
            }
            return le.name().compareToIgnoreCase(toStr(r));
        }
        if (l instanceof LocalDateTime lt) {
            return lt.compareTo(toDateTime(r));
        }
        if (l instanceof PsVersion lv) {
            return lv.compareTo(toVersion(r));
        }
        throw new RuntimeError("Cannot compare \"" + toStr(l) + "\" because it is not IComparable.", "NotIcomparable",
                "InvalidOperation", "System.Management.Automation.RuntimeException");
    }

    // --- types ---

    static PsType type(String name) {
        String n = name.trim();
        String key = n.toLowerCase(Locale.ROOT);
        if (key.startsWith("system.")) {
            key = key.substring(7);
        }
        String full = TYPES.get(key);
        if (full == null) {
            throw new RuntimeError("Unable to find type [" + n + "].", "TypeNotFound", "InvalidOperation",
                    "System.Management.Automation.RuntimeException", n, "TypeName");
        }
        int dot = full.lastIndexOf('.');
        return new PsType(full.substring(dot + 1), full);
    }

    static String typeNameOf(Object o) {
        if (o == null) {
            return "null";
        }
        if (o instanceof String) return "System.String";
        if (o instanceof Integer) return "System.Int32";
        if (o instanceof Long) return "System.Int64";
        if (o instanceof Double) return "System.Double";
        if (o instanceof Boolean) return "System.Boolean";
        if (o instanceof List) return "System.Object[]";
        if (o instanceof PsHashtable) return "System.Collections.Hashtable";
        if (o instanceof PsObject p) return p.typeName();
        if (o instanceof EnumValue e) return e.typeName();
        if (o instanceof ScriptBlockValue) return "System.Management.Automation.ScriptBlock";
        if (o instanceof LocalDateTime) return "System.DateTime";
        if (o instanceof PsVersion) return "System.Version";
        if (o instanceof PsType) return "System.RuntimeType";
        if (o instanceof ErrorRecord) return "System.Management.Automation.ErrorRecord";
        return "System.Object";
    }

    static boolean isInstance(PsType type, Object o) {
        if (o == null) {
            return false;
        }
        switch (type.fullName()) {
            case "System.Object":
            case "System.Management.Automation.PSObject":
                return true;
            case "System.Array":
            case "System.Object[]":
                return o instanceof List;
            default:
                if (o instanceof PsObject p) {
                    return p.typeNames().contains(type.fullName());
                }
                return typeNameOf(o).equals(type.fullName());
        }
    }

    /** [type]value, for the types the subset knows. */
    static Object convert(String typeName, Object value) {
        PsType type = type(typeName);
        switch (type.fullName()) {
            case "System.String":
                return value instanceof List && list(value).isEmpty() ? "" : toStr(value);
            case "System.Int32":
            case "System.Byte":
                return toInt(value);
            case "System.Int64":
                return toLong(value);
            case "System.Double":
            case "System.Single":
            case "System.Decimal":
                return toDouble(value);
            case "System.Boolean":
            case "System.Management.Automation.SwitchParameter":
                return toBool(value);
            case "System.Char": {
                String s = toStr(value);
                if (s.length() != 1) {
                    throw RuntimeError.invalidCast(value, "System.Char",
                            "String must be exactly one character long.", "InvalidCastParseTargetInvocation");
                }
                return s;
            }
            case "System.Object":
                return value;
            case "System.Management.Automation.PSObject":
                if (value instanceof PsHashtable h) {
                    PsObject o = PsObject.custom();
                    for (Object k : h.keys()) {
                        o.add(toStr(k), h.get(k));
                    }
                    return o;
                }
                return value;
            case "System.Array":
            case "System.Object[]":
                return value == null ? null : asList(value);
            case "System.String[]": {
                if (value == null) {
                    return null;
                }
                List<Object> out = new ArrayList<>();
                for (Object e : asList(value)) {
                    out.add(toStr(e));
                }
                return out;
            }
            case "System.Int32[]": {
                if (value == null) {
                    return null;
                }
                List<Object> out = new ArrayList<>();
                for (Object e : asList(value)) {
                    out.add(toInt(e));
                }
                return out;
            }
            case "System.Collections.Hashtable":
            case "System.Collections.Specialized.OrderedDictionary":
                if (value instanceof PsHashtable h) {
                    return h;
                }
                throw new RuntimeError("Cannot convert the \"" + toStr(value) + "\" value of type \"" + typeNameOf(value)
                        + "\" to type \"System.Collections.Hashtable\".", "ConvertToFinalInvalidCastException",
                        "InvalidArgument", "System.Management.Automation.RuntimeException");
            case "System.DateTime":
                return toDateTime(value);
            case "System.Version":
                return toVersion(value);
            case "System.Management.Automation.ScriptBlock":
                if (value instanceof ScriptBlockValue) {
                    return value;
                }
                throw new RuntimeError("Cannot convert the \"" + toStr(value) + "\" value of type \"" + typeNameOf(value)
                        + "\" to type \"System.Management.Automation.ScriptBlock\".", "ConvertToFinalInvalidCastException",
                        "InvalidArgument", "System.Management.Automation.RuntimeException");
            case "System.Void":
                return null;
            default:
                if (isInstance(type, value)) {
                    return value;
                }
                throw new RuntimeError("Cannot convert the \"" + toStr(value) + "\" value of type \"" + typeNameOf(value)
                        + "\" to type \"" + type.fullName() + "\".", "ConvertToFinalInvalidCastException",
                        "InvalidArgument", "System.Management.Automation.RuntimeException");
        }
    }

    static LocalDateTime toDateTime(Object value) {
        if (value instanceof LocalDateTime t) {
            return t;
        }
        String s = toStr(value).trim();
        for (String pattern : new String[] {"M/d/yyyy H:mm:ss", "M/d/yyyy h:mm:ss a", "M/d/yyyy H:mm", "yyyy-MM-dd'T'HH:mm:ss",
                "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm"}) {
            try {
                return LocalDateTime.parse(s, DateTimeFormatter.ofPattern(pattern, Locale.US));
            } catch (DateTimeParseException ignored) {
                // try the next form
            }
        }
        for (String pattern : new String[] {"M/d/yyyy", "yyyy-MM-dd"}) {
            try {
                return LocalDate.parse(s, DateTimeFormatter.ofPattern(pattern, Locale.US)).atTime(LocalTime.MIDNIGHT);
            } catch (DateTimeParseException ignored) {
                // try the next form
            }
        }
        throw RuntimeError.invalidCast(value, "System.DateTime",
                "String was not recognized as a valid DateTime.", "InvalidCastParseTargetInvocation");
    }

    static PsVersion toVersion(Object value) {
        if (value instanceof PsVersion v) {
            return v;
        }
        try {
            return PsVersion.parse(toStr(value));
        } catch (IllegalArgumentException e) {
            throw RuntimeError.invalidCast(value, "System.Version", e.getMessage(), "InvalidCastParseTargetInvocation");
        }
    }
}
