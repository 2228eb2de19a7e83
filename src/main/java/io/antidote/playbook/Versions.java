package io.antidote.playbook;

import java.util.regex.Pattern;

/** Dotted versions such as {@code 15.1.2176.9} or {@code 15.01.2176.009}, compared number by number. */
final class Versions {

    private static final Pattern VERSION = Pattern.compile("[0-9]{1,9}(\\.[0-9]{1,9}){1,3}");

    private Versions() {
    }

    /** The numbers of a version, always four (missing ones are 0), or {@code null} if it is not one. */
    static long[] parse(String text) {
        if (text == null || !VERSION.matcher(text).matches()) {
            return null;
        }
        String[] parts = text.split("\\.");
        long[] numbers = new long[4];
        for (int i = 0; i < parts.length; i++) {
            numbers[i] = Long.parseLong(parts[i]);
        }
        return numbers;
    }

    static int compare(long[] a, long[] b) {
        for (int i = 0; i < 4; i++) {
            int c = Long.compare(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
