package io.antidote.lab.powershell;

import java.math.BigInteger;
import java.util.Locale;

/**
 * PowerShell's tokenizer for the lab's subset. As in PowerShell, what a character sequence means
 * depends on the mode the parser asks for: in {@link Mode#EXPRESSION} {@code -eq} is an operator
 * and {@code 443} a number; in {@link Mode#COMMAND} (command names and their arguments)
 * {@code -Name} is a parameter and {@code C:\Patches} a bare word. Tokens are scanned on demand
 * at the current position, so the parser can look ahead and back up.
 */
final class Tokenizer {

    enum Mode { EXPRESSION, COMMAND }

    private final String s;
    private final int length;
    private int pos;

    Tokenizer(String script) {
        this.s = script;
        this.length = script.length();
    }

    String script() {
        return s;
    }

    int position() {
        return pos;
    }

    void reset(int position) {
        this.pos = position;
    }

    boolean atEnd(int i) {
        return i >= length;
    }

    /** The character at i, or 0 past the end (callers check {@link #atEnd} where a NUL matters). */
    char charAt(int i) {
        return i < length ? s.charAt(i) : '\0';
    }

    Token peek(Mode mode) {
        int saved = pos;
        try {
            return next(mode);
        } finally {
            pos = saved;
        }
    }

    /** Skips blanks, backtick line continuations and comments, but not newlines. */
    void skipTrivia() {
        while (pos < length) {
            char c = s.charAt(pos);
            if (Chars.isBlank(c)) {
                pos++;
            } else if (c == '`' && pos + 1 < length && Chars.isNewline(s.charAt(pos + 1))) {
                pos += (s.charAt(pos + 1) == '\r' && charAt(pos + 2) == '\n') ? 3 : 2;
            } else if (c == '#') {
                while (pos < length && !Chars.isNewline(s.charAt(pos))) {
                    pos++;
                }
            } else if (c == '<' && charAt(pos + 1) == '#' && pos + 1 < length) {
                int close = s.indexOf("#>", pos + 2);
                if (close < 0) {
                    throw new ParseException("Missing the terminator '#>' of the block comment.",
                            "MissingTerminatorMultiLineComment", pos);
                }
                pos = close + 2;
            } else {
                return;
            }
        }
    }

    Token next(Mode mode) {
        skipTrivia();
        int start = pos;
        if (pos >= length) {
            return Token.of(TokenKind.EOF, pos, pos, null);
        }
        char c = s.charAt(pos);
        char n = charAt(pos + 1);
        boolean hasNext = pos + 1 < length;
        switch (c) {
            case '\r':
                pos += (hasNext && n == '\n') ? 2 : 1;
                return Token.of(TokenKind.NEWLINE, start, pos, null);
            case '\n':
                pos++;
                return Token.of(TokenKind.NEWLINE, start, pos, null);
            case ';':
                pos++;
                return Token.of(TokenKind.SEMI, start, pos, null);
            case '|':
                if (hasNext && n == '|') {
                    throw new ParseException("The token '||' is not a valid statement separator in this version.",
                            "InvalidEndOfLine", start);
                }
                pos++;
                return Token.of(TokenKind.PIPE, start, pos, null);
            case '&':
                if (hasNext && n == '&') {
                    throw new ParseException("The token '&&' is not a valid statement separator in this version.",
                            "InvalidEndOfLine", start);
                }
                pos++;
                return Token.of(TokenKind.AMP, start, pos, null);
            case '(':
                pos++;
                return Token.of(TokenKind.LPAREN, start, pos, null);
            case ')':
                pos++;
                return Token.of(TokenKind.RPAREN, start, pos, null);
            case '{':
                pos++;
                return Token.of(TokenKind.LCURLY, start, pos, null);
            case '}':
                pos++;
                return Token.of(TokenKind.RCURLY, start, pos, null);
            case ',':
                pos++;
                return Token.of(TokenKind.COMMA, start, pos, null);
            case '@':
                return scanAt(mode, start);
            case '$':
                return scanDollar(mode, start);
            default:
                break;
        }
        if (Chars.isSingleQuote(c)) {
            String value = scanSingleQuoted();
            return new Token(TokenKind.STRING, start, pos, value, start + 1, pos - 1, 0);
        }
        if (Chars.isDoubleQuote(c)) {
            int contentEnd = scanDoubleQuoted();
            return new Token(TokenKind.EXPANDABLE_STRING, start, pos, null, start + 1, contentEnd, 0);
        }
        return mode == Mode.EXPRESSION ? scanExpressionToken(start, c, n, hasNext) : scanCommandToken(start, c, n, hasNext);
    }

    private Token scanExpressionToken(int start, char c, char n, boolean hasNext) {
        if (Character.isDigit(c) && c >= '1' && c <= '6' && n == '>' && hasNext) {
            return scanRedirection(start);
        }
        if (c == '*' && n == '>' && hasNext) {
            return scanRedirection(start);
        }
        if (c == '>') {
            return scanRedirection(start);
        }
        if (Character.isDigit(c) || (c == '.' && Character.isDigit(n) && hasNext)) {
            return scanNumber(start);
        }
        if (Chars.isDash(c)) {
            if (hasNext && Chars.isDash(n)) {
                pos += 2;
                return Token.of(TokenKind.MINUSMINUS, start, pos, null);
            }
            if (n == '=' && hasNext) {
                pos += 2;
                return Token.of(TokenKind.MINUS_EQUALS, start, pos, null);
            }
            if (hasNext && Character.isLetter(n)) {
                int p = pos + 1;
                while (p < length && Character.isLetter(s.charAt(p))) {
                    p++;
                }
                pos = p;
                return Token.of(TokenKind.OPERATOR, start, pos, s.substring(start + 1, p).toLowerCase(Locale.ROOT));
            }
            pos++;
            return Token.of(TokenKind.MINUS, start, pos, null);
        }
        switch (c) {
            case '[':
                pos++;
                return Token.of(TokenKind.LBRACKET, start, pos, null);
            case ']':
                pos++;
                return Token.of(TokenKind.RBRACKET, start, pos, null);
            case '.':
                if (n == '.' && hasNext) {
                    pos += 2;
                    return Token.of(TokenKind.DOTDOT, start, pos, null);
                }
                pos++;
                return Token.of(TokenKind.DOT, start, pos, null);
            case ':':
                if (n == ':' && hasNext) {
                    pos += 2;
                    return Token.of(TokenKind.COLONCOLON, start, pos, null);
                }
                break;
            case '=':
                pos++;
                return Token.of(TokenKind.EQUALS, start, pos, null);
            case '+':
                if (n == '+' && hasNext) {
                    pos += 2;
                    return Token.of(TokenKind.PLUSPLUS, start, pos, null);
                }
                if (n == '=' && hasNext) {
                    pos += 2;
                    return Token.of(TokenKind.PLUS_EQUALS, start, pos, null);
                }
                pos++;
                return Token.of(TokenKind.PLUS, start, pos, null);
            case '*':
                if (n == '=' && hasNext) {
                    pos += 2;
                    return Token.of(TokenKind.STAR_EQUALS, start, pos, null);
                }
                pos++;
                return Token.of(TokenKind.STAR, start, pos, null);
            case '/':
                if (n == '=' && hasNext) {
                    pos += 2;
                    return Token.of(TokenKind.SLASH_EQUALS, start, pos, null);
                }
                pos++;
                return Token.of(TokenKind.SLASH, start, pos, null);
            case '%':
                if (n == '=' && hasNext) {
                    pos += 2;
                    return Token.of(TokenKind.PERCENT_EQUALS, start, pos, null);
                }
                pos++;
                return Token.of(TokenKind.PERCENT, start, pos, null);
            case '!':
                pos++;
                return Token.of(TokenKind.EXCLAIM, start, pos, null);
            default:
                break;
        }
        if (Chars.isIdentifierStart(c)) {
            int p = pos;
            while (p < length && Chars.isIdentifierChar(s.charAt(p))) {
                p++;
            }
            pos = p;
            return Token.of(TokenKind.IDENTIFIER, start, pos, s.substring(start, p));
        }
        if (c == '<') {
            throw new ParseException("The '<' operator is reserved for future use.", "RedirectionNotSupported", start);
        }
        // Anything else reads as a bare word, which the parser reports as unexpected.
        int p = pos + 1;
        while (p < length && !Chars.endsGenericToken(s.charAt(p))) {
            p++;
        }
        pos = p;
        return Token.of(TokenKind.IDENTIFIER, start, pos, s.substring(start, p));
    }

    private Token scanCommandToken(int start, char c, char n, boolean hasNext) {
        if (((c >= '1' && c <= '6') || c == '*') && n == '>' && hasNext) {
            return scanRedirection(start);
        }
        if (c == '>') {
            return scanRedirection(start);
        }
        if (c == '<') {
            throw new ParseException("The '<' operator is reserved for future use.", "RedirectionNotSupported", start);
        }
        if (Chars.isDash(c) && hasNext && (Character.isLetter(n) || n == '_' || n == '?')) {
            int p = pos + 1;
            while (p < length && (Chars.isIdentifierChar(s.charAt(p)) || Chars.isDash(s.charAt(p)) || s.charAt(p) == '?')) {
                p++;
            }
            if (p < length && s.charAt(p) == ':') {
                pos = p + 1;
                return new Token(TokenKind.PARAMETER, start, pos, s.substring(start + 1, p), start, pos, Token.COLON);
            }
            if (p >= length || Chars.endsGenericToken(s.charAt(p))) {
                pos = p;
                return Token.of(TokenKind.PARAMETER, start, pos, s.substring(start + 1, p));
            }
        }
        return scanGeneric(start);
    }

    /** A bare word; a number if the whole word reads as one. */
    private Token scanGeneric(int start) {
        int p = start;
        boolean expandable = false;
        while (p < length) {
            char c = s.charAt(p);
            if (Chars.endsGenericToken(c)) {
                break;
            }
            if (c == '`') {
                expandable = true;
                p += p + 1 < length ? 2 : 1;
                continue;
            }
            if (Chars.isSingleQuote(c)) {
                expandable = true;
                pos = p;
                scanSingleQuoted();
                p = pos;
                continue;
            }
            if (Chars.isDoubleQuote(c)) {
                expandable = true;
                pos = p;
                scanDoubleQuoted();
                p = pos;
                continue;
            }
            if (c == '$') {
                expandable = true;
                if (charAt(p + 1) == '(' && p + 1 < length) {
                    p = skipSubexpression(p + 2, p);
                    continue;
                }
            }
            p++;
        }
        pos = p;
        String text = s.substring(start, p);
        if (!expandable) {
            Object number = parseNumber(text, true);
            if (number != null) {
                return Token.of(TokenKind.NUMBER, start, p, number);
            }
        }
        return new Token(TokenKind.GENERIC, start, p, text, start, p, expandable ? Token.EXPANDABLE : 0);
    }

    private Token scanRedirection(int start) {
        int p = pos;
        StringBuilder op = new StringBuilder();
        if (s.charAt(p) != '>') {
            op.append(s.charAt(p));
            p++;
        }
        op.append('>');
        p++;
        if (charAt(p) == '>' && p < length) {
            op.append('>');
            p++;
        } else if (charAt(p) == '&' && p < length && charAt(p + 1) >= '1' && charAt(p + 1) <= '6') {
            op.append('&').append(s.charAt(p + 1));
            p += 2;
        }
        pos = p;
        return Token.of(TokenKind.REDIRECTION, start, pos, op.toString());
    }

    private Token scanAt(Mode mode, int start) {
        char n = charAt(pos + 1);
        boolean hasNext = pos + 1 < length;
        if (hasNext && n == '(') {
            pos += 2;
            return Token.of(TokenKind.AT_PAREN, start, pos, null);
        }
        if (hasNext && n == '{') {
            pos += 2;
            return Token.of(TokenKind.AT_CURLY, start, pos, null);
        }
        if (hasNext && Chars.isQuote(n)) {
            return scanHereString(start, Chars.isSingleQuote(n));
        }
        if (mode == Mode.COMMAND) {
            int p = pos + 1;
            while (p < length && Chars.isVariableChar(s.charAt(p))) {
                p++;
            }
            if (p > pos + 1 && (p >= length || Chars.endsGenericToken(s.charAt(p)))) {
                pos = p;
                return Token.of(TokenKind.SPLAT, start, pos, s.substring(start + 1, p));
            }
            return scanGeneric(start);
        }
        throw new ParseException("Unrecognized token in source text.", "UnrecognizedToken", start);
    }

    private Token scanDollar(Mode mode, int start) {
        if (pos + 1 < length && s.charAt(pos + 1) == '(') {
            pos += 2;
            return Token.of(TokenKind.DOLLAR_PAREN, start, pos, null);
        }
        int p = pos + 1;
        String name;
        if (p < length && s.charAt(p) == '{') {
            StringBuilder sb = new StringBuilder();
            p++;
            while (true) {
                if (p >= length) {
                    throw new ParseException("Missing '}' in the variable reference ${...}.", "IncompleteDollarVariableReference", start);
                }
                char c = s.charAt(p);
                if (c == '}') {
                    p++;
                    break;
                }
                if (c == '`' && p + 1 < length) {
                    p++;
                    c = s.charAt(p);
                }
                sb.append(c);
                p++;
            }
            name = sb.toString();
            if (name.isEmpty()) {
                throw new ParseException("Empty ${} variable reference, there should be a name between the braces.",
                        "EmptyVariableReference", start);
            }
        } else {
            int nameStart = p;
            while (p < length && Chars.isVariableChar(s.charAt(p))) {
                p++;
            }
            if (p < length && s.charAt(p) == ':' && p + 1 < length && p > nameStart
                    && (Chars.isVariableChar(s.charAt(p + 1)))) {
                p++;
                while (p < length && Chars.isVariableChar(s.charAt(p))) {
                    p++;
                }
            }
            if (p == nameStart && p < length && "?$^".indexOf(s.charAt(p)) >= 0) {
                p++;
            }
            name = s.substring(nameStart, p);
            if (name.isEmpty()) {
                if (mode == Mode.COMMAND) {
                    return scanGeneric(start);
                }
                throw new ParseException("Variable reference is not valid. '$' was not followed by a valid variable name "
                        + "character. Consider using ${} to delimit the name.", "InvalidVariableReference", start);
            }
        }
        if (mode == Mode.COMMAND && p < length) {
            char c = s.charAt(p);
            if (!Chars.endsGenericToken(c) && c != '.' && c != '[') {
                return scanGeneric(start);
            }
        }
        pos = p;
        return Token.of(TokenKind.VARIABLE, start, pos, name);
    }

    /** Scans '...' from pos (at the opening quote); returns the value, pos after the closing quote. */
    String scanSingleQuoted() {
        int start = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= length) {
                throw new ParseException("The string is missing the terminator: '.", "TerminatorExpectedAtEndOfString", start);
            }
            char c = s.charAt(pos);
            if (Chars.isSingleQuote(c)) {
                if (pos + 1 < length && Chars.isSingleQuote(s.charAt(pos + 1))) {
                    // A doubled quote is one quote: PowerShell keeps the second character.
                    sb.append(s.charAt(pos + 1));
                    pos += 2;
                    continue;
                }
                pos++;
                return sb.toString();
            }
            sb.append(c);
            pos++;
        }
    }

    /** Scans "..." from pos (at the opening quote); returns the content's end, pos after the closing quote. */
    int scanDoubleQuoted() {
        int start = pos;
        pos++;
        while (true) {
            if (pos >= length) {
                throw new ParseException("The string is missing the terminator: \".", "TerminatorExpectedAtEndOfString", start);
            }
            char c = s.charAt(pos);
            if (c == '`') {
                pos += 2;
                continue;
            }
            if (Chars.isDoubleQuote(c)) {
                if (pos + 1 < length && Chars.isDoubleQuote(s.charAt(pos + 1))) {
                    pos += 2;
                    continue;
                }
                int contentEnd = pos;
                pos++;
                return contentEnd;
            }
            if (c == '$' && pos + 1 < length && s.charAt(pos + 1) == '(') {
                pos = skipSubexpression(pos + 2, pos);
                continue;
            }
            pos++;
        }
    }

    /** From just inside "$(", the offset after the matching ")", skipping nested strings. */
    int skipSubexpression(int p, int errorAt) {
        int depth = 1;
        int saved = pos;
        while (p < length) {
            char c = s.charAt(p);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth == 0) {
                    pos = saved;
                    return p + 1;
                }
            } else if (c == '`') {
                p++;
            } else if (Chars.isSingleQuote(c)) {
                pos = p;
                scanSingleQuoted();
                p = pos;
                continue;
            } else if (Chars.isDoubleQuote(c)) {
                pos = p;
                scanDoubleQuoted();
                p = pos;
                continue;
            }
            p++;
        }
        throw new ParseException("Missing closing ')' in subexpression.", "MissingEndParenthesisInSubexpression", errorAt);
    }

    private Token scanHereString(int start, boolean literal) {
        int p = pos + 2;
        while (p < length && Chars.isBlank(s.charAt(p))) {
            p++;
        }
        if (p >= length || !Chars.isNewline(s.charAt(p))) {
            throw new ParseException("No characters are allowed after a here-string header but before the end of the line.",
                    "UnexpectedCharactersAfterHereStringHeader", p);
        }
        p += (s.charAt(p) == '\r' && charAt(p + 1) == '\n' && p + 1 < length) ? 2 : 1;
        int contentStart = p;
        int lineStart = p;
        while (lineStart < length) {
            char q = s.charAt(lineStart);
            boolean quoteMatches = literal ? Chars.isSingleQuote(q) : Chars.isDoubleQuote(q);
            if (quoteMatches && charAt(lineStart + 1) == '@' && lineStart + 1 < length) {
                int contentEnd = lineStart;
                if (contentEnd > contentStart) {
                    contentEnd--; // the newline before the terminator is not content
                    if (s.charAt(contentEnd) == '\n' && contentEnd > contentStart && s.charAt(contentEnd - 1) == '\r') {
                        contentEnd--;
                    }
                }
                pos = lineStart + 2;
                if (literal) {
                    return new Token(TokenKind.STRING, start, pos, s.substring(contentStart, contentEnd),
                            contentStart, contentEnd, Token.HERE);
                }
                return new Token(TokenKind.EXPANDABLE_STRING, start, pos, null, contentStart, contentEnd, Token.HERE);
            }
            int nl = nextLineStart(lineStart);
            if (nl < 0) {
                break;
            }
            lineStart = nl;
        }
        throw new ParseException("The string is missing the terminator: " + (literal ? "'" : "\"") + "@.",
                "TerminatorExpectedAtEndOfString", start);
    }

    private int nextLineStart(int from) {
        for (int p = from; p < length; p++) {
            char c = s.charAt(p);
            if (c == '\n') {
                return p + 1;
            }
            if (c == '\r') {
                return (charAt(p + 1) == '\n' && p + 1 < length) ? p + 2 : p + 1;
            }
        }
        return -1;
    }

    private Token scanNumber(int start) {
        int p = pos;
        if (s.charAt(p) == '0' && (charAt(p + 1) == 'x' || charAt(p + 1) == 'X')) {
            p += 2;
            while (p < length && Character.isLetterOrDigit(s.charAt(p))) {
                p++;
            }
        } else {
            while (p < length) {
                char c = s.charAt(p);
                if (Character.isDigit(c)) {
                    p++;
                } else if (c == '.' && Character.isDigit(charAt(p + 1)) && p + 1 < length) {
                    p++;
                } else if ((c == 'e' || c == 'E') && (Character.isDigit(charAt(p + 1))
                        || ((charAt(p + 1) == '+' || Chars.isDash(charAt(p + 1))) && Character.isDigit(charAt(p + 2))))) {
                    p += 2;
                } else if (Character.isLetter(c)) {
                    p++; // suffixes and multipliers; validated below
                } else {
                    break;
                }
            }
        }
        String text = s.substring(start, p);
        Object value = parseNumber(text, false);
        if (value == null) {
            throw new ParseException("Unexpected token '" + text + "' in expression or statement.", "UnexpectedToken", start);
        }
        pos = p;
        return Token.of(TokenKind.NUMBER, start, p, value);
    }

    /** A PowerShell numeric literal (decimal, hex, exponent, l/d suffix, kb..pb multiplier), or null. */
    static Object parseNumber(String text, boolean allowSign) {
        String t = text.toLowerCase(Locale.ROOT);
        boolean negative = false;
        if (allowSign && !t.isEmpty() && (Chars.isDash(t.charAt(0)) || t.charAt(0) == '+')) {
            negative = Chars.isDash(t.charAt(0));
            t = t.substring(1);
        }
        if (t.isEmpty()) {
            return null;
        }
        long multiplier = 1;
        for (String[] m : new String[][] {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"},
                {"tb", "1099511627776"}, {"pb", "1125899906842624"}}) {
            if (t.endsWith(m[0])) {
                multiplier = Long.parseLong(m[1]);
                t = t.substring(0, t.length() - 2);
                break;
            }
        }
        boolean forceLong = false;
        boolean forceDecimal = false;
        if (t.startsWith("0x")) {
            if (t.endsWith("l")) {
                forceLong = true;
                t = t.substring(0, t.length() - 1);
            }
            String hex = t.substring(2);
            if (hex.isEmpty() || !hex.matches("[0-9a-f]+") || hex.length() > 16) {
                return null;
            }
            long v = new BigInteger(hex, 16).longValue();
            if (!forceLong && hex.length() <= 8) {
                v = (int) v; // 0xFFFFFFFF is -1 as in PowerShell
            }
            return narrow((negative ? -v : v) * multiplier, forceLong);
        }
        if (t.endsWith("l")) {
            forceLong = true;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("d")) {
            forceDecimal = true;
            t = t.substring(0, t.length() - 1);
        }
        if (!t.matches("(\\d+(\\.\\d*)?|\\.\\d+)(e[+\\-\u2013\u2014\u2015]?\\d+)?")) {
            return null;
        }
        t = t.replace('\u2013', '-').replace('\u2014', '-').replace('\u2015', '-');
        boolean integral = t.matches("\\d+");
        if (integral && !forceDecimal) {
            BigInteger v = new BigInteger(t).multiply(BigInteger.valueOf(multiplier));
            if (negative) {
                v = v.negate();
            }
            if (v.bitLength() < 32 && !forceLong) {
                return v.intValue();
            }
            if (v.bitLength() < 64) {
                return v.longValue();
            }
            return v.doubleValue();
        }
        double d = Double.parseDouble(t) * multiplier;
        return negative ? -d : d;
    }

    private static Object narrow(long v, boolean forceLong) {
        if (!forceLong && v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return (int) v;
        }
        return v;
    }
}
