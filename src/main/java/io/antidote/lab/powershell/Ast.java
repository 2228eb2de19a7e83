package io.antidote.lab.powershell;

import java.util.List;

/** The syntax tree of the subset. Every node knows where it is in the script, for error messages. */
final class Ast {

    private Ast() {
    }

    record Extent(int start, int end) {
    }

    record ScriptAst(List<ParamAst> params, List<Statement> statements) {
    }

    /** One parameter of a param block: {@code [type]$name = default}; type and default may be null. */
    record ParamAst(String type, String name, Expression defaultValue, Extent extent) {
    }

    // --- statements ---

    sealed interface Statement {
        Extent extent();
    }

    record PipelineStatement(List<PipelineElement> elements, Extent extent) implements Statement {
    }

    record AssignmentStatement(Expression target, TokenKind operator, Statement value, Extent extent) implements Statement {
    }

    record IfClause(Statement condition, List<Statement> body) {
    }

    record IfStatement(List<IfClause> clauses, List<Statement> elseBody, Extent extent) implements Statement {
    }

    record ForeachStatement(String variable, Statement collection, List<Statement> body, Extent extent) implements Statement {
    }

    record WhileStatement(Statement condition, List<Statement> body, Extent extent) implements Statement {
    }

    record CatchClause(List<String> types, List<Statement> body) {
    }

    record TryStatement(List<Statement> body, List<CatchClause> catches, List<Statement> finallyBody, Extent extent)
            implements Statement {
    }

    /** throw, exit, return, break, continue: {@code value} may be null. */
    record FlowStatement(String keyword, Statement value, Extent extent) implements Statement {
    }

    // --- pipelines ---

    sealed interface PipelineElement {
        Extent extent();

        List<Redirection> redirections();
    }

    record ExpressionElement(Expression expression, List<Redirection> redirections, Extent extent) implements PipelineElement {
    }

    /** A command: {@code invocation} is "", "&" or "."; {@code name} a constant for a bare name. */
    record CommandElement(String invocation, Expression name, List<CommandPart> parts, List<Redirection> redirections,
                          Extent extent) implements PipelineElement {
    }

    sealed interface CommandPart {
        Extent extent();
    }

    /** {@code -Name} or {@code -Name:value}; argument is null unless written with the colon. */
    record ParameterPart(String name, Expression argument, Extent extent) implements CommandPart {
    }

    record ArgumentPart(Expression value, Extent extent) implements CommandPart {
    }

    record SplatPart(String variable, Extent extent) implements CommandPart {
    }

    /** {@code >}, {@code 2>}, {@code 2>&1}...: target null for a merge. */
    record Redirection(String operator, Expression target) {
    }

    // --- expressions ---

    sealed interface Expression {
        Extent extent();
    }

    record ConstantExpr(Object value, Extent extent) implements Expression {
    }

    /** A double-quoted string or bare word: parts are Strings and Expressions, concatenated. */
    record ExpandableStringExpr(List<Object> parts, Extent extent) implements Expression {
    }

    record VariableExpr(String name, Extent extent) implements Expression {
    }

    record ArrayLiteralExpr(List<Expression> elements, Extent extent) implements Expression {
    }

    /** {@code @( ... )}. */
    record ArrayExpr(List<Statement> statements, Extent extent) implements Expression {
    }

    /** {@code $( ... )}. */
    record SubExpr(List<Statement> statements, Extent extent) implements Expression {
    }

    /** {@code ( pipeline )}. */
    record ParenExpr(Statement statement, Extent extent) implements Expression {
    }

    record HashEntry(Expression key, Statement value) {
    }

    record HashLiteralExpr(List<HashEntry> entries, Extent extent) implements Expression {
    }

    record ScriptBlockAst(List<ParamAst> params, List<Statement> statements, String text) {
    }

    record ScriptBlockExpr(ScriptBlockAst block, Extent extent) implements Expression {
    }

    record MemberExpr(Expression target, Expression member, boolean isStatic, Extent extent) implements Expression {
    }

    record InvokeMemberExpr(Expression target, Expression member, List<Expression> arguments, boolean isStatic,
                            Extent extent) implements Expression {
    }

    record IndexExpr(Expression target, Expression index, Extent extent) implements Expression {
    }

    /** Unary operators: "not", "!", "-", "+", ",", "bnot", "join", "split". */
    record UnaryExpr(String operator, Expression operand, Extent extent) implements Expression {
    }

    /** Binary operators: "+", "-", "*", "/", "%", "..", and dash operators by name ("eq", "ceq", "and", "f"...). */
    record BinaryExpr(String operator, Expression left, Expression right, Extent extent) implements Expression {
    }

    record ConvertExpr(String type, Expression operand, Extent extent) implements Expression {
    }

    record TypeExpr(String type, Extent extent) implements Expression {
    }
}
