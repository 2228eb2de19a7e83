package io.antidote.playbook;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which playbook parameters may set which library step inputs: every value the parameter can take must
 * be one the input accepts, checked when the playbook is read so that no run fails on it later, and a
 * secret never reaches an input that would show it.
 */
final class InputTypes {

    private InputTypes() {
    }

    /** Why {@code param} cannot set {@code input}, or null when it can. */
    static String mismatch(Param param, Param input) {
        ParamType from = param.type();
        ParamType to = input.type();
        String clash = "parameter '" + param.name() + "' is " + from.yamlName() + " but input '" + input.name()
                + "' takes " + to.yamlName();
        if (from == ParamType.SECRET && to != ParamType.SECRET) {
            return "parameter '" + param.name() + "' is a secret and input '" + input.name() + "' is not, so dry-runs"
                    + " would show its value; declare the input as secret";
        }
        switch (to) {
            case INTEGER, BOOLEAN -> {
                return from == to ? null : clash;
            }
            case ENUM -> {
                if (from != ParamType.ENUM) {
                    return clash + " (an enum input takes an enum parameter whose values it all accepts)";
                }
                List<String> refused = param.values().stream().filter(v -> !input.values().contains(v)).toList();
                return refused.isEmpty() ? null : "parameter '" + param.name() + "' may be " + String.join(", ", refused)
                        + ", which input '" + input.name() + "' does not accept (its values: "
                        + String.join(", ", input.values()) + ")";
            }
            default -> {
                if (to == ParamType.SOURCE) {
                    // A source input gets a configured folder only through a source parameter.
                    return from == ParamType.SOURCE ? null : clash;
                }
                if (from != ParamType.STRING && from != ParamType.ENUM && from != ParamType.SECRET
                        && from != ParamType.SOURCE) {
                    return clash;
                }
                if (input.pattern() == null || input.pattern().equals(param.pattern())) {
                    return null;
                }
                if (from == ParamType.ENUM) {
                    Pattern pattern = Pattern.compile(input.pattern());
                    List<String> refused = param.values().stream().filter(v -> !pattern.matcher(v).matches()).toList();
                    return refused.isEmpty() ? null : "parameter '" + param.name() + "' may be "
                            + String.join(", ", refused) + ", which does not match the pattern of input '"
                            + input.name() + "' (" + Text.shorten(input.pattern()) + ")";
                }
                return "input '" + input.name() + "' must match the pattern " + Text.shorten(input.pattern())
                        + ", so parameter '" + param.name() + "' must declare the same pattern";
            }
        }
    }
}
