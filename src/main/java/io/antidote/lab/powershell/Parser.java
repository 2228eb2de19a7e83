package io.antidote.lab.powershell;

import io.antidote.lab.powershell.Ast.*;
import io.antidote.lab.powershell.Tokenizer.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recursive-descent parser for the subset, following the PowerShell language specification's
 * grammar and precedence (comma binds tighter than unary -not, -and and -or share a level).
 * Errors carry PowerShell's parser messages and error ids.
 */
final class Parser {

    private static final Set<String> UNSUPPORTED_KEYWORDS = Set.of("for", "do", "switch", "function", "filter", "trap",
            "class", "enum", "data", "workflow", "configuration", "using", "dynamicparam", "begin", "process", "end",
            "parallel", "sequence", "inlinescript");
    private static final Set<String> COMPARISON = Set.of(
            "eq", "ne", "gt", "ge", "lt", "le", "like", "notlike", "match", "notmatch", "contains", "notcontains",
            "in", "notin", "replace", "split", "join", "is", "isnot", "as",
            "ieq", "ine", "igt", "ige", "ilt", "ile", "ilike", "inotlike", "imatch", "inotmatch", "icontains",
            "inotcontains", "iin", "inotin", "ireplace", "isplit",
            "ceq", "cne", "cgt", "cge", "clt", "cle", "clike", "cnotlike", "cmatch", "cnotmatch", "ccontains",
            "cnotcontains", "cin", "cnotin", "creplace", "csplit");
    private static final Set<String> LOGICAL = Set.of("and", "or", "xor");
    private static final Set<String> BITWISE = Set.of("band", "bor", "bxor", "shl", "shr");

    private final Tokenizer t;
    private final String s;
    /** Inside method arguments and param defaults a comma separates instead of building an array. */
    private boolean commaMakesArrays = true;

    private Parser(String script) {
        this.s = script;
        this.t = new Tokenizer(script);
    }

    static ScriptAst parse(String script) {
        Parser p = new Parser(script);
        List<ParamAst> params = p.paramBlockIfAny();
        List<Statement> statements = p.statementList(TokenKind.EOF);
        Token end = p.t.peek(Mode.COMMAND);
        if (!end.is(TokenKind.EOF)) {
            throw p.unexpected(end);
        }
        return new ScriptAst(params, statements);
    }

    // --- statements ---

    private List<Statement> statementList(TokenKind terminator) {
        List<Statement> list = new ArrayList<>();
        while (true) {
            Token tok = t.peek(Mode.COMMAND);
            if (tok.is(TokenKind.NEWLINE) || tok.is(TokenKind.SEMI)) {
                t.next(Mode.COMMAND);
                continue;
            }
            if (tok.is(terminator) || tok.is(TokenKind.EOF)) {
                return list;
            }
            if (tok.is(TokenKind.RCURLY) || tok.is(TokenKind.RPAREN)) {
                throw unexpected(tok);
            }
            list.add(statement());
            Token after = t.peek(Mode.COMMAND);
            if (!(after.is(TokenKind.NEWLINE) || after.is(TokenKind.SEMI) || after.is(terminator)
                    || after.is(TokenKind.EOF))) {
                throw unexpected(after);
            }
        }
    }

    private Statement statement() {
        t.skipTrivia();
        Token tok = t.peek(Mode.COMMAND);
        if (tok.is(TokenKind.GENERIC) && !tok.has(Token.EXPANDABLE)) {
            String word = tok.stringValue().toLowerCase(Locale.ROOT);
            switch (word) {
                case "if":
                    return ifStatement();
                case "foreach":
                    return foreachStatement();
                case "while":
                    return whileStatement();
                case "try":
                    return tryStatement();
                case "throw":
                case "exit":
                case "return":
                case "break":
                case "continue":
                    return flowStatement(word);
                default:
                    if (UNSUPPORTED_KEYWORDS.contains(word)) {
                        throw new ParseException("The lab's PowerShell does not support the '" + word
                                + "' keyword (see the supported subset in the lab documentation).",
                                "LabUnsupportedKeyword", tok.start());
                    }
            }
        }
        return pipelineStatement();
    }

    private Statement ifStatement() {
        int start = t.next(Mode.COMMAND).start();
        List<IfClause> clauses = new ArrayList<>();
        List<Statement> elseBody = null;
        String keyword = "if";
        while (true) {
            skipNewlines();
            Token open = t.next(Mode.EXPRESSION);
            if (!open.is(TokenKind.LPAREN)) {
                throw new ParseException("Missing '(' after '" + keyword + "' in " + keyword + " statement.",
                        "MissingOpenParenthesisInIfStatement", open.start());
            }
            skipNewlines();
            if (t.peek(Mode.COMMAND).is(TokenKind.RPAREN)) {
                throw new ParseException("Missing condition in if statement after '" + keyword + " ('.",
                        "IfStatementMissingCondition", t.position());
            }
            Statement condition = withCommas(this::pipelineStatement);
            skipNewlines();
            Token close = t.next(Mode.EXPRESSION);
            if (!close.is(TokenKind.RPAREN)) {
                throw new ParseException("Missing closing ')' after expression in '" + keyword + "' statement.",
                        "MissingEndParenthesisAfterStatement", close.start());
            }
            List<Statement> body = block("Missing statement block after " + keyword + " ( condition ).");
            clauses.add(new IfClause(condition, body));
            int save = t.position();
            skipNewlines();
            Token next = t.peek(Mode.COMMAND);
            String word = next.is(TokenKind.GENERIC) ? next.stringValue().toLowerCase(Locale.ROOT) : "";
            if (word.equals("elseif")) {
                t.next(Mode.COMMAND);
                keyword = "elseif";
                continue;
            }
            if (word.equals("else")) {
                t.next(Mode.COMMAND);
                elseBody = block("Missing statement block after 'else' keyword.");
                break;
            }
            t.reset(save);
            break;
        }
        return new IfStatement(clauses, elseBody, extentFrom(start));
    }

    private Statement foreachStatement() {
        int start = t.next(Mode.COMMAND).start();
        skipNewlines();
        Token open = t.next(Mode.EXPRESSION);
        if (!open.is(TokenKind.LPAREN)) {
            throw new ParseException("Missing opening '(' after keyword 'foreach'.", "MissingOpenParenthesisAfterKeyword",
                    open.start());
        }
        skipNewlines();
        Token var = t.next(Mode.EXPRESSION);
        if (!var.is(TokenKind.VARIABLE)) {
            throw new ParseException("Missing variable name after foreach.", "MissingVariableNameAfterForeach", var.start());
        }
        skipNewlines();
        Token in = t.next(Mode.EXPRESSION);
        if (!(in.is(TokenKind.IDENTIFIER) && in.stringValue().equalsIgnoreCase("in"))) {
            throw new ParseException("Missing 'in' after variable in foreach loop.", "MissingInInForeach", in.start());
        }
        skipNewlines();
        Statement collection = withCommas(this::pipelineStatement);
        skipNewlines();
        Token close = t.next(Mode.EXPRESSION);
        if (!close.is(TokenKind.RPAREN)) {
            throw new ParseException("Missing closing ')' after expression in 'foreach' statement.",
                    "MissingEndParenthesisAfterForeach", close.start());
        }
        List<Statement> body = block("Missing statement body in foreach loop.");
        return new ForeachStatement(var.stringValue(), collection, body, extentFrom(start));
    }

    private Statement whileStatement() {
        int start = t.next(Mode.COMMAND).start();
        skipNewlines();
        Token open = t.next(Mode.EXPRESSION);
        if (!open.is(TokenKind.LPAREN)) {
            throw new ParseException("Missing opening '(' after keyword 'while'.", "MissingOpenParenthesisAfterKeyword",
                    open.start());
        }
        skipNewlines();
        Statement condition = withCommas(this::pipelineStatement);
        skipNewlines();
        Token close = t.next(Mode.EXPRESSION);
        if (!close.is(TokenKind.RPAREN)) {
            throw new ParseException("Missing closing ')' after expression in 'while' statement.",
                    "MissingEndParenthesisAfterStatement", close.start());
        }
        List<Statement> body = block("Missing statement body in while loop.");
        return new WhileStatement(condition, body, extentFrom(start));
    }

    private Statement tryStatement() {
        int start = t.next(Mode.COMMAND).start();
        List<Statement> body = block("Missing statement block after 'try'.");
        List<CatchClause> catches = new ArrayList<>();
        List<Statement> finallyBody = null;
        while (true) {
            int save = t.position();
            skipNewlines();
            Token next = t.peek(Mode.COMMAND);
            String word = next.is(TokenKind.GENERIC) ? next.stringValue().toLowerCase(Locale.ROOT) : "";
            if (word.equals("catch") && finallyBody == null) {
                t.next(Mode.COMMAND);
                List<String> types = new ArrayList<>();
                while (true) {
                    t.skipTrivia();
                    if (t.charAt(t.position()) != '[' || t.atEnd(t.position())) {
                        break;
                    }
                    types.add(typeName(t.position()));
                    t.skipTrivia();
                    if (t.peek(Mode.EXPRESSION).is(TokenKind.COMMA)) {
                        t.next(Mode.EXPRESSION);
                        skipNewlines();
                    }
                }
                catches.add(new CatchClause(types, block("Missing statement block in catch block.")));
                continue;
            }
            if (word.equals("finally") && finallyBody == null) {
                t.next(Mode.COMMAND);
                finallyBody = block("Missing statement block after 'finally'.");
                continue;
            }
            t.reset(save);
            break;
        }
        if (catches.isEmpty() && finallyBody == null) {
            throw new ParseException("The Try statement is missing its Catch or Finally block.", "MissingCatchOrFinally",
                    t.position());
        }
        return new TryStatement(body, catches, finallyBody, extentFrom(start));
    }

    private Statement flowStatement(String keyword) {
        int start = t.next(Mode.COMMAND).start();
        Token next = t.peek(Mode.COMMAND);
        Statement value = null;
        if (!(next.is(TokenKind.NEWLINE) || next.is(TokenKind.SEMI) || next.is(TokenKind.EOF)
                || next.is(TokenKind.RCURLY) || next.is(TokenKind.RPAREN) || next.is(TokenKind.PIPE))) {
            value = pipelineStatement();
        }
        return new FlowStatement(keyword, value, extentFrom(start));
    }

    /** { statements } after optional newlines; the message is PowerShell's for a missing block. */
    private List<Statement> block(String missingMessage) {
        skipNewlines();
        Token open = t.next(Mode.EXPRESSION);
        if (!open.is(TokenKind.LCURLY)) {
            throw new ParseException(missingMessage, "MissingStatementBlock", open.start());
        }
        List<Statement> body = statementList(TokenKind.RCURLY);
        Token close = t.next(Mode.COMMAND);
        if (!close.is(TokenKind.RCURLY)) {
            throw new ParseException("Missing closing '}' in statement block or type definition.", "MissingEndCurlyBrace",
                    open.start());
        }
        return body;
    }

    private Statement pipelineStatement() {
        t.skipTrivia();
        int start = t.position();
        List<PipelineElement> elements = new ArrayList<>();
        if (startsExpression()) {
            Expression expression = expression();
            Token op = t.peek(Mode.EXPRESSION);
            if (isAssignmentOperator(op)) {
                if (!isAssignable(expression)) {
                    throw new ParseException("The assignment expression is not valid. The input to an assignment operator "
                            + "must be an object that is able to accept assignments, such as a variable or a property.",
                            "InvalidLeftHandSide", expression.extent().start());
                }
                t.next(Mode.EXPRESSION);
                skipNewlines();
                Token rhs = t.peek(Mode.COMMAND);
                if (rhs.is(TokenKind.NEWLINE) || rhs.is(TokenKind.EOF) || rhs.is(TokenKind.SEMI)
                        || rhs.is(TokenKind.RCURLY) || rhs.is(TokenKind.RPAREN)) {
                    throw new ParseException("You must provide a value expression on the right-hand side of the '"
                            + op.text(s) + "' operator.", "ExpectedValueExpression", rhs.start());
                }
                Statement value = statement();
                return new AssignmentStatement(expression, op.kind(), value, extentFrom(start));
            }
            elements.add(new ExpressionElement(expression, redirections(), extentFrom(start)));
        } else {
            elements.add(command());
        }
        while (t.peek(Mode.COMMAND).is(TokenKind.PIPE)) {
            Token pipe = t.next(Mode.COMMAND);
            skipNewlines();
            Token next = t.peek(Mode.COMMAND);
            if (next.is(TokenKind.NEWLINE) || next.is(TokenKind.EOF) || next.is(TokenKind.SEMI) || next.is(TokenKind.PIPE)
                    || next.is(TokenKind.RPAREN) || next.is(TokenKind.RCURLY)) {
                throw new ParseException("An empty pipe element is not allowed.", "EmptyPipeElement", pipe.start());
            }
            if (startsExpression() && !next.is(TokenKind.AMP)) {
                throw new ParseException("Expressions are only allowed as the first element of a pipeline.",
                        "ExpressionsMustBeFirstInPipeline", next.start());
            }
            elements.add(command());
        }
        return new PipelineStatement(elements, extentFrom(start));
    }

    private static boolean isAssignmentOperator(Token op) {
        return op.is(TokenKind.EQUALS) || op.is(TokenKind.PLUS_EQUALS) || op.is(TokenKind.MINUS_EQUALS)
                || op.is(TokenKind.STAR_EQUALS) || op.is(TokenKind.SLASH_EQUALS) || op.is(TokenKind.PERCENT_EQUALS);
    }

    private static boolean isAssignable(Expression e) {
        if (e instanceof ConvertExpr c) {
            return c.operand() instanceof VariableExpr;
        }
        return e instanceof VariableExpr || e instanceof MemberExpr || e instanceof IndexExpr;
    }

    /** Whether the statement at the current position starts with an expression rather than a command. */
    private boolean startsExpression() {
        Token e;
        try {
            e = t.peek(Mode.EXPRESSION);
        } catch (ParseException notAnExpression) {
            return false;
        }
        switch (e.kind()) {
            case VARIABLE: case NUMBER: case STRING: case EXPANDABLE_STRING: case LPAREN: case DOLLAR_PAREN:
            case AT_PAREN: case AT_CURLY: case LBRACKET: case MINUS: case PLUS: case EXCLAIM: case COMMA:
            case PLUSPLUS: case MINUSMINUS: case LCURLY: case OPERATOR:
                return !(e.is(TokenKind.NUMBER) && commandWordContinues(e));
            default:
                return false;
        }
    }

    /** A number immediately followed by word characters (7z.exe) is a command name. */
    private boolean commandWordContinues(Token number) {
        return number.end() < s.length() && !Chars.endsGenericToken(s.charAt(number.end()))
                && s.charAt(number.end()) != '.' && !isOperatorStart(number.end());
    }

    private boolean isOperatorStart(int i) {
        char c = s.charAt(i);
        return "+-*/%=!<>[]".indexOf(c) >= 0 || Chars.isDash(c);
    }

    private List<Redirection> redirections() {
        List<Redirection> list = new ArrayList<>();
        while (t.peek(Mode.COMMAND).is(TokenKind.REDIRECTION)) {
            list.add(redirection());
        }
        return list;
    }

    private Redirection redirection() {
        Token r = t.next(Mode.COMMAND);
        String op = r.stringValue();
        if (op.contains("&")) {
            return new Redirection(op, null);
        }
        Token target = t.peek(Mode.COMMAND);
        if (target.is(TokenKind.NEWLINE) || target.is(TokenKind.EOF) || target.is(TokenKind.SEMI)
                || target.is(TokenKind.PIPE)) {
            throw new ParseException("Missing file specification after redirection operator.", "MissingFileSpecification",
                    r.end());
        }
        return new Redirection(op, commandArgumentPrimary());
    }

    // --- commands ---

    private CommandElement command() {
        t.skipTrivia();
        int start = t.position();
        String invocation = "";
        Token first = t.peek(Mode.COMMAND);
        Expression name;
        if (first.is(TokenKind.AMP)) {
            t.next(Mode.COMMAND);
            invocation = "&";
        } else if (first.is(TokenKind.GENERIC) && first.stringValue().equals(".")) {
            t.next(Mode.COMMAND);
            invocation = ".";
        }
        if (!invocation.isEmpty()) {
            name = commandArgumentPrimary();
        } else {
            Token tok = t.next(Mode.COMMAND);
            switch (tok.kind()) {
                case GENERIC:
                    name = genericWord(tok);
                    break;
                case NUMBER:
                    name = new ConstantExpr(tok.text(s), new Extent(tok.start(), tok.end()));
                    break;
                case PARAMETER:
                    name = new ConstantExpr(tok.text(s), new Extent(tok.start(), tok.end()));
                    break;
                default:
                    throw unexpected(tok);
            }
        }
        List<CommandPart> parts = new ArrayList<>();
        List<Redirection> redirections = new ArrayList<>();
        while (true) {
            Token p = t.peek(Mode.COMMAND);
            switch (p.kind()) {
                case NEWLINE: case SEMI: case PIPE: case RPAREN: case RCURLY: case EOF:
                    return new CommandElement(invocation, name, parts, redirections, extentFrom(start));
                case PARAMETER:
                    t.next(Mode.COMMAND);
                    Expression argument = null;
                    if (p.has(Token.COLON)) {
                        Token v = t.peek(Mode.COMMAND);
                        if (v.is(TokenKind.NEWLINE) || v.is(TokenKind.EOF) || v.is(TokenKind.SEMI) || v.is(TokenKind.PIPE)
                                || v.is(TokenKind.RPAREN) || v.is(TokenKind.RCURLY)) {
                            throw new ParseException("Missing argument in parameter list.", "MissingArgument", p.end());
                        }
                        argument = commandArgument();
                    }
                    parts.add(new ParameterPart(p.stringValue(), argument, extentFrom(p.start())));
                    break;
                case REDIRECTION:
                    redirections.add(redirection());
                    break;
                case SPLAT:
                    t.next(Mode.COMMAND);
                    parts.add(new SplatPart(p.stringValue(), new Extent(p.start(), p.end())));
                    break;
                case COMMA:
                    throw new ParseException("Missing argument in parameter list.", "MissingArgument", p.start());
                default:
                    int argStart = p.start();
                    parts.add(new ArgumentPart(commandArgument(), extentFrom(argStart)));
            }
        }
    }

    /** An argument, with the comma operator building an array ({@code -Property Name,Status}). */
    private Expression commandArgument() {
        int start = t.position();
        Expression first = commandArgumentPrimary();
        if (!t.peek(Mode.COMMAND).is(TokenKind.COMMA)) {
            return first;
        }
        List<Expression> elements = new ArrayList<>();
        elements.add(first);
        while (t.peek(Mode.COMMAND).is(TokenKind.COMMA)) {
            Token comma = t.next(Mode.COMMAND);
            skipNewlines();
            Token next = t.peek(Mode.COMMAND);
            if (next.is(TokenKind.NEWLINE) || next.is(TokenKind.EOF) || next.is(TokenKind.SEMI) || next.is(TokenKind.PIPE)
                    || next.is(TokenKind.RPAREN) || next.is(TokenKind.RCURLY) || next.is(TokenKind.PARAMETER)) {
                throw new ParseException("Missing argument in parameter list.", "MissingArgument", comma.end());
            }
            elements.add(commandArgumentPrimary());
        }
        return new ArrayLiteralExpr(elements, extentFrom(start));
    }

    private Expression commandArgumentPrimary() {
        Token tok = t.peek(Mode.COMMAND);
        switch (tok.kind()) {
            case GENERIC:
                t.next(Mode.COMMAND);
                return genericWord(tok);
            case NUMBER:
                t.next(Mode.COMMAND);
                return new ConstantExpr(tok.value(), new Extent(tok.start(), tok.end()));
            case PARAMETER:
                // After "-Name:" a dash word is the value.
                t.next(Mode.COMMAND);
                return new ConstantExpr(tok.text(s), new Extent(tok.start(), tok.end()));
            case VARIABLE: case STRING: case EXPANDABLE_STRING: case LPAREN: case DOLLAR_PAREN: case AT_PAREN:
            case AT_CURLY: case LCURLY:
                return postfix(primary());
            default:
                throw unexpected(t.next(Mode.COMMAND));
        }
    }

    // --- expressions ---

    private Expression expression() {
        return logical();
    }

    private Expression logical() {
        Expression left = bitwise();
        while (true) {
            Token op = t.peek(Mode.EXPRESSION);
            if (!(op.is(TokenKind.OPERATOR) && LOGICAL.contains(op.stringValue()))) {
                return left;
            }
            t.next(Mode.EXPRESSION);
            skipNewlines();
            Expression right = operand(op, this::bitwise);
            left = new BinaryExpr(op.stringValue(), left, right, span(left, right));
        }
    }

    private Expression bitwise() {
        Expression left = comparison();
        while (true) {
            Token op = t.peek(Mode.EXPRESSION);
            if (!(op.is(TokenKind.OPERATOR) && BITWISE.contains(op.stringValue()))) {
                return left;
            }
            t.next(Mode.EXPRESSION);
            skipNewlines();
            Expression right = operand(op, this::comparison);
            left = new BinaryExpr(op.stringValue(), left, right, span(left, right));
        }
    }

    private Expression comparison() {
        Expression left = additive();
        while (true) {
            Token op = t.peek(Mode.EXPRESSION);
            if (!(op.is(TokenKind.OPERATOR) && COMPARISON.contains(op.stringValue()))) {
                if (op.is(TokenKind.OPERATOR) && !LOGICAL.contains(op.stringValue()) && !BITWISE.contains(op.stringValue())
                        && !op.stringValue().equals("f")) {
                    throw unexpected(op);
                }
                return left;
            }
            t.next(Mode.EXPRESSION);
            skipNewlines();
            Expression right = operand(op, this::additive);
            left = new BinaryExpr(op.stringValue(), left, right, span(left, right));
        }
    }

    private Expression additive() {
        Expression left = multiplicative();
        while (true) {
            Token op = t.peek(Mode.EXPRESSION);
            if (!(op.is(TokenKind.PLUS) || op.is(TokenKind.MINUS))) {
                return left;
            }
            t.next(Mode.EXPRESSION);
            skipNewlines();
            Expression right = operand(op, this::multiplicative);
            left = new BinaryExpr(op.is(TokenKind.PLUS) ? "+" : "-", left, right, span(left, right));
        }
    }

    private Expression multiplicative() {
        Expression left = format();
        while (true) {
            Token op = t.peek(Mode.EXPRESSION);
            String name = op.is(TokenKind.STAR) ? "*" : op.is(TokenKind.SLASH) ? "/" : op.is(TokenKind.PERCENT) ? "%" : null;
            if (name == null) {
                return left;
            }
            t.next(Mode.EXPRESSION);
            skipNewlines();
            Expression right = operand(op, this::format);
            left = new BinaryExpr(name, left, right, span(left, right));
        }
    }

    private Expression format() {
        Expression left = range();
        while (true) {
            Token op = t.peek(Mode.EXPRESSION);
            if (!(op.is(TokenKind.OPERATOR) && op.stringValue().equals("f"))) {
                return left;
            }
            t.next(Mode.EXPRESSION);
            skipNewlines();
            Expression right = operand(op, this::range);
            left = new BinaryExpr("f", left, right, span(left, right));
        }
    }

    private Expression range() {
        Expression left = arrayLiteral();
        while (t.peek(Mode.EXPRESSION).is(TokenKind.DOTDOT)) {
            Token op = t.next(Mode.EXPRESSION);
            skipNewlines();
            Expression right = operand(op, this::arrayLiteral);
            left = new BinaryExpr("..", left, right, span(left, right));
        }
        return left;
    }

    private Expression arrayLiteral() {
        Expression first = unary();
        if (!commaMakesArrays || !t.peek(Mode.EXPRESSION).is(TokenKind.COMMA)) {
            return first;
        }
        List<Expression> elements = new ArrayList<>();
        elements.add(first);
        while (t.peek(Mode.EXPRESSION).is(TokenKind.COMMA)) {
            Token comma = t.next(Mode.EXPRESSION);
            skipNewlines();
            elements.add(operand(comma, this::unary));
        }
        return new ArrayLiteralExpr(elements, span(first, elements.get(elements.size() - 1)));
    }

    private Expression unary() {
        Token tok = t.peek(Mode.EXPRESSION);
        switch (tok.kind()) {
            case EXCLAIM: {
                t.next(Mode.EXPRESSION);
                skipNewlines();
                Expression operand = unaryOperand(tok, this::unary);
                return new UnaryExpr("!", operand, extentFrom(tok.start()));
            }
            case MINUS:
            case PLUS: {
                t.next(Mode.EXPRESSION);
                Expression operand = unaryOperand(tok, this::unary);
                return new UnaryExpr(tok.is(TokenKind.MINUS) ? "-" : "+", operand, extentFrom(tok.start()));
            }
            case COMMA: {
                t.next(Mode.EXPRESSION);
                skipNewlines();
                Expression operand = unaryOperand(tok, this::unary);
                return new UnaryExpr(",", operand, extentFrom(tok.start()));
            }
            case OPERATOR: {
                String op = tok.stringValue();
                if (op.equals("not") || op.equals("bnot") || op.equals("join") || op.equals("split")) {
                    t.next(Mode.EXPRESSION);
                    skipNewlines();
                    Expression operand = unaryOperand(tok, this::unary);
                    return new UnaryExpr(op, operand, extentFrom(tok.start()));
                }
                throw unexpected(tok);
            }
            case PLUSPLUS:
            case MINUSMINUS: {
                t.next(Mode.EXPRESSION);
                Expression operand = unaryOperand(tok, this::unary);
                if (!isAssignable(operand)) {
                    throw new ParseException("The '" + tok.text(s) + "' operator works only on variables or on properties.",
                            "OperatorRequiresVariableOrProperty", tok.start());
                }
                return new UnaryExpr(tok.is(TokenKind.PLUSPLUS) ? "pre++" : "pre--", operand, extentFrom(tok.start()));
            }
            case LBRACKET:
                return typeLiteralExpression();
            default: {
                Expression e = postfix(primary());
                Token after = t.peek(Mode.EXPRESSION);
                if ((after.is(TokenKind.PLUSPLUS) || after.is(TokenKind.MINUSMINUS)) && isAssignable(e)) {
                    t.next(Mode.EXPRESSION);
                    return new UnaryExpr(after.is(TokenKind.PLUSPLUS) ? "post++" : "post--", e,
                            new Extent(e.extent().start(), after.end()));
                }
                return e;
            }
        }
    }

    private Expression typeLiteralExpression() {
        t.skipTrivia();
        int start = t.position();
        String type = typeName(start);
        if (type.contains("(")) {
            throw new ParseException("Unexpected attribute '" + type + "'.", "UnexpectedAttribute", start);
        }
        Extent typeExtent = new Extent(start, t.position());
        if (t.charAt(t.position()) == ':' && t.charAt(t.position() + 1) == ':') {
            return postfix(new TypeExpr(type, typeExtent));
        }
        Token next = t.peek(Mode.EXPRESSION);
        boolean cast;
        switch (next.kind()) {
            case VARIABLE: case NUMBER: case STRING: case EXPANDABLE_STRING: case LPAREN: case DOLLAR_PAREN:
            case AT_PAREN: case AT_CURLY: case LBRACKET: case MINUS: case EXCLAIM: case LCURLY: case COMMA:
                cast = true;
                break;
            case OPERATOR:
                cast = Set.of("not", "bnot", "join", "split").contains(next.stringValue());
                break;
            default:
                cast = false;
        }
        if (!cast) {
            return postfix(new TypeExpr(type, typeExtent));
        }
        Expression operand = unary();
        return new ConvertExpr(type, operand, extentFrom(start));
    }

    /** Reads {@code [name]} at {@code start} (nested brackets allowed) and returns the trimmed name. */
    private String typeName(int start) {
        int depth = 0;
        int p = start;
        while (p < s.length()) {
            char c = s.charAt(p);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
                if (depth == 0) {
                    String name = s.substring(start + 1, p).trim();
                    t.reset(p + 1);
                    if (name.isEmpty()) {
                        throw new ParseException("Missing type name after '['.", "MissingTypename", start);
                    }
                    return name;
                }
            } else if (Chars.isNewline(c)) {
                break;
            }
            p++;
        }
        throw new ParseException("Unable to find type [" + s.substring(start + 1, Math.min(p, s.length())).trim()
                + "]: missing ']'.", "EndSquareBracketExpectedAtEndOfAttribute", start);
    }

    /** The operand after a binary operator; PowerShell's message when it is missing. */
    private Expression operand(Token operator, java.util.function.Supplier<Expression> parse) {
        return operand(operator, parse, false);
    }

    private Expression unaryOperand(Token operator, java.util.function.Supplier<Expression> parse) {
        return operand(operator, parse, true);
    }

    private Expression operand(Token operator, java.util.function.Supplier<Expression> parse, boolean unary) {
        Token next = t.peek(Mode.EXPRESSION);
        if (next.is(TokenKind.NEWLINE) || next.is(TokenKind.EOF) || next.is(TokenKind.SEMI) || next.is(TokenKind.RPAREN)
                || next.is(TokenKind.RCURLY) || next.is(TokenKind.PIPE) || next.is(TokenKind.RBRACKET)
                || next.is(TokenKind.COMMA)) {
            String text = operator.text(s);
            if (operator.is(TokenKind.COMMA)) {
                throw new ParseException("Missing expression after ','.", "MissingExpressionAfterToken", operator.end());
            }
            if (unary) {
                throw new ParseException("Missing expression after unary operator '" + text + "'.",
                        "MissingExpressionAfterOperator", operator.end());
            }
            throw new ParseException("You must provide a value expression following the '" + text + "' operator.",
                    "ExpectedValueExpression", operator.end());
        }
        return parse.get();
    }

    private Expression primary() {
        Token tok = t.next(Mode.EXPRESSION);
        Extent extent = new Extent(tok.start(), tok.end());
        switch (tok.kind()) {
            case VARIABLE:
                return new VariableExpr(tok.stringValue(), extent);
            case NUMBER:
                return new ConstantExpr(tok.value(), extent);
            case STRING:
                return new ConstantExpr(tok.value(), extent);
            case EXPANDABLE_STRING:
                return expandable(tok.contentStart(), tok.contentEnd(), tok.has(Token.HERE), extent);
            case LPAREN: {
                skipNewlines();
                if (t.peek(Mode.COMMAND).is(TokenKind.RPAREN)) {
                    throw new ParseException("An expression was expected after '('.", "ExpectedExpression", tok.end());
                }
                Statement inner = withCommas(this::pipelineStatement);
                skipNewlines();
                Token close = t.next(Mode.EXPRESSION);
                if (!close.is(TokenKind.RPAREN)) {
                    throw new ParseException("Missing closing ')' in expression.", "MissingEndParenthesisInExpression",
                            close.start());
                }
                return new ParenExpr(inner, extentFrom(tok.start()));
            }
            case DOLLAR_PAREN:
            case AT_PAREN: {
                List<Statement> inner = withCommas(() -> statementList(TokenKind.RPAREN));
                Token close = t.next(Mode.COMMAND);
                if (!close.is(TokenKind.RPAREN)) {
                    throw new ParseException(tok.is(TokenKind.DOLLAR_PAREN) ? "Missing closing ')' in subexpression."
                            : "Missing closing ')' in array subexpression.",
                            tok.is(TokenKind.DOLLAR_PAREN) ? "MissingEndParenthesisInSubexpression"
                                    : "MissingEndParenthesisInArrayExpression", tok.start());
                }
                Extent e = extentFrom(tok.start());
                return tok.is(TokenKind.DOLLAR_PAREN) ? new SubExpr(inner, e) : new ArrayExpr(inner, e);
            }
            case AT_CURLY:
                return withCommas(() -> hashLiteral(tok));
            case LCURLY:
                return withCommas(() -> scriptBlock(tok));
            case LBRACKET:
                t.reset(tok.start());
                return typeLiteralExpression();
            default:
                throw unexpected(tok);
        }
    }

    private Expression postfix(Expression target) {
        Expression e = target;
        while (true) {
            int p = t.position();
            if (t.atEnd(p)) {
                return e;
            }
            char c = s.charAt(p);
            boolean isStatic = c == ':' && t.charAt(p + 1) == ':' && p + 1 < s.length();
            if ((c == '.' && t.charAt(p + 1) != '.') || isStatic) {
                t.reset(p + (isStatic ? 2 : 1));
                Expression member = memberName(p);
                if (t.charAt(t.position()) == '(' && !t.atEnd(t.position())) {
                    t.reset(t.position() + 1);
                    List<Expression> args = methodArguments(p);
                    e = new InvokeMemberExpr(e, member, args, isStatic, new Extent(e.extent().start(), t.position()));
                } else {
                    e = new MemberExpr(e, member, isStatic, new Extent(e.extent().start(), t.position()));
                }
            } else if (c == '[') {
                t.reset(p + 1);
                skipNewlines();
                if (t.peek(Mode.EXPRESSION).is(TokenKind.RBRACKET)) {
                    throw new ParseException("Array index expression is missing or not valid.",
                            "MissingArrayIndexExpression", p + 1);
                }
                Expression index = withCommas(this::expression);
                skipNewlines();
                Token close = t.next(Mode.EXPRESSION);
                if (!close.is(TokenKind.RBRACKET)) {
                    throw new ParseException("Missing ']' after array index expression.", "MissingEndSquareBracket",
                            close.start());
                }
                e = new IndexExpr(e, index, new Extent(e.extent().start(), t.position()));
            } else {
                return e;
            }
        }
    }

    private Expression memberName(int dotAt) {
        int p = t.position();
        char c = t.charAt(p);
        if (!t.atEnd(p) && Chars.isIdentifierChar(c)) {
            int q = p;
            while (q < s.length() && Chars.isIdentifierChar(s.charAt(q))) {
                q++;
            }
            t.reset(q);
            return new ConstantExpr(s.substring(p, q), new Extent(p, q));
        }
        if (!t.atEnd(p) && (c == '$' || Chars.isQuote(c) || c == '(')) {
            return primary();
        }
        throw new ParseException("Missing property name after reference operator.", "MissingPropertyName", dotAt);
    }

    private List<Expression> methodArguments(int at) {
        List<Expression> args = new ArrayList<>();
        boolean saved = commaMakesArrays;
        commaMakesArrays = false;
        try {
            skipNewlines();
            if (t.peek(Mode.EXPRESSION).is(TokenKind.RPAREN)) {
                t.next(Mode.EXPRESSION);
                return args;
            }
            while (true) {
                skipNewlines();
                args.add(expression());
                skipNewlines();
                Token sep = t.next(Mode.EXPRESSION);
                if (sep.is(TokenKind.RPAREN)) {
                    return args;
                }
                if (!sep.is(TokenKind.COMMA)) {
                    throw new ParseException("Missing ')' in method call.", "MissingEndParenthesisInMethodCall", sep.start());
                }
            }
        } finally {
            commaMakesArrays = saved;
        }
    }

    private Expression hashLiteral(Token open) {
        List<HashEntry> entries = new ArrayList<>();
        while (true) {
            Token tok = t.peek(Mode.COMMAND);
            if (tok.is(TokenKind.NEWLINE) || tok.is(TokenKind.SEMI)) {
                t.next(Mode.COMMAND);
                continue;
            }
            if (tok.is(TokenKind.RCURLY)) {
                t.next(Mode.COMMAND);
                return new HashLiteralExpr(entries, extentFrom(open.start()));
            }
            if (tok.is(TokenKind.EOF)) {
                throw new ParseException("Missing closing '}' in statement block or type definition.",
                        "MissingEndCurlyBrace", open.start());
            }
            Expression key = hashKey();
            Token eq = t.next(Mode.EXPRESSION);
            if (!eq.is(TokenKind.EQUALS)) {
                throw new ParseException("Missing '=' operator after key in hash literal.", "MissingEqualsInHashLiteral",
                        eq.start());
            }
            skipNewlines();
            Token v = t.peek(Mode.COMMAND);
            if (v.is(TokenKind.RCURLY) || v.is(TokenKind.EOF) || v.is(TokenKind.SEMI)) {
                throw new ParseException("Missing statement after '=' in hash literal.", "MissingStatementInHashLiteral",
                        v.start());
            }
            Statement value = statement();
            entries.add(new HashEntry(key, value));
            Token after = t.peek(Mode.COMMAND);
            if (!(after.is(TokenKind.NEWLINE) || after.is(TokenKind.SEMI) || after.is(TokenKind.RCURLY))) {
                throw new ParseException("The hash literal was incomplete.", "IncompleteHashLiteral", after.start());
            }
        }
    }

    private Expression hashKey() {
        t.skipTrivia();
        int p = t.position();
        char c = t.charAt(p);
        if (Chars.isQuote(c) || c == '$' || c == '(' || Character.isDigit(c)) {
            return postfix(primary());
        }
        int q = p;
        while (q < s.length()) {
            char k = s.charAt(q);
            if (Chars.isBlank(k) || Chars.isNewline(k) || k == '=' || k == ';' || k == '}' || k == '{' || k == '('
                    || k == ')' || k == ',' || k == '|' || Chars.isQuote(k) || k == '$') {
                break;
            }
            q++;
        }
        if (q == p) {
            throw new ParseException("Missing key before '=' in hash literal.", "MissingKeyInHashLiteral", p);
        }
        t.reset(q);
        return new ConstantExpr(s.substring(p, q), new Extent(p, q));
    }

    private Expression scriptBlock(Token open) {
        List<ParamAst> params = paramBlockIfAny();
        List<Statement> statements = statementList(TokenKind.RCURLY);
        Token close = t.next(Mode.COMMAND);
        if (!close.is(TokenKind.RCURLY)) {
            throw new ParseException("Missing closing '}' in statement block or type definition.", "MissingEndCurlyBrace",
                    open.start());
        }
        String text = s.substring(open.end(), close.start());
        return new ScriptBlockExpr(new ScriptBlockAst(params, statements, text), extentFrom(open.start()));
    }

    /** {@code [CmdletBinding()] param( [attr][type]$name = default, ... )} at the start of a script or block. */
    private List<ParamAst> paramBlockIfAny() {
        int save = t.position();
        skipNewlinesAndTrivia();
        while (t.charAt(t.position()) == '[' && !t.atEnd(t.position())) {
            int at = t.position();
            String attribute = typeName(at);
            if (!attribute.contains("(")) {
                t.reset(save);
                return List.of();
            }
            skipNewlinesAndTrivia();
        }
        Token word = t.peek(Mode.COMMAND);
        if (!(word.is(TokenKind.GENERIC) && word.stringValue().equalsIgnoreCase("param"))) {
            t.reset(save);
            return List.of();
        }
        t.next(Mode.COMMAND);
        skipNewlines();
        Token open = t.next(Mode.EXPRESSION);
        if (!open.is(TokenKind.LPAREN)) {
            t.reset(save);
            return List.of();
        }
        List<ParamAst> params = new ArrayList<>();
        boolean saved = commaMakesArrays;
        commaMakesArrays = false;
        try {
            skipNewlines();
            if (t.peek(Mode.EXPRESSION).is(TokenKind.RPAREN)) {
                t.next(Mode.EXPRESSION);
                return params;
            }
            while (true) {
                skipNewlinesAndTrivia();
                String type = null;
                int start = t.position();
                while (t.charAt(t.position()) == '[' && !t.atEnd(t.position())) {
                    String name = typeName(t.position());
                    if (!name.contains("(")) {
                        type = name;
                    }
                    skipNewlinesAndTrivia();
                }
                Token var = t.next(Mode.EXPRESSION);
                if (!var.is(TokenKind.VARIABLE)) {
                    throw new ParseException("Missing ')' in function parameter list.",
                            "MissingEndParenthesisInFunctionParameterList", var.start());
                }
                Expression defaultValue = null;
                if (t.peek(Mode.EXPRESSION).is(TokenKind.EQUALS)) {
                    Token eq = t.next(Mode.EXPRESSION);
                    skipNewlines();
                    defaultValue = operand(eq, this::expression);
                }
                params.add(new ParamAst(type, var.stringValue(), defaultValue, extentFrom(start)));
                skipNewlines();
                Token sep = t.next(Mode.EXPRESSION);
                if (sep.is(TokenKind.RPAREN)) {
                    return params;
                }
                if (!sep.is(TokenKind.COMMA)) {
                    throw new ParseException("Missing ')' in function parameter list.",
                            "MissingEndParenthesisInFunctionParameterList", sep.start());
                }
            }
        } finally {
            commaMakesArrays = saved;
        }
    }

    // --- strings ---

    /** The parts of a double-quoted string or here-string between {@code from} and {@code to}. */
    private Expression expandable(int from, int to, boolean here, Extent extent) {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int p = from;
        while (p < to) {
            char c = s.charAt(p);
            if (c == '`' && p + 1 < to) {
                literal.append(escape(s.charAt(p + 1)));
                p += 2;
                continue;
            }
            if (!here && Chars.isDoubleQuote(c) && p + 1 < to && Chars.isDoubleQuote(s.charAt(p + 1))) {
                literal.append(s.charAt(p + 1));
                p += 2;
                continue;
            }
            if (c == '$' && p + 1 < to) {
                int after = variableOrSubexpression(p, to, parts, literal);
                if (after > p) {
                    p = after;
                    continue;
                }
            }
            literal.append(c);
            p++;
        }
        return finish(parts, literal, extent);
    }

    /** A bare word holding quotes, backticks or variables: {@code C:\$dir\x}, {@code a"b c"}. */
    private Expression genericWord(Token tok) {
        Extent extent = new Extent(tok.start(), tok.end());
        if (!tok.has(Token.EXPANDABLE)) {
            return new ConstantExpr(tok.stringValue(), extent);
        }
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int p = tok.start();
        int to = tok.end();
        while (p < to) {
            char c = s.charAt(p);
            if (c == '`' && p + 1 < to) {
                literal.append(escape(s.charAt(p + 1)));
                p += 2;
                continue;
            }
            if (Chars.isSingleQuote(c)) {
                t.reset(p);
                literal.append(t.scanSingleQuoted());
                p = t.position();
                continue;
            }
            if (Chars.isDoubleQuote(c)) {
                t.reset(p);
                int contentEnd = t.scanDoubleQuoted();
                int after = t.position();
                Expression inner = expandable(p + 1, contentEnd, false, new Extent(p, after));
                if (inner instanceof ConstantExpr k) {
                    literal.append((String) k.value());
                } else {
                    for (Object part : ((ExpandableStringExpr) inner).parts()) {
                        if (part instanceof String str) {
                            literal.append(str);
                        } else {
                            flush(parts, literal);
                            parts.add(part);
                        }
                    }
                }
                p = after;
                continue;
            }
            if (c == '$' && p + 1 < to) {
                int after = variableOrSubexpression(p, to, parts, literal);
                if (after > p) {
                    p = after;
                    continue;
                }
            }
            literal.append(c);
            p++;
        }
        t.reset(tok.end());
        return finish(parts, literal, extent);
    }

    /** At a '$' inside a string: adds the variable or $(...) part and returns the offset after it, or p if literal. */
    private int variableOrSubexpression(int p, int to, List<Object> parts, StringBuilder literal) {
        char n = s.charAt(p + 1);
        if (n == '(') {
            flush(parts, literal);
            Parser sub = new Parser(s);
            sub.t.reset(p + 2);
            List<Statement> statements = sub.statementList(TokenKind.RPAREN);
            Token close = sub.t.next(Mode.COMMAND);
            if (!close.is(TokenKind.RPAREN)) {
                throw new ParseException("Missing closing ')' in subexpression.", "MissingEndParenthesisInSubexpression", p);
            }
            parts.add(new SubExpr(statements, new Extent(p, sub.t.position())));
            return sub.t.position();
        }
        if (n == '{') {
            int close = p + 2;
            StringBuilder name = new StringBuilder();
            while (close < to && s.charAt(close) != '}') {
                if (s.charAt(close) == '`' && close + 1 < to) {
                    close++;
                }
                name.append(s.charAt(close));
                close++;
            }
            if (close >= to) {
                throw new ParseException("Missing '}' in the variable reference ${...}.", "IncompleteDollarVariableReference", p);
            }
            flush(parts, literal);
            parts.add(new VariableExpr(name.toString(), new Extent(p, close + 1)));
            return close + 1;
        }
        int q = p + 1;
        while (q < to && Chars.isVariableChar(s.charAt(q))) {
            q++;
        }
        if (q < to && q > p + 1 && s.charAt(q) == ':' && q + 1 < to && Chars.isVariableChar(s.charAt(q + 1))) {
            q++;
            while (q < to && Chars.isVariableChar(s.charAt(q))) {
                q++;
            }
        }
        if (q == p + 1 && "?$^".indexOf(n) >= 0) {
            q++;
        }
        if (q == p + 1) {
            return p;
        }
        flush(parts, literal);
        parts.add(new VariableExpr(s.substring(p + 1, q), new Extent(p, q)));
        return q;
    }

    private static Expression finish(List<Object> parts, StringBuilder literal, Extent extent) {
        flush(parts, literal);
        if (parts.isEmpty()) {
            return new ConstantExpr("", extent);
        }
        if (parts.size() == 1 && parts.get(0) instanceof String only) {
            return new ConstantExpr(only, extent);
        }
        return new ExpandableStringExpr(parts, extent);
    }

    private static void flush(List<Object> parts, StringBuilder literal) {
        if (literal.length() > 0) {
            parts.add(literal.toString());
            literal.setLength(0);
        }
    }

    /** Backtick escapes of Windows PowerShell 5.1 (no `e or `u{}). */
    static char escape(char c) {
        switch (c) {
            case '0': return '\0';
            case 'a': return '\u0007';
            case 'b': return '\b';
            case 'f': return '\f';
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            case 'v': return '\u000B';
            default: return c;
        }
    }

    // --- helpers ---

    private <T> T withCommas(java.util.function.Supplier<T> parse) {
        boolean saved = commaMakesArrays;
        commaMakesArrays = true;
        try {
            return parse.get();
        } finally {
            commaMakesArrays = saved;
        }
    }

    private void skipNewlines() {
        while (t.peek(Mode.COMMAND).is(TokenKind.NEWLINE)) {
            t.next(Mode.COMMAND);
        }
    }

    private void skipNewlinesAndTrivia() {
        skipNewlines();
        t.skipTrivia();
    }

    private Extent extentFrom(int start) {
        return new Extent(start, Math.max(start, t.position()));
    }

    private static Extent span(Expression a, Expression b) {
        return new Extent(a.extent().start(), b.extent().end());
    }

    private ParseException unexpected(Token tok) {
        if (tok.is(TokenKind.EOF)) {
            return new ParseException("Missing expression.", "MissingExpression", tok.start());
        }
        String text = tok.text(s);
        if (text.length() > 40) {
            text = text.substring(0, 40);
        }
        return new ParseException("Unexpected token '" + text + "' in expression or statement.", "UnexpectedToken",
                tok.start());
    }
}
