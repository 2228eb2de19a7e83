package io.antidote.playbook;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Renders what is sent to a host: a generated {@code param(...)} block that carries every parameter
 * value (for a library step: every input value) as a PowerShell literal, then the step's script, unchanged.
 *
 * <p>Values are data, never script text: a string becomes a single-quoted literal, in which
 * PowerShell expands nothing and the only special characters are its five single quotes
 * (' U+0027, ‘ U+2018, ’ U+2019, ‚ U+201A, ‛ U+201B), each written twice. A string that holds a
 * control character other than tab, line feed and carriage return (NUL, ESC, DEL, C1 controls) or
 * a non-character U+FFFE/U+FFFF travels as base64 of its UTF-8 bytes, decoded on the host by
 * {@code [System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('...'))}, because
 * such characters do not survive every transport (XML, command lines, logs). Integers are written
 * from a Java long, booleans as {@code $true}/{@code $false}. A secret is the exception: its value is never
 * part of the text ({@link #render}), but the script's standard input ({@link #secretInput}).
 */
public final class ScriptRenderer {

    private static final String SINGLE_QUOTES = "'\u2018\u2019\u201A\u201B";
    static final String REDACTED = "'***'";
    /** Holds the script's input lines while the secrets are set from them; reserved, emptied right after. */
    static final String INPUT_VARIABLE = "$antidote_input";

    private ScriptRenderer() {
    }

    /**
     * The script a host runs. It holds no secret value: a secret is declared as {@code '***'} and set, after the
     * param block, from the script's standard input ({@link #secretInput}), which the transport sends apart
     * from the script (WS-Management Send), so a secret is never on a command line, in a file on the server or
     * in text that script block logging records.
     */
    public static String render(Step step, Map<String, Object> resolved, List<Param> params) {
        return render(step, resolved, params, new ArrayList<>());
    }

    /** What dry-runs and logs show: the host's script itself, since it carries no secret value. */
    public static String renderRedacted(Step step, Map<String, Object> resolved, List<Param> params) {
        return render(step, resolved, params);
    }

    /**
     * The standard input the host's script reads its secret values from: one line per secret with a value, in
     * the order the param block declares them, each the base64 of the value's UTF-8 bytes (so any character,
     * a line break included, survives the console's code page). Empty when the step gets no secret.
     */
    public static String secretInput(Step step, Map<String, Object> resolved, List<Param> params) {
        List<String> secrets = new ArrayList<>();
        render(step, resolved, params, secrets);
        StringBuilder input = new StringBuilder();
        for (String secret : secrets) {
            input.append(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8))).append("\r\n");
        }
        return input.toString();
    }

    /** A PowerShell expression whose value is exactly {@code value}. */
    public static String stringLiteral(String value) {
        if (Text.unpairedSurrogate(value) >= 0) {
            throw new IllegalArgumentException("a string with an unpaired UTF-16 surrogate cannot be sent to PowerShell");
        }
        if (needsEncoding(value)) {
            String base64 = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
            return "([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('" + base64 + "')))";
        }
        StringBuilder literal = new StringBuilder(value.length() + 16).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (SINGLE_QUOTES.indexOf(c) >= 0) {
                literal.append(c);
            }
            literal.append(c);
        }
        return literal.append('\'').toString();
    }

    private static boolean needsEncoding(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c >= 0x7F && c <= 0x9F || c == 0xFFFE || c == 0xFFFF) {
                return true;
            }
        }
        return false;
    }

    private static String render(Step step, Map<String, Object> resolved, List<Param> params, List<String> secrets) {
        return render(step, resolved, params, secrets, UnaryOperator.identity());
    }

    private static String render(Step step, Map<String, Object> resolved, List<Param> params, List<String> secrets,
                                 UnaryOperator<String> around) {
        Map<String, Object> values = resolved == null ? Map.of() : resolved;
        List<Param> declared = params == null ? List.of() : params;
        for (String name : values.keySet()) {
            if (declared.stream().noneMatch(param -> param.name().equals(name))) {
                throw new IllegalArgumentException("resolved parameter '" + Text.shorten(name, 100)
                        + "' is not declared by the playbook");
            }
        }
        if (step.uses() != null) {
            // A library step's script sees its own inputs, set from the playbook or from these parameters, as data.
            Uses uses = step.uses();
            List<String> names = new ArrayList<>();
            List<String> lines = declarations(uses.step().inputs(), uses.inputValues(values), names, secrets);
            return withParamBlock(step, lines, names, around);
        }
        List<String> names = new ArrayList<>();
        return withParamBlock(step, declarations(declared, values, names, secrets), names, around);
    }

    /**
     * @param secretNames gets the names of the secrets read from standard input, in order
     * @param secrets     gets their values, in the same order
     */
    private static List<String> declarations(List<Param> declared, Map<String, Object> values, List<String> secretNames,
                                             List<String> secrets) {
        List<String> lines = new ArrayList<>();
        for (Param param : declared) {
            if (!ParamsReader.PARAM_NAME.matcher(param.name()).matches()) {
                throw new IllegalArgumentException("parameter name '" + Text.shorten(param.name(), 100)
                        + "' is not a PowerShell variable name");
            }
            Object value = values.get(param.name());
            lines.add(declaration(param, value));
            if (param.type() == ParamType.SECRET && value instanceof String secret && !secret.isEmpty()) {
                secretNames.add(param.name());
                secrets.add(secret);
            }
        }
        return lines;
    }

    private static String withParamBlock(Step step, List<String> declarations, List<String> secretNames,
                                         UnaryOperator<String> around) {
        if (step.packagePins()) {
            declarations = new ArrayList<>(declarations);
            declarations.add(pinsDeclaration());
        }
        String body = around.apply(step.powershell());
        if (declarations.isEmpty()) {
            return body;
        }
        return "param(\n  " + String.join(",\n  ", declarations) + "\n)\n" + secretsFromInput(secretNames) + body;
    }

    /** One line setting each secret from its line of standard input ({@link #secretInput}); none without secrets. */
    private static String secretsFromInput(List<String> secretNames) {
        if (secretNames.isEmpty()) {
            return "";
        }
        StringBuilder line = new StringBuilder(INPUT_VARIABLE + " = @($input)");
        for (int i = 0; i < secretNames.size(); i++) {
            line.append("; $").append(secretNames.get(i))
                    .append(" = [System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String(")
                    .append(INPUT_VARIABLE).append('[').append(i).append("]))");
        }
        return line.append("; ").append(INPUT_VARIABLE).append(" = $null\n").toString();
    }

    /**
     * As {@link #render}, with the outputs captured from earlier steps ({@link StepOutputs#capture}) declared
     * too, as {@code $steps_<step id, - as _>_<output name>}: data in the same param block, never script text.
     *
     * @param outputs captured outputs by step id, in the order the steps ran
     */
    public static String renderWithOutputs(Step step, Map<String, Object> resolved, List<Param> params,
                                           Map<String, Map<String, Object>> outputs) {
        return renderWithOutputs(step, resolved, params, outputs, UnaryOperator.identity());
    }

    /**
     * As {@link #renderWithOutputs(Step, Map, List, Map)}, with the step's own script passed through
     * {@code around} (the engine's marker wrapper), after the param block and the secrets it sets: the step's
     * script, and only it, runs inside what {@code around} makes of it.
     */
    public static String renderWithOutputs(Step step, Map<String, Object> resolved, List<Param> params,
                                           Map<String, Map<String, Object>> outputs, UnaryOperator<String> around) {
        Map<String, Object> values = resolved == null ? Map.of() : resolved;
        List<Param> declared = params == null ? List.of() : params;
        String plain = render(step, values, declared, new ArrayList<>(), around); // the same checks of the parameters
        if (step.uses() != null) {
            return plain; // a library step cannot know the ids of the playbook's steps, so it sees no outputs
        }
        List<String> secretNames = new ArrayList<>();
        List<String> lines = declarations(declared, values, secretNames, new ArrayList<>());
        Set<String> names = new HashSet<>();
        declared.forEach(param -> names.add(param.name().toLowerCase(Locale.ROOT)));
        (outputs == null ? Map.<String, Map<String, Object>>of() : outputs).forEach((stepId, captured) ->
                captured.forEach((name, value) -> {
                    String variable = outputVariable(stepId, name);
                    if (!names.add(variable.toLowerCase(Locale.ROOT))) {
                        throw new IllegalArgumentException("output variable $" + variable + " is declared twice");
                    }
                    lines.add(outputDeclaration(variable, value));
                }));
        return withParamBlock(step, lines, secretNames, around);
    }

    /**
     * {@code [hashtable]$antidote_package_pins = @{ 'KB5000871 2016 CU19' = '4B5D...'; ... }}: the pinned hashes, as
     * data in the param block like every value a script gets.
     */
    private static String pinsDeclaration() {
        StringBuilder table = new StringBuilder("[hashtable]$" + PackagePins.VARIABLE + " = @{");
        String separator = " ";
        for (Map.Entry<String, String> pin : PackagePins.byKey().entrySet()) {
            table.append(separator).append(stringLiteral(pin.getKey())).append(" = ").append(stringLiteral(pin.getValue()));
            separator = "; ";
        }
        return table.append(" }").toString();
    }

    /** The PowerShell variable name of a captured output, e.g. {@code steps_pre_check_build}. */
    public static String outputVariable(String stepId, String output) {
        String variable = "steps_" + stepId.replace('-', '_') + "_" + output;
        if (!ParamsReader.PARAM_NAME.matcher(variable).matches()) {
            throw new IllegalArgumentException("'" + Text.shorten(variable, 100) + "' is not a PowerShell variable name");
        }
        return variable;
    }

    private static String outputDeclaration(String variable, Object value) {
        if (value == null) {
            return "$" + variable + " = $null";
        }
        if (value instanceof Boolean flag) {
            return "[bool]$" + variable + " = " + (flag ? "$true" : "$false");
        }
        if (value instanceof Long || value instanceof Integer) {
            long number = ((Number) value).longValue();
            if (number == Long.MIN_VALUE) {
                return "[long]$" + variable + " = (-9223372036854775807 - 1)";
            }
            return (number >= Integer.MIN_VALUE && number <= Integer.MAX_VALUE ? "[int]$" : "[long]$") + variable
                    + " = " + number;
        }
        if (value instanceof String text) {
            return "[string]$" + variable + " = " + stringLiteral(text);
        }
        throw new IllegalArgumentException("output $" + variable + " is a " + value.getClass().getSimpleName()
                + "; outputs are strings, integers, booleans or null");
    }

    private static String declaration(Param param, Object value) {
        String variable = "$" + param.name();
        if (value == null) {
            if (param.required()) {
                throw new IllegalArgumentException("required parameter '" + param.name()
                        + "' has no value; resolve the parameters first");
            }
            // Untyped, so the script can tell "not given" ($null) from an empty string or a zero.
            return variable + " = $null";
        }
        switch (param.type()) {
            case INTEGER -> {
                if (!(value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte)) {
                    throw wrongType(param, value);
                }
                long number = ((Number) value).longValue();
                if (number == Long.MIN_VALUE) {
                    // Its magnitude is not a long literal; plain long arithmetic reaches it exactly.
                    return "[long]" + variable + " = (-9223372036854775807 - 1)";
                }
                String type = number >= Integer.MIN_VALUE && number <= Integer.MAX_VALUE ? "[int]" : "[long]";
                return type + variable + " = " + number;
            }
            case BOOLEAN -> {
                if (!(value instanceof Boolean flag)) {
                    throw wrongType(param, value);
                }
                return "[bool]" + variable + " = " + (flag ? "$true" : "$false");
            }
            default -> {
                if (!(value instanceof String text)) {
                    throw wrongType(param, value);
                }
                if (param.type() == ParamType.SECRET && !text.isEmpty()) {
                    // A placeholder: the value comes from standard input, after the param block.
                    return "[string]" + variable + " = " + REDACTED;
                }
                return "[string]" + variable + " = " + stringLiteral(text);
            }
        }
    }

    private static IllegalArgumentException wrongType(Param param, Object value) {
        return new IllegalArgumentException("parameter '" + param.name() + "' is " + param.type().yamlName()
                + " but its resolved value is a " + value.getClass().getSimpleName());
    }
}
