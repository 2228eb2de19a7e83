package io.antidote.playbook;

import java.util.Locale;
import java.util.Optional;

/**
 * How serious an alert source says an alert is, lowest first; a rule matches an alert of its {@code severity} or
 * above. The words EDR and SIEM products use most; PagerDuty's {@code warning} and {@code error} are read as
 * {@link #MEDIUM} and {@link #HIGH} so that a PagerDuty-shaped source needs no mapping of its own.
 */
public enum Severity {
    INFO, LOW, MEDIUM, HIGH, CRITICAL;

    /** The severity a word names, in any case, or empty. */
    public static Optional<Severity> of(String word) {
        if (word == null) {
            return Optional.empty();
        }
        String lower = word.toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "info", "informational" -> Optional.of(INFO);
            case "low" -> Optional.of(LOW);
            case "medium", "warning" -> Optional.of(MEDIUM);
            case "high", "error" -> Optional.of(HIGH);
            case "critical" -> Optional.of(CRITICAL);
            default -> Optional.empty();
        };
    }

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    /** How errors and docs list the words. */
    public static final String WORDS = "info, low, medium (or warning), high (or error), critical";
}
