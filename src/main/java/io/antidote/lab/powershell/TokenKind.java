package io.antidote.lab.powershell;

/** The kinds of tokens {@link Tokenizer} produces. */
enum TokenKind {
    EOF, NEWLINE, SEMI, PIPE, AMP, LPAREN, RPAREN, LCURLY, RCURLY, LBRACKET, RBRACKET,
    AT_PAREN, AT_CURLY, DOLLAR_PAREN, COMMA, DOT, DOTDOT, COLONCOLON,
    EQUALS, PLUS_EQUALS, MINUS_EQUALS, STAR_EQUALS, SLASH_EQUALS, PERCENT_EQUALS,
    PLUS, MINUS, STAR, SLASH, PERCENT, EXCLAIM, PLUSPLUS, MINUSMINUS,
    /** {@code > >> 2> 2>&1 *>} and the like; value is the operator text with dashes normalised. */
    REDIRECTION,
    /** An operator such as {@code -eq} (expression mode); value is its lower-case name without the dash. */
    OPERATOR,
    /** {@code -Name} or {@code -Name:} (command mode); value is the name. */
    PARAMETER,
    /** {@code $name}, {@code ${name}}, {@code $env:NAME}; value is the full name with its scope/drive prefix. */
    VARIABLE,
    /** {@code @name} in command mode. */
    SPLAT,
    NUMBER,
    /** Single-quoted or single-quoted here-string: value is the final text. */
    STRING,
    /** Double-quoted or double-quoted here-string: expanded by the parser from the raw content. */
    EXPANDABLE_STRING,
    /** A bare word in command mode (command names and arguments). */
    GENERIC,
    /** A bare word in expression mode (keywords, member names). */
    IDENTIFIER
}
