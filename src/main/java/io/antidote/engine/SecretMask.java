package io.antidote.engine;

import io.antidote.playbook.Param;
import io.antidote.playbook.ParamType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Masks the values of a run's secret parameters in what a host printed, before it is recorded: a script
 * that echoes a secret must not put it in an event, the API or a captured output.
 */
final class SecretMask {

    static final String MASK = "***";

    private final List<String> secrets;

    private SecretMask(List<String> secrets) {
        this.secrets = secrets;
    }

    static SecretMask of(List<Param> declared, Map<String, Object> params) {
        List<String> values = new ArrayList<>();
        for (Param p : declared) {
            if (p.type() == ParamType.SECRET && params.get(p.name()) instanceof String value && !value.isEmpty()) {
                values.add(value);
            }
        }
        // Longest first, so a secret that contains another is masked whole.
        values.sort(Comparator.comparingInt(String::length).reversed());
        return new SecretMask(values);
    }

    String apply(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, MASK);
        }
        return masked;
    }
}
