package io.antidote.playbook;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks the parameter values of a run request against the playbook and fills in defaults.
 * Values arrive as JSON types from the API: strings, integers and booleans, never coerced from
 * one another (the string "3" is not an integer). Messages never repeat a secret's value.
 */
public final class ParamResolver {

    // Reads a playbook's pattern may make over one requested value before the value is refused.
    private static final long PATTERN_READ_BUDGET = 5_000_000L;

    private ParamResolver() {
    }

    /**
     * @return every parameter that has a value (requested or default), in the playbook's order;
     *         strings as {@link String}, integers as {@link Long}, booleans as {@link Boolean}
     */
    public static Map<String, Object> resolve(Playbook playbook, Map<String, Object> requested)
            throws InvalidParamsException {
        return resolve(playbook, requested, PatchSources.NONE);
    }

    /**
     * As {@link #resolve(Playbook, Map)}, with the patch sources a {@code source} parameter (given or by default)
     * must name: its resolved value is the folder's path, which is what the run records and the script gets.
     */
    public static Map<String, Object> resolve(Playbook playbook, Map<String, Object> requested, PatchSources sources)
            throws InvalidParamsException {
        Map<String, Object> given = requested == null ? Map.of() : requested;
        List<ParamError> errors = new ArrayList<>();
        for (String name : given.keySet()) {
            if (name == null || playbook.param(name).isEmpty()) {
                errors.add(new ParamError(Text.shorten(name, 100), unknownMessage(playbook)));
            }
        }
        Map<String, Object> resolved = new LinkedHashMap<>();
        for (Param param : playbook.params()) {
            if (!given.containsKey(param.name())) {
                if (param.defaultValue() != null && param.type() == ParamType.SOURCE) {
                    Object folder = source(param, (String) param.defaultValue(), sources, errors, "the default ");
                    if (folder != null) {
                        resolved.put(param.name(), folder);
                    }
                } else if (param.defaultValue() != null) {
                    resolved.put(param.name(), param.defaultValue());
                } else if (param.required()) {
                    errors.add(new ParamError(param.name(), "required parameter is missing"));
                }
                continue;
            }
            Object value = checked(param, given.get(param.name()), sources, errors);
            if (value != null) {
                resolved.put(param.name(), value);
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidParamsException(errors);
        }
        return Collections.unmodifiableMap(resolved);
    }

    /** The resolved values with every secret replaced by {@code "***"}: what may be recorded in events and logs. */
    public static Map<String, Object> redacted(Playbook playbook, Map<String, Object> resolved) {
        Map<String, Object> shown = new LinkedHashMap<>();
        resolved.forEach((name, value) -> shown.put(name, playbook.param(name)
                .filter(param -> param.type() == ParamType.SECRET).isPresent() ? "***" : value));
        return Collections.unmodifiableMap(shown);
    }

    private static String unknownMessage(Playbook playbook) {
        if (playbook.params().isEmpty()) {
            return "unknown parameter; playbook '" + playbook.name() + "' takes no parameters";
        }
        return "unknown parameter; playbook '" + playbook.name() + "' takes: "
                + playbook.params().stream().map(Param::name).collect(Collectors.joining(", "));
    }

    private static Object checked(Param param, Object value, PatchSources sources, List<ParamError> errors) {
        String name = param.name();
        switch (param.type()) {
            case INTEGER -> {
                Long number = asLong(value);
                if (number == null) {
                    errors.add(new ParamError(name, value instanceof BigInteger
                            ? "the integer is out of range (64 bits)" : "expected an integer, got " + jsonType(value)));
                }
                return number;
            }
            case BOOLEAN -> {
                if (value instanceof Boolean flag) {
                    return flag;
                }
                errors.add(new ParamError(name, "expected true or false, got " + jsonType(value)));
                return null;
            }
            default -> {
                if (!(value instanceof String text)) {
                    errors.add(new ParamError(name, "expected a string, got " + jsonType(value)));
                    return null;
                }
                boolean secret = param.type() == ParamType.SECRET;
                if (!Text.fitsUtf8(text, param.maxLength())) {
                    errors.add(new ParamError(name, "the value is longer than " + param.maxLength() + " bytes (UTF-8),"
                            + " the most this parameter takes" + (param.maxLength() == Param.DEFAULT_MAX_LENGTH
                            ? " (a playbook may declare a larger maxLength)" : "")));
                    return null;
                }
                if (Text.unpairedSurrogate(text) >= 0) {
                    errors.add(new ParamError(name, "the value contains an unpaired UTF-16 surrogate, which cannot be"
                            + " sent to the host"));
                    return null;
                }
                if (text.indexOf('\0') >= 0) {
                    // The run request is recorded as PostgreSQL jsonb, which cannot hold U+0000; refusing it here
                    // names the parameter instead of failing the whole request at the store.
                    errors.add(new ParamError(name, "the value contains a NUL character (U+0000), which a run request"
                            + " cannot record; other control characters are sent base64-encoded"));
                    return null;
                }
                if (param.type() == ParamType.ENUM && !param.values().contains(text)) {
                    errors.add(new ParamError(name, "'" + Text.shorten(text) + "' is not one of: "
                            + String.join(", ", param.values())));
                    return null;
                }
                if (param.pattern() != null) {
                    String mismatch = patternMismatch(param.pattern(), text);
                    if (mismatch != null) {
                        errors.add(new ParamError(name, (secret ? "the value " : "'" + Text.shorten(text) + "' ")
                                + mismatch));
                        return null;
                    }
                }
                return param.type() == ParamType.SOURCE ? source(param, text, sources, errors, "") : text;
            }
        }
    }

    /** The folder a source parameter's value names, or null with the error recorded. */
    private static String source(Param param, String value, PatchSources sources, List<ParamError> errors,
                                 String which) {
        try {
            return sources.resolve(value);
        } catch (IllegalArgumentException refused) {
            errors.add(new ParamError(param.name(), which.isEmpty() ? refused.getMessage() : which + "value: "
                    + refused.getMessage()));
            return null;
        }
    }

    private static String patternMismatch(String pattern, String text) {
        try {
            if (Pattern.compile(pattern).matcher(new BoundedCharSequence(text, PATTERN_READ_BUDGET)).matches()) {
                return null;
            }
            return "does not match the pattern " + Text.shorten(pattern);
        } catch (BoundedCharSequence.BudgetExceeded | StackOverflowError e) {
            return "could not be checked against the pattern " + Text.shorten(pattern) + " (too costly)";
        }
    }

    private static Long asLong(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        return null;
    }

    private static String jsonType(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            return "an integer";
        }
        if (value instanceof Number) {
            return "a decimal number";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        if (value instanceof Collection<?> || value.getClass().isArray()) {
            return "an array";
        }
        return "an unsupported value";
    }
}
