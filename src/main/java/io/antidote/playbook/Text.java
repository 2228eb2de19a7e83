package io.antidote.playbook;

/** Makes untrusted text (host output, file content, request values) safe to put in a message. */
final class Text {

    private Text() {
    }

    /** Control characters shown as escapes, cut at {@code max} characters so a message stays a message. */
    static String shorten(String value, int max) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), max) + 8);
        for (int i = 0; i < value.length(); i++) {
            if (out.length() >= max) {
                return out.append('…').toString();
            }
            char c = value.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (Character.isISOControl(c) || Character.isSurrogate(c) && !validSurrogateAt(value, i)
                    || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String shorten(String value) {
        return shorten(value, 120);
    }

    private static boolean validSurrogateAt(String value, int i) {
        char c = value.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(value.charAt(i - 1));
    }

    /** The index of the first unpaired UTF-16 surrogate, or -1: such a string has no UTF-8 (or XML) form. */
    static int unpairedSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether the text's UTF-8 form has at most {@code maxBytes} bytes; counted without encoding it, and
     * stopping as soon as it is over, so that a huge value costs no more than the limit.
     */
    static boolean fitsUtf8(String value, int maxBytes) {
        if (value.length() > maxBytes) {
            return false;
        }
        long bytes = 0;
        for (int i = 0; i < value.length() && bytes <= maxBytes; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes <= maxBytes;
    }
}
