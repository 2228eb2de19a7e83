package io.antidote.lab.powershell;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;

/**
 * Properties, methods and indexing on the lab's values, with PowerShell's lenient rules: a
 * missing property is $null, member access on an array enumerates its elements, a scalar has a
 * Count of 1, and .NET method failures become "Exception calling ..." errors.
 */
final class Members {

    private Members() {
    }

    // --- properties ---

    static Object get(Object target, String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (target == null) {
            return n.equals("count") || n.equals("length") ? 0 : null;
        }
        if (target instanceof ErrorRecord r) {
            return get(r.asObject(), name);
        }
        if (target instanceof PsObject o) {
            if (o.has(name)) {
                return o.get(name);
            }
            if (n.equals("psobject")) {
                return psObjectView(o);
            }
            return n.equals("count") || n.equals("length") ? 1 : null;
        }
        if (target instanceof PsHashtable h) {
            if (h.containsKey(name)) {
                return h.get(name);
            }
            switch (n) {
                case "count":
                    return h.size();
                case "keys":
                    return h.keys();
                case "values":
                    return h.values();
                default:
                    return null;
            }
        }
        if (target instanceof List) {
            List<Object> list = Values.list(target);
            if (n.equals("count") || n.equals("length")) {
                return list.size();
            }
            List<Object> values = new ArrayList<>();
            for (Object e : list) {
                Object v = get(e, name);
                if (v instanceof List) {
                    values.addAll(Values.list(v));
                } else if (v != null) {
                    values.add(v);
                }
            }
            return Values.unwrap(values);
        }
        if (target instanceof String s) {
            if (n.equals("length")) {
                return s.length();
            }
            return n.equals("count") ? 1 : null;
        }
        if (target instanceof LocalDateTime t) {
            switch (n) {
                case "year": return t.getYear();
                case "month": return t.getMonthValue();
                case "day": return t.getDayOfMonth();
                case "hour": return t.getHour();
                case "minute": return t.getMinute();
                case "second": return t.getSecond();
                case "millisecond": return t.getNano() / 1_000_000;
                case "dayofweek":
                    return new EnumValue("System.DayOfWeek", capitalize(t.getDayOfWeek().name()),
                            t.getDayOfWeek().getValue() % 7);
                case "dayofyear": return t.getDayOfYear();
                case "date": return t.toLocalDate().atStartOfDay();
                case "count": return 1;
                default: return null;
            }
        }
        if (target instanceof PsVersion v) {
            switch (n) {
                case "major": return v.major();
                case "minor": return v.minor();
                case "build": return v.build();
                case "revision": return v.revision();
                case "count": return 1;
                default: return null;
            }
        }
        if (target instanceof EnumValue e) {
            return n.equals("value__") ? e.value() : n.equals("count") ? 1 : null;
        }
        if (target instanceof PsType t) {
            switch (n) {
                case "name": return t.name();
                case "fullname": return t.fullName();
                default: return null;
            }
        }
        return n.equals("count") || n.equals("length") ? 1 : null;
    }

    private static String capitalize(String s) {
        return s.charAt(0) + s.substring(1).toLowerCase(Locale.ROOT);
    }

    private static PsObject psObjectView(PsObject o) {
        List<Object> properties = new ArrayList<>();
        for (String p : o.propertyNames()) {
            properties.add(PsObject.typed("System.Management.Automation.PSNoteProperty")
                    .add("Name", p).add("Value", o.get(p)).add("MemberType", "NoteProperty")
                    .add("TypeNameOfValue", Values.typeNameOf(o.get(p))));
        }
        return PsObject.typed("System.Management.Automation.PSObject")
                .add("Properties", properties)
                .add("TypeNames", new ArrayList<Object>(o.typeNames()));
    }

    // --- indexing ---

    static Object index(Object target, Object index) {
        if (target == null) {
            throw new RuntimeError("Cannot index into a null array.", "NullArray", "InvalidOperation",
                    "System.Management.Automation.RuntimeException");
        }
        if (index instanceof List && !(target instanceof PsHashtable)) {
            List<Object> out = new ArrayList<>();
            for (Object i : Values.list(index)) {
                Object v = index(target, i);
                if (v != null) {
                    out.add(v);
                }
            }
            return out;
        }
        if (target instanceof PsHashtable h) {
            if (index instanceof List) {
                List<Object> out = new ArrayList<>();
                for (Object k : Values.list(index)) {
                    out.add(h.get(k));
                }
                return out;
            }
            return h.get(index);
        }
        if (target instanceof List) {
            List<Object> list = Values.list(target);
            int i = Values.toInt(index);
            if (i < 0) {
                i += list.size();
            }
            return i >= 0 && i < list.size() ? list.get(i) : null;
        }
        if (target instanceof String s) {
            int i = Values.toInt(index);
            if (i < 0) {
                i += s.length();
            }
            return i >= 0 && i < s.length() ? String.valueOf(s.charAt(i)) : null;
        }
        if (target instanceof PsObject o && o.typeNames().contains("System.Text.RegularExpressions.Match")) {
            return null;
        }
        int i = Values.toInt(index);
        return i == 0 || i == -1 ? target : null;
    }

    // --- methods ---

    static Object invoke(Interpreter in, Object target, String name, List<Object> args) {
        String n = name.toLowerCase(Locale.ROOT);
        if (target == null) {
            throw new RuntimeError("You cannot call a method on a null-valued expression.", "InvokeMethodOnNull",
                    "InvalidOperation", "System.Management.Automation.RuntimeException");
        }
        if (n.equals("gettype") && args.isEmpty()) {
            String full = Values.typeNameOf(target);
            return new PsType(full.substring(full.lastIndexOf('.') + 1), full);
        }
        if (target instanceof String s) {
            return Strings.invoke(s, name, args);
        }
        if (n.equals("tostring") && args.isEmpty()) {
            if (target instanceof List) {
                return "System.Object[]";
            }
            return Values.toStr(target);
        }
        if (n.equals("equals") && args.size() == 1) {
            return target.equals(args.get(0)) || (Values.isNumber(target) && Values.psEquals(target, args.get(0), true)
                    && Values.isNumber(args.get(0)));
        }
        if (target instanceof ErrorRecord r) {
            return invoke(in, r.asObject(), name, args);
        }
        if (target instanceof PsHashtable h) {
            switch (n) {
                case "containskey":
                case "contains":
                    requireCount(name, args, 1);
                    return h.containsKey(args.get(0));
                case "containsvalue":
                    requireCount(name, args, 1);
                    return h.values().stream().anyMatch(v -> v == null ? args.get(0) == null : v.equals(args.get(0)));
                case "add":
                    requireCount(name, args, 2);
                    if (h.containsKey(args.get(0))) {
                        throw methodException(name, args, "ArgumentException", "Item has already been added. Key in "
                                + "dictionary: '" + Values.toStr(args.get(0)) + "'  Key being added: '"
                                + Values.toStr(args.get(0)) + "'");
                    }
                    h.put(args.get(0), args.get(1));
                    return null;
                case "remove":
                    requireCount(name, args, 1);
                    h.remove(args.get(0));
                    return null;
                case "clone":
                    return h.copy();
                default:
                    throw methodNotFound(target, name);
            }
        }
        if (target instanceof List) {
            List<Object> list = Values.list(target);
            switch (n) {
                case "contains":
                    requireCount(name, args, 1);
                    return list.stream().anyMatch(e -> e == null ? args.get(0) == null : e.equals(args.get(0)));
                case "indexof":
                    requireCount(name, args, 1);
                    for (int i = 0; i < list.size(); i++) {
                        Object e = list.get(i);
                        if (e == null ? args.get(0) == null : e.equals(args.get(0))) {
                            return i;
                        }
                    }
                    return -1;
                case "add":
                case "remove":
                case "clear":
                case "insert":
                case "removeat":
                    throw methodException(name, args, "NotSupportedException", "Collection was of a fixed size.");
                default: {
                    // PowerShell applies a method it cannot find on the array to each element.
                    List<Object> out = new ArrayList<>();
                    for (Object e : list) {
                        Object v = invoke(in, e, name, args);
                        if (v != null) {
                            out.add(v);
                        }
                    }
                    return Values.unwrap(out);
                }
            }
        }
        if (target instanceof ScriptBlockValue sb && (n.equals("invoke") || n.equals("invokereturnasis"))) {
            List<Object> out = new ArrayList<>();
            in.invokeScriptBlock(sb, null, args, true, out::add);
            return n.equals("invoke") ? out : Values.unwrap(out);
        }
        if (target instanceof LocalDateTime t) {
            switch (n) {
                case "adddays": return t.plusNanos((long) (Values.toDouble(args.get(0)) * 86_400_000_000_000L));
                case "addhours": return t.plusNanos((long) (Values.toDouble(args.get(0)) * 3_600_000_000_000L));
                case "addminutes": return t.plusNanos((long) (Values.toDouble(args.get(0)) * 60_000_000_000L));
                case "addseconds": return t.plusNanos((long) (Values.toDouble(args.get(0)) * 1_000_000_000L));
                case "tostring": return Formatting.formatDate(t, Values.toStr(args.get(0)));
                case "touniversaltime":
                case "tolocaltime": return t;
                default: throw methodNotFound(target, name);
            }
        }
        if (target instanceof PsObject o && (o.typeNames().contains(UTF8_ENCODING) || o.typeNames().contains(UNICODE_ENCODING))) {
            // [Text.Encoding]::Unicode is UTF-16 little-endian, as on Windows.
            java.nio.charset.Charset charset = o.typeNames().contains(UTF8_ENCODING)
                    ? java.nio.charset.StandardCharsets.UTF_8 : java.nio.charset.StandardCharsets.UTF_16LE;
            switch (n) {
                case "getstring":
                    requireCount(name, args, 1);
                    return new String(bytes(name, args.get(0)), charset);
                case "getbytes": {
                    requireCount(name, args, 1);
                    List<Object> out = new ArrayList<>();
                    for (byte b : Values.toStr(args.get(0)).getBytes(charset)) {
                        out.add(b & 0xFF);
                    }
                    return out;
                }
                default:
                    throw methodNotFound(target, name);
            }
        }
        if (Values.isNumber(target) && n.equals("tostring") && args.size() == 1) {
            return Formatting.formatValue(target, Values.toStr(args.get(0)));
        }
        if (n.equals("compareto") && args.size() == 1) {
            return Values.psCompare(target, args.get(0), true);
        }
        throw methodNotFound(target, name);
    }

    private static final String UTF8_ENCODING = "System.Text.UTF8Encoding";
    private static final String UNICODE_ENCODING = "System.Text.UnicodeEncoding";

    /** A byte[] argument: a list of integers 0..255, as FromBase64String and GetBytes return. */
    private static byte[] bytes(String name, Object value) {
        List<Object> items = value instanceof List ? Values.list(value) : List.of(value);
        byte[] bytes = new byte[items.size()];
        for (int i = 0; i < bytes.length; i++) {
            Object item = items.get(i);
            if (!Values.isNumber(item) || Values.toInt(item) < 0 || Values.toInt(item) > 255) {
                throw methodException(name, List.of(value), "ArgumentException", "Value must be an array of bytes");
            }
            bytes[i] = (byte) Values.toInt(item);
        }
        return bytes;
    }

    private static void requireCount(String name, List<Object> args, int count) {
        if (args.size() != count) {
            throw overloadNotFound(name, args.size());
        }
    }

    static RuntimeError overloadNotFound(String name, int count) {
        return new RuntimeError("Cannot find an overload for \"" + name + "\" and the argument count: \"" + count + "\".",
                "MethodCountCouldNotFindBest", "NotSpecified", "System.Management.Automation.MethodException");
    }

    static RuntimeError methodNotFound(Object target, String name) {
        return new RuntimeError("Method invocation failed because [" + Values.typeNameOf(target)
                + "] does not contain a method named '" + name + "'.", "MethodNotFound", "InvalidOperation",
                "System.Management.Automation.RuntimeException");
    }

    static RuntimeError methodException(String name, List<Object> args, String dotnetException, String message) {
        return new RuntimeError("Exception calling \"" + name + "\" with \"" + args.size() + "\" argument(s): \"" + message
                + "\"", dotnetException, "NotSpecified", "System.Management.Automation.MethodInvocationException");
    }

    // --- static members ---

    static Object staticProperty(Interpreter in, Object target, String name) {
        PsType type = (PsType) target;
        String n = name.toLowerCase(Locale.ROOT);
        switch (type.fullName() + "::" + n) {
            case "System.String::empty": return "";
            case "System.Int32::maxvalue": return Integer.MAX_VALUE;
            case "System.Int32::minvalue": return Integer.MIN_VALUE;
            case "System.Int64::maxvalue": return Long.MAX_VALUE;
            case "System.Int64::minvalue": return Long.MIN_VALUE;
            case "System.Math::pi": return Math.PI;
            case "System.DateTime::now":
            case "System.DateTime::utcnow": return in.now();
            case "System.DateTime::today": return in.now().toLocalDate().atStartOfDay();
            case "System.Environment::machinename": return in.server.computerName();
            case "System.Environment::newline": return "\r\n";
            case "System.Environment::username": return "Administrator";
            case "System.Environment::userdomainname": return "CONTOSO";
            case "System.Environment::osversion": return "Microsoft Windows NT 10.0.14393.0";
            case "System.IO.Path::directoryseparatorchar": return "\\";
            case "System.Text.Encoding::utf8": return PsObject.typed(UTF8_ENCODING, "System.Text.Encoding")
                    .toStringAs(o -> UTF8_ENCODING);
            case "System.Text.Encoding::unicode": return PsObject.typed(UNICODE_ENCODING, "System.Text.Encoding")
                    .toStringAs(o -> UNICODE_ENCODING);
            default:
                return null;
        }
    }

    static Object invokeStatic(Interpreter in, Object target, String name, List<Object> args) {
        PsType type = (PsType) target;
        String n = name.toLowerCase(Locale.ROOT);
        switch (type.fullName() + "::" + n) {
            case "System.String::isnullorempty":
                requireCount(name, args, 1);
                return args.get(0) == null || Values.toStr(args.get(0)).isEmpty();
            case "System.String::isnullorwhitespace":
                requireCount(name, args, 1);
                return args.get(0) == null || Strings.trim(Values.toStr(args.get(0)), null, true, true).isEmpty();
            case "System.String::join": {
                if (args.size() < 2) {
                    throw overloadNotFound(name, args.size());
                }
                List<Object> items = args.size() == 2 ? Values.asList(args.get(1)) : args.subList(1, args.size());
                return Operators.join(items, Values.toStr(args.get(0)));
            }
            case "System.String::concat": {
                StringBuilder sb = new StringBuilder();
                for (Object a : args) {
                    sb.append(a instanceof List ? Operators.join(a, "") : Values.toStr(a));
                }
                return sb.toString();
            }
            case "System.String::format":
                if (args.isEmpty()) {
                    throw overloadNotFound(name, 0);
                }
                return Formatting.format(Values.toStr(args.get(0)), args.size() == 2 && args.get(1) instanceof List
                        ? Values.list(args.get(1)) : args.subList(1, args.size()));
            case "System.Text.RegularExpressions.Regex::escape":
                requireCount(name, args, 1);
                return escapeRegex(Values.toStr(args.get(0)));
            case "System.Text.RegularExpressions.Regex::ismatch":
                requireCount(name, args, 2);
                return Operators.regex(Values.toStr(args.get(1)), true).matcher(Values.toStr(args.get(0))).find();
            case "System.Text.RegularExpressions.Regex::replace":
                requireCount(name, args, 3);
                return Operators.binary("creplace", args.get(0), List.of(args.get(1), args.get(2)), null);
            case "System.Text.RegularExpressions.Regex::match": {
                requireCount(name, args, 2);
                Matcher m = Operators.regex(Values.toStr(args.get(1)), true).matcher(Values.toStr(args.get(0)));
                boolean ok = m.find();
                return PsObject.typed("System.Text.RegularExpressions.Match")
                        .add("Success", ok).add("Value", ok ? m.group() : "").add("Index", ok ? m.start() : 0)
                        .add("Length", ok ? m.end() - m.start() : 0)
                        .add("Groups", ok ? groups(m) : new ArrayList<>())
                        .toStringAs(o -> Values.toStr(o.get("Value")));
            }
            case "System.Math::round":
                if (args.size() == 1) {
                    return Math.rint(Values.toDouble(args.get(0)));
                }
                requireCount(name, args, 2);
                return new java.math.BigDecimal(Values.toDouble(args.get(0)))
                        .setScale(Values.toInt(args.get(1)), java.math.RoundingMode.HALF_EVEN).doubleValue();
            case "System.Math::floor": return Math.floor(Values.toDouble(args.get(0)));
            case "System.Math::ceiling": return Math.ceil(Values.toDouble(args.get(0)));
            case "System.Math::abs": {
                Object v = Values.toNumber(args.get(0), "System.Double");
                return v instanceof Double d ? Math.abs(d) : Values.narrow(Math.abs(((Number) v).longValue()));
            }
            case "System.Math::max":
                requireCount(name, args, 2);
                return Values.psCompare(args.get(0), args.get(1), false) >= 0 ? args.get(0) : args.get(1);
            case "System.Math::min":
                requireCount(name, args, 2);
                return Values.psCompare(args.get(0), args.get(1), false) <= 0 ? args.get(0) : args.get(1);
            case "System.Math::pow":
                requireCount(name, args, 2);
                return Math.pow(Values.toDouble(args.get(0)), Values.toDouble(args.get(1)));
            case "System.IO.Path::combine": {
                String result = "";
                for (Object a : args) {
                    String part = Values.toStr(a);
                    if (part.matches("^[A-Za-z]:.*") || part.startsWith("\\")) {
                        result = part;
                    } else if (result.isEmpty() || result.endsWith("\\") || result.endsWith("/")) {
                        result += part;
                    } else {
                        result += "\\" + part;
                    }
                }
                return result;
            }
            case "System.IO.Path::getfilename": {
                String p = Values.toStr(args.get(0));
                return p.substring(Math.max(p.lastIndexOf('\\'), p.lastIndexOf('/')) + 1);
            }
            case "System.IO.Path::getextension": {
                String f = (String) invokeStatic(in, target, "GetFileName", args);
                int dot = f.lastIndexOf('.');
                return dot < 0 ? "" : f.substring(dot);
            }
            case "System.IO.Path::getfilenamewithoutextension": {
                String f = (String) invokeStatic(in, target, "GetFileName", args);
                int dot = f.lastIndexOf('.');
                return dot < 0 ? f : f.substring(0, dot);
            }
            case "System.IO.Path::getdirectoryname": {
                String p = Values.toStr(args.get(0));
                int i = Math.max(p.lastIndexOf('\\'), p.lastIndexOf('/'));
                return i < 0 ? "" : p.substring(0, i == 2 && p.charAt(1) == ':' ? 3 : i);
            }
            case "System.Convert::frombase64string": {
                requireCount(name, args, 1);
                byte[] bytes;
                try {
                    bytes = java.util.Base64.getDecoder().decode(Values.toStr(args.get(0)).strip());
                } catch (IllegalArgumentException e) {
                    throw methodException(name, args, "FormatException", "The input is not a valid Base-64 string");
                }
                // A byte[] is an array of System.Byte; the interpreter keeps it as a list of small ints.
                List<Object> out = new ArrayList<>(bytes.length);
                for (byte b : bytes) {
                    out.add(b & 0xFF);
                }
                return out;
            }
            case "System.Convert::tobase64string": {
                requireCount(name, args, 1);
                return java.util.Base64.getEncoder().encodeToString(bytes(name, args.get(0)));
            }
            case "System.BitConverter::tostring": {
                requireCount(name, args, 1);
                byte[] bytes = bytes(name, args.get(0));
                StringBuilder hex = new StringBuilder(bytes.length * 3);
                for (byte b : bytes) {
                    hex.append(hex.length() == 0 ? "" : "-").append(String.format(Locale.ROOT, "%02X", b & 0xFF));
                }
                return hex.toString();
            }
            case "System.Management.Automation.PSSerializer::serialize":
                requireCount(name, args, 1);
                return XmlText.serialize(args.get(0));
            case "System.Environment::getenvironmentvariable":
                return in.env.get(Values.toStr(args.get(0)));
            case "System.Int32::parse":
                return Values.toInt(Values.toStr(args.get(0)));
            case "System.Version::parse":
                return Values.toVersion(args.get(0));
            case "System.DateTime::parse":
                return Values.toDateTime(args.get(0));
            default:
                throw new RuntimeError("Method invocation failed because [" + type.fullName()
                        + "] does not contain a method named '" + name + "'.", "MethodNotFound", "InvalidOperation",
                        "System.Management.Automation.RuntimeException");
        }
    }

    private static List<Object> groups(Matcher m) {
        List<Object> out = new ArrayList<>();
        for (int g = 0; g <= m.groupCount(); g++) {
            String v = m.group(g);
            out.add(PsObject.typed("System.Text.RegularExpressions.Group").add("Success", v != null)
                    .add("Value", v == null ? "" : v).toStringAs(o -> Values.toStr(o.get("Value"))));
        }
        return out;
    }

    static String escapeRegex(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\': case '*': case '+': case '?': case '|': case '{': case '[': case '(': case ')': case '^':
                case '$': case '.': case '#':
                    sb.append('\\').append(c);
                    break;
                case ' ':
                    sb.append("\\ ");
                    break;
                case '\t': sb.append("\\t"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\f': sb.append("\\f"); break;
                default:
                    sb.append(c);
            }
        }
        return sb.toString();
    }
}
