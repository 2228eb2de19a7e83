package io.antidote.engine;

import java.util.List;

/** A request that cannot be carried out as asked; each violation names the field it is about. */
public class InvalidRequestException extends RuntimeException {

    public record Violation(String field, String message) {
    }

    /** Violations the message spells out; the problem's {@code errors} list has every one. */
    static final int IN_MESSAGE = 10;

    private final List<Violation> violations;

    public InvalidRequestException(List<Violation> violations) {
        super(message(violations));
        this.violations = List.copyOf(violations);
    }

    /**
     * Joined in one pass: reducing with {@code a + "; " + b} copied the text so far for every violation, and
     * 100,000 bad targets took minutes on the event loop.
     */
    private static String message(List<Violation> violations) {
        StringBuilder text = new StringBuilder();
        int shown = Math.min(violations.size(), IN_MESSAGE);
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                text.append("; ");
            }
            text.append(violations.get(i).field()).append(": ").append(violations.get(i).message());
        }
        if (violations.size() > shown) {
            text.append("; and ").append(violations.size() - shown).append(" more (see errors)");
        }
        return text.toString();
    }

    public InvalidRequestException(String field, String message) {
        this(List.of(new Violation(field, message)));
    }

    public List<Violation> violations() {
        return violations;
    }
}
