package io.antidote.lab.powershell;

/**
 * One token. {@code start}/{@code end} are offsets in the script; for strings and bare words
 * {@code contentStart}/{@code contentEnd} delimit the raw text to expand (between the quotes).
 */
record Token(TokenKind kind, int start, int end, Object value, int contentStart, int contentEnd, int flags) {

    /** A here-string: quotes inside are literal, no doubled-quote escapes. */
    static final int HERE = 1;
    /** A parameter written {@code -Name:} with its argument attached. */
    static final int COLON = 2;
    /** A bare word holding {@code $}, quotes or backticks: expanded by the parser. */
    static final int EXPANDABLE = 4;

    static Token of(TokenKind kind, int start, int end, Object value) {
        return new Token(kind, start, end, value, start, end, 0);
    }

    String text(String script) {
        return script.substring(start, end);
    }

    String stringValue() {
        return (String) value;
    }

    boolean is(TokenKind k) {
        return kind == k;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }
}
