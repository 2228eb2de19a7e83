package io.antidote.lab.powershell;

/** Character classes of PowerShell's tokenizer, typographic quotes and dashes included. */
final class Chars {

    private Chars() {
    }

    static boolean isSingleQuote(char c) {
        return c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B';
    }

    static boolean isDoubleQuote(char c) {
        return c == '"' || c == '\u201C' || c == '\u201D' || c == '\u201E';
    }

    static boolean isQuote(char c) {
        return isSingleQuote(c) || isDoubleQuote(c);
    }

    /** PowerShell reads en dash, em dash and horizontal bar as a dash too. */
    static boolean isDash(char c) {
        return c == '-' || c == '\u2013' || c == '\u2014' || c == '\u2015';
    }

    static boolean isNewline(char c) {
        return c == '\n' || c == '\r';
    }

    static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\f' || c == '\u000B' || c == '\u00A0' || c == '\u0085'
                || (c != '\n' && c != '\r' && Character.getType(c) == Character.SPACE_SEPARATOR);
    }

    static boolean isIdentifierStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    static boolean isIdentifierChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    static boolean isVariableChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** Characters that end a bare word in command mode and start a new token. */
    static boolean endsGenericToken(char c) {
        return isBlank(c) || isNewline(c) || c == '{' || c == '}' || c == '(' || c == ')' || c == ';'
                || c == ',' || c == '|' || c == '&';
    }
}
