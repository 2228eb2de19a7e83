package io.antidote.engine;

import java.util.List;

/**
 * Free text a request carries into events or queries (ticket, comment, reason, list filters): PostgreSQL can
 * hold neither NUL (U+0000) nor an unpaired UTF-16 surrogate in text or jsonb, and used to answer 500 for
 * them; and a text longer than its limit is a mistake or an attack (a ticket over 2.7 KB overflowed the run
 * list's index, another 500). Each is refused here, naming the field.
 */
public final class RequestText {

    private RequestText() {
    }

    /** Adds a violation for {@code field} if {@code value} (null is fine) is not text of at most {@code max} characters. */
    public static void check(String field, String value, int max, List<InvalidRequestException.Violation> violations) {
        String problem = problem(value, max);
        if (problem != null) {
            violations.add(new InvalidRequestException.Violation(field, problem));
        }
    }

    /** What is wrong with the value, or null: absent, or at most {@code max} characters without NUL or lone surrogates. */
    public static String problem(String value, int max) {
        if (value == null) {
            return null;
        }
        if (value.length() > max) {
            return "must be at most " + max + " characters, got " + value.length();
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                return "contains a NUL character (U+0000), which cannot be recorded";
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired UTF-16 surrogate at index " + i + ", which is not text";
            }
        }
        return null;
    }
}
