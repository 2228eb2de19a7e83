package io.antidote.lab.powershell;

import io.antidote.lab.powershell.Param.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Binds a command's arguments to its parameters as PowerShell does: named parameters by full
 * name, alias or unambiguous prefix; then positional arguments in position order; then
 * conversion and validation. Failures are ParameterBindingExceptions, which end the statement.
 */
final class ParameterBinder {

    /** One argument as written: {@code parameter} null for a positional one. */
    record Arg(String parameter, Object value, boolean hasValue, Ast.Extent extent) {
    }

    record Binding(Map<String, Object> bound, String errorAction, boolean whatIf) {
    }

    static final List<String> ACTIONS = List.of("SilentlyContinue", "Stop", "Continue", "Inquire", "Ignore", "Suspend");

    private static final List<Param> COMMON = List.of(
            Param.of("ErrorAction", Kind.STRING).alias("ea").type("System.Management.Automation.ActionPreference"),
            Param.of("WarningAction", Kind.STRING).alias("wa").type("System.Management.Automation.ActionPreference"),
            Param.of("InformationAction", Kind.STRING).alias("infa").type("System.Management.Automation.ActionPreference"),
            Param.of("Verbose", Kind.SWITCH).alias("vb"), Param.of("Debug", Kind.SWITCH).alias("db"),
            Param.of("ErrorVariable", Kind.STRING).alias("ev"), Param.of("WarningVariable", Kind.STRING).alias("wv"),
            Param.of("InformationVariable", Kind.STRING).alias("iv"), Param.of("OutVariable", Kind.STRING).alias("ov"),
            Param.of("OutBuffer", Kind.INT).alias("ob"), Param.of("PipelineVariable", Kind.STRING).alias("pv"));
    private static final List<Param> SHOULD_PROCESS = List.of(
            Param.of("WhatIf", Kind.SWITCH).alias("wi"), Param.of("Confirm", Kind.SWITCH).alias("cf"));

    private final Interpreter in;
    private final CmdletInfo info;
    private final Ast.Extent commandExtent;
    private final String prefix;
    private final List<Param> all = new ArrayList<>();

    private ParameterBinder(Interpreter in, CmdletInfo info, Ast.Extent commandExtent, String prefix) {
        this.in = in;
        this.info = info;
        this.commandExtent = commandExtent;
        this.prefix = prefix;
        all.addAll(info.params());
        all.addAll(COMMON);
        if (info.shouldProcess()) {
            all.addAll(SHOULD_PROCESS);
        }
    }

    static Binding bind(Interpreter in, CmdletInfo info, List<Arg> args, Ast.Extent commandExtent, boolean expectingInput,
                        String invocationName) {
        return new ParameterBinder(in, info, commandExtent, invocationName).bind(args, expectingInput);
    }

    private Binding bind(List<Arg> args, boolean expectingInput) {
        Map<String, Object> bound = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        List<Arg> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            Arg a = args.get(i);
            if (a.parameter() == null) {
                positional.add(a);
                continue;
            }
            Param p = resolve(a.parameter(), a.extent());
            if (bound.containsKey(p.name())) {
                throw bindingError("Cannot bind parameter because parameter '" + p.name() + "' is specified more than once. "
                        + "To provide multiple values to parameters that can accept multiple values, use the array syntax. "
                        + "For example, \"-parameter value1,value2,value3\".", "ParameterAlreadyBound", a.extent());
            }
            Object value;
            Ast.Extent valueExtent = a.extent();
            if (p.kind() == Kind.SWITCH) {
                value = a.hasValue() ? Values.toBool(a.value()) : Boolean.TRUE;
            } else if (a.hasValue()) {
                value = a.value();
            } else if (i + 1 < args.size() && args.get(i + 1).parameter() == null) {
                valueExtent = args.get(i + 1).extent();
                value = args.get(++i).value();
            } else {
                throw bindingError("Missing an argument for parameter '" + p.name() + "'. Specify a parameter of type '"
                        + p.typeName() + "' and try again.", "MissingArgument", a.extent());
            }
            bound.put(p.name(), convert(p, value, valueExtent));
        }
        List<Param> byPosition = info.params().stream().filter(p -> p.position() >= 0)
                .sorted((x, y) -> Integer.compare(x.position(), y.position())).collect(Collectors.toList());
        int next = 0;
        for (int i = 0; i < positional.size(); i++) {
            Arg a = positional.get(i);
            while (next < byPosition.size() && bound.containsKey(byPosition.get(next).name())) {
                next++;
            }
            if (next >= byPosition.size()) {
                throw bindingError("A positional parameter cannot be found that accepts argument '"
                        + Values.toStr(a.value()) + "'.", "PositionalParameterNotFound", a.extent());
            }
            Param p = byPosition.get(next++);
            Object value = a.value();
            if (p.remaining() && i + 1 < positional.size()) {
                List<Object> rest = new ArrayList<>();
                for (int j = i; j < positional.size(); j++) {
                    rest.add(positional.get(j).value());
                }
                value = rest;
                i = positional.size();
            }
            bound.put(p.name(), convert(p, value, a.extent()));
        }
        for (Param p : info.params()) {
            // -Path and -LiteralPath belong to two parameter sets: binding -LiteralPath selects the set where Path is absent.
            boolean otherSet = p.name().equals("Path") && bound.containsKey("LiteralPath");
            if (p.mandatory() && !otherSet && !bound.containsKey(p.name()) && !(expectingInput && p.pipeline())) {
                throw bindingError("Cannot process command because of one or more missing mandatory parameters: "
                        + p.name() + ".", "MissingMandatoryParameter", commandExtent);
            }
        }
        String errorAction = bound.containsKey("ErrorAction") ? (String) bound.get("ErrorAction") : null;
        boolean whatIf = bound.containsKey("WhatIf") && Values.toBool(bound.get("WhatIf"));
        return new Binding(bound, errorAction, whatIf);
    }

    private Param resolve(String written, Ast.Extent extent) {
        String name = written.toLowerCase(Locale.ROOT);
        for (Param p : all) {
            if (p.name().equalsIgnoreCase(name) || p.aliases().stream().anyMatch(a -> a.equalsIgnoreCase(name))) {
                return p;
            }
        }
        Map<String, Param> matches = new LinkedHashMap<>();
        for (Param p : all) {
            if (p.name().toLowerCase(Locale.ROOT).startsWith(name)
                    || p.aliases().stream().anyMatch(a -> a.toLowerCase(Locale.ROOT).startsWith(name))) {
                matches.put(p.name(), p);
            }
        }
        if (matches.size() == 1) {
            return matches.values().iterator().next();
        }
        if (matches.isEmpty()) {
            throw bindingError("A parameter cannot be found that matches parameter name '" + written + "'.",
                    "NamedParameterNotFound", extent);
        }
        throw bindingError("Parameter cannot be processed because the parameter name '" + written + "' is ambiguous. "
                + "Possible matches include: " + matches.keySet().stream().map(n -> "-" + n)
                .collect(Collectors.joining(" ")) + ".", "AmbiguousParameter", extent);
    }

    private Object convert(Param p, Object value, Ast.Extent extent) {
        if (p.notNullOrEmpty()) {
            validateNotNullOrEmpty(p, value, extent);
        }
        Object converted;
        try {
            converted = switch (p.kind()) {
                case SWITCH -> Values.toBool(value);
                case STRING -> value == null ? null : Values.toStr(value);
                case STRINGS -> {
                    if (value == null) {
                        yield null;
                    }
                    List<String> list = new ArrayList<>();
                    for (Object e : Values.asList(value)) {
                        list.add(Values.toStr(e));
                    }
                    yield list;
                }
                case INT -> Values.toInt(value);
                case BOOL -> {
                    if (value instanceof Boolean || Values.isNumber(value)) {
                        yield Values.toBool(value);
                    }
                    throw bindingError("Cannot process argument transformation on parameter '" + p.name()
                            + "'. Cannot convert value \"" + Values.typeNameOf(value) + "\" to type \"System.Boolean\". "
                            + "Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.",
                            "ParameterArgumentTransformationError", extent);
                }
                case OBJECT -> value;
                case OBJECTS -> value == null ? null : Values.asList(value);
                case SCRIPTBLOCK -> {
                    if (value instanceof ScriptBlockValue) {
                        yield value;
                    }
                    throw scriptBlockExpected(p, value, extent);
                }
                case SCRIPTBLOCKS -> {
                    List<Object> blocks = Values.asList(value);
                    for (Object b : blocks) {
                        if (!(b instanceof ScriptBlockValue)) {
                            throw scriptBlockExpected(p, b, extent);
                        }
                    }
                    yield blocks;
                }
                case HASHTABLE -> {
                    if (value instanceof PsHashtable) {
                        yield value;
                    }
                    throw bindingError("Cannot bind parameter '" + p.name() + "'. Cannot convert the \""
                            + Values.toStr(value) + "\" value of type \"" + Values.typeNameOf(value)
                            + "\" to type \"System.Collections.Hashtable\".", "CannotConvertArgument", extent);
                }
            };
        } catch (RuntimeError e) {
            throw bindingError("Cannot bind parameter '" + p.name() + "'. " + e.getMessage(),
                    "CannotConvertArgumentNoMessage", extent);
        }
        if (p.name().equals("ErrorAction") || p.name().equals("WarningAction") || p.name().equals("InformationAction")) {
            return action(p, converted, extent);
        }
        if (!p.validSet().isEmpty() && converted != null) {
            if (converted instanceof List) {
                List<String> canonical = new ArrayList<>();
                for (Object e : Values.list(converted)) {
                    canonical.add(inSet(p, Values.toStr(e), extent));
                }
                return canonical;
            }
            return inSet(p, Values.toStr(converted), extent);
        }
        return converted;
    }

    private String action(Param p, Object value, Ast.Extent extent) {
        String v = Values.toStr(value).trim();
        for (String a : ACTIONS) {
            if (a.equalsIgnoreCase(v)) {
                return a;
            }
        }
        if (v.matches("[0-5]")) {
            return List.of("SilentlyContinue", "Stop", "Continue", "Inquire", "Ignore", "Suspend")
                    .get(List.of("0", "1", "2", "3", "4", "5").indexOf(v));
        }
        throw bindingError("Cannot bind parameter '" + p.name() + "'. Cannot convert value \"" + v
                + "\" to type \"System.Management.Automation.ActionPreference\". Error: \"Unable to match the identifier name "
                + v + " to a valid enumerator name. Specify one of the following enumerator names and try again:"
                + ErrorRecord.NL + String.join(", ", ACTIONS) + "\"", "CannotConvertArgumentNoMessage", extent);
    }

    private String inSet(Param p, String value, Ast.Extent extent) {
        for (String allowed : p.validSet()) {
            if (allowed.equalsIgnoreCase(value)) {
                return allowed;
            }
        }
        throw new PsException(new ErrorRecord("Cannot validate argument on parameter '" + p.name() + "'. The argument \""
                + value + "\" does not belong to the set \"" + String.join(",", p.validSet())
                + "\" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.",
                "System.Management.Automation.ParameterBindingValidationException", "InvalidData", info.name(), "", "",
                "ParameterArgumentValidationError," + info.implementingType(), null, prefix, in.position(extent)), false);
    }

    private void validateNotNullOrEmpty(Param p, Object value, Ast.Extent extent) {
        boolean isNull = value == null || (value instanceof List && Values.list(value).isEmpty());
        if (!isNull && value instanceof List) {
            for (Object e : Values.list(value)) {
                if (e == null) {
                    isNull = true;
                } else if (Values.toStr(e).isEmpty()) {
                    throw emptyString(p, extent);
                }
            }
        } else if (!isNull && value instanceof String s && s.isEmpty()) {
            throw emptyString(p, extent);
        }
        if (isNull) {
            throw new PsException(new ErrorRecord("Cannot bind argument to parameter '" + p.name() + "' because it is null.",
                    "System.Management.Automation.ParameterBindingValidationException", "InvalidData", info.name(), "", "",
                    "ParameterArgumentValidationErrorNullNotAllowed," + info.implementingType(), null, prefix,
                    in.position(extent)), false);
        }
    }

    private PsException emptyString(Param p, Ast.Extent extent) {
        return new PsException(new ErrorRecord("Cannot bind argument to parameter '" + p.name()
                + "' because it is an empty string.", "System.Management.Automation.ParameterBindingValidationException",
                "InvalidData", info.name(), "", "", "ParameterArgumentValidationErrorEmptyStringNotAllowed,"
                + info.implementingType(), null, prefix, in.position(extent)), false);
    }

    private PsException scriptBlockExpected(Param p, Object value, Ast.Extent extent) {
        return bindingError("Cannot bind parameter '" + p.name() + "'. Cannot convert the \"" + Values.toStr(value)
                + "\" value of type \"" + Values.typeNameOf(value) + "\" to type \"System.Management.Automation.ScriptBlock\".",
                "CannotConvertArgument", extent);
    }

    private PsException bindingError(String message, String errorId, Ast.Extent extent) {
        return new PsException(new ErrorRecord(message, "System.Management.Automation.ParameterBindingException",
                "InvalidArgument", info.name(), "", "", errorId + "," + info.implementingType(), null, prefix,
                in.position(extent)), false);
    }
}
