package io.antidote.lab.powershell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * An object with ordered, case-insensitive properties: a [pscustomobject], or what a cmdlet
 * returns (a service, a file, a firewall rule) under its .NET type name, which decides how it is
 * formatted and what it prints as a string.
 */
final class PsObject {

    static final String CUSTOM = "System.Management.Automation.PSCustomObject";

    private final List<String> typeNames;
    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, Object> values = new LinkedHashMap<>();
    private Function<PsObject, String> toStringFunction;

    private PsObject(List<String> typeNames) {
        this.typeNames = typeNames;
    }

    static PsObject custom() {
        return new PsObject(List.of(CUSTOM, "System.Object"));
    }

    static PsObject typed(String... typeNames) {
        List<String> names = new ArrayList<>(List.of(typeNames));
        if (!names.contains("System.Object")) {
            names.add("System.Object");
        }
        return new PsObject(List.copyOf(names));
    }

    PsObject add(String name, Object value) {
        String key = name.toLowerCase(Locale.ROOT);
        names.putIfAbsent(key, name);
        values.put(key, value);
        return this;
    }

    PsObject toStringAs(Function<PsObject, String> f) {
        this.toStringFunction = f;
        return this;
    }

    boolean has(String name) {
        return values.containsKey(name.toLowerCase(Locale.ROOT));
    }

    Object get(String name) {
        return values.get(name.toLowerCase(Locale.ROOT));
    }

    /** The property's spelling as the object has it. */
    String nameOf(String name) {
        return names.get(name.toLowerCase(Locale.ROOT));
    }

    void set(String name, Object value) {
        add(name, value);
    }

    List<String> propertyNames() {
        return new ArrayList<>(names.values());
    }

    List<String> typeNames() {
        return typeNames;
    }

    String typeName() {
        return typeNames.get(0);
    }

    boolean isCustom() {
        return typeName().equals(CUSTOM) || typeName().startsWith("Selected.");
    }

    /** A copy with the same type and properties (for Select-Object and friends). */
    PsObject copyAs(String... newTypeNames) {
        PsObject o = typed(newTypeNames);
        for (String n : propertyNames()) {
            o.add(n, get(n));
        }
        return o;
    }

    @Override
    public String toString() {
        if (toStringFunction != null) {
            return toStringFunction.apply(this);
        }
        if (isCustom()) {
            StringBuilder sb = new StringBuilder("@{");
            boolean first = true;
            for (String n : propertyNames()) {
                if (!first) {
                    sb.append("; ");
                }
                first = false;
                Object v = get(n);
                // PowerShell does not recurse here: a nested custom object prints as nothing, an array as its type.
                String text = v instanceof PsObject p && p.isCustom() ? "" : v instanceof java.util.List ? "System.Object[]"
                        : Values.toStr(v);
                sb.append(n).append('=').append(text);
            }
            return sb.append('}').toString();
        }
        return typeName();
    }
}
