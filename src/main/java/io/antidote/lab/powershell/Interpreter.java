package io.antidote.lab.powershell;

import io.antidote.lab.exchange.ExchangeServer;
import io.antidote.lab.exchange.LabFileSystem;
import io.antidote.lab.powershell.Ast.*;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Tree-walking evaluator: one instance per script run, as one powershell.exe process per WinRM
 * command. Statements write their output objects to a {@link Pipe}; at the top level that is
 * Out-Default, which renders text. Errors follow PowerShell's rules: non-terminating ones are
 * written and the script goes on; statement-terminating ones end their statement; throw ends
 * the script; $ErrorActionPreference = 'Stop' makes every error end the script; try/catch
 * catches any terminating error.
 */
final class Interpreter {

    static final Object NO_INPUT = new Object();
    static final String DOCUMENTS = "C:\\Users\\Administrator\\Documents";
    /** Statements, loop iterations and pipeline objects a script may use before the lab stops it. */
    static final long STEP_BUDGET = 5_000_000;
    static final int OUTPUT_LIMIT = 16 * 1024 * 1024;

    final ExchangeServer server;
    final String script;
    private final Supplier<LocalDateTime> clock;
    /** The process's standard input, read when the script first asks for {@code $input}. */
    private final Supplier<String> stdin;
    private boolean stdinRead;
    final Map<String, String> env;
    final Commands commands;
    private final OutDefault outDefault;
    private final StringBuilder stderr = new StringBuilder();
    private final SourceText source;
    private Scope scope;
    private final Scope global;
    String location = DOCUMENTS;
    private int tryDepth;
    private final List<ErrorRecord> catchStack = new ArrayList<>();
    private int errorCount;
    private boolean nativeFailed;
    private boolean lastSucceeded = true;
    private final List<Object> errorVariable = new ArrayList<>();
    private long steps;

    private static final class Scope {
        final Map<String, Variable> vars = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final Scope parent;

        Scope(Scope parent) {
            this.parent = parent;
        }
    }

    private static final class Variable {
        Object value;
        String type;

        Variable(Object value, String type) {
            this.value = value;
            this.type = type;
        }
    }

    Interpreter(ExchangeServer server, String script, Supplier<LocalDateTime> clock, Supplier<String> stdin) {
        this.server = server;
        this.stdin = stdin;
        this.script = script;
        this.clock = clock;
        this.env = server.environment();
        this.commands = new Commands();
        this.outDefault = new OutDefault();
        this.global = new Scope(null);
        this.scope = global;
        this.source = new SourceText(script);
        define("ErrorActionPreference", "Continue");
        define("WarningPreference", "Continue");
        define("VerbosePreference", "SilentlyContinue");
        define("DebugPreference", "SilentlyContinue");
        define("ProgressPreference", "Continue");
        define("InformationPreference", "SilentlyContinue");
        define("ConfirmPreference", "High");
        define("WhatIfPreference", false);
        define("OFS", " ");
        define("HOME", "C:\\Users\\Administrator");
        define("PSHOME", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0");
        define("PID", 4242);
        define("PSScriptRoot", "");
        define("PSCommandPath", "");
        define("args", new ArrayList<>());
        define("Error", errorVariable);
        PsHashtable version = new PsHashtable();
        version.put("PSVersion", new PsVersion(5, 1, 14393, 4350));
        version.put("PSEdition", "Desktop");
        version.put("PSCompatibleVersions", List.of(new PsVersion(1, 0, -1, -1), new PsVersion(2, 0, -1, -1),
                new PsVersion(3, 0, -1, -1), new PsVersion(4, 0, -1, -1), new PsVersion(5, 0, -1, -1),
                new PsVersion(5, 1, 14393, 4350)));
        version.put("BuildVersion", new PsVersion(10, 0, 14393, 4350));
        version.put("CLRVersion", new PsVersion(4, 0, 30319, 42000));
        version.put("WSManStackVersion", new PsVersion(3, 0, -1, -1));
        version.put("PSRemotingProtocolVersion", new PsVersion(2, 3, -1, -1));
        version.put("SerializationVersion", new PsVersion(1, 1, 0, 1));
        define("PSVersionTable", version);
    }

    private void define(String name, Object value) {
        global.vars.put(name, new Variable(value, null));
    }

    LocalDateTime now() {
        return clock.get();
    }

    // --- running a script ---

    ScriptResult run(ScriptAst ast) {
        int exitCode;
        try {
            try {
                for (ParamAst p : ast.params()) {
                    Object value = p.defaultValue() == null ? null : eval(p.defaultValue());
                    if (p.type() != null) {
                        value = convertOrFail(p.type(), value, p.extent());
                    } else if (value == null) {
                        value = null;
                    }
                    global.vars.put(p.name(), new Variable(value, p.type()));
                }
                executeStatements(ast.statements(), outDefault::write);
                exitCode = lastSucceeded ? 0 : 1;
            } catch (Flow.Return | Flow.Break | Flow.Continue done) {
                exitCode = lastSucceeded ? 0 : 1;
            }
        } catch (Flow.Exit exit) {
            exitCode = exit.code;
        } catch (PsException e) {
            writeErrorText(e.record);
            exitCode = 1;
        } catch (LabLimit limit) {
            stderr.append(limit.getMessage()).append(ErrorRecord.NL);
            exitCode = 1;
        }
        outDefault.endGroup();
        return new ScriptResult(outDefault.text(), stderr.toString(), exitCode);
    }

    /** The lab stops a runaway script (endless loop, huge output) or one whose thread was interrupted. */
    static final class LabLimit extends RuntimeException {
        LabLimit(String message) {
            super(message, null, false, false);
        }
    }

    void step() {
        if (++steps > STEP_BUDGET) {
            throw new LabLimit("The lab stopped the script: it ran more than " + STEP_BUDGET + " steps.");
        }
        if ((steps & 1023) == 0 && Thread.currentThread().isInterrupted()) {
            throw new LabLimit("The pipeline has been stopped.");
        }
        if (outDefault.length() > OUTPUT_LIMIT || stderr.length() > OUTPUT_LIMIT) {
            throw new LabLimit("The lab stopped the script: its output grew beyond " + OUTPUT_LIMIT + " characters.");
        }
    }

    // --- statements ---

    void executeStatements(List<Statement> statements, Pipe out) {
        for (Statement s : statements) {
            executeStatement(s, out);
        }
    }

    /** A statement of a statement list: its statement-terminating errors are written here and the list goes on. */
    private void executeStatement(Statement s, Pipe out) {
        step();
        try {
            dispatch(s, out);
        } catch (PsException e) {
            if (e.scriptTerminating || tryDepth > 0 || errorActionPreference().equals("Stop")) {
                throw e;
            }
            writeErrorText(e.record);
            errorCount++;
            lastSucceeded = false;
        } catch (RuntimeError e) {
            PsException wrapped = new PsException(record(e, s.extent()), false);
            if (tryDepth > 0 || errorActionPreference().equals("Stop")) {
                throw wrapped;
            }
            writeErrorText(wrapped.record);
            errorCount++;
            lastSucceeded = false;
        }
    }

    /**
     * Runs a statement; a terminating error travels up to the statement list that holds it, so an
     * error inside ( ), an if condition or an assignment's right side ends the enclosing statement.
     */
    private void dispatch(Statement s, Pipe out) {
        int errorsBefore = errorCount;
        if (s instanceof PipelineStatement p) {
            nativeFailed = false;
            runPipeline(p, out);
            lastSucceeded = errorCount == errorsBefore && !nativeFailed;
        } else if (s instanceof AssignmentStatement a) {
            nativeFailed = false;
            assign(a);
            lastSucceeded = errorCount == errorsBefore && !nativeFailed;
        } else if (s instanceof IfStatement i) {
            executeIf(i, out);
        } else if (s instanceof ForeachStatement f) {
            executeForeach(f, out);
        } else if (s instanceof WhileStatement w) {
            executeWhile(w, out);
        } else if (s instanceof TryStatement t) {
            executeTry(t, out);
        } else if (s instanceof FlowStatement f) {
            executeFlow(f, out);
        }
    }

    private void executeIf(IfStatement s, Pipe out) {
        for (IfClause clause : s.clauses()) {
            if (Values.toBool(statementValue(clause.condition()))) {
                executeStatements(clause.body(), out);
                return;
            }
        }
        if (s.elseBody() != null) {
            executeStatements(s.elseBody(), out);
        }
    }

    private void executeForeach(ForeachStatement s, Pipe out) {
        Object collection = statementValue(s.collection());
        List<Object> items = collection instanceof List ? new ArrayList<>(Values.list(collection))
                : collection == null ? List.of() : List.of(collection);
        for (Object item : items) {
            step();
            setVariable(s.variable(), item);
            try {
                executeStatements(s.body(), out);
            } catch (Flow.Break b) {
                return;
            } catch (Flow.Continue c) {
                // next item
            }
        }
    }

    private void executeWhile(WhileStatement s, Pipe out) {
        while (Values.toBool(statementValue(s.condition()))) {
            step();
            try {
                executeStatements(s.body(), out);
            } catch (Flow.Break b) {
                return;
            } catch (Flow.Continue c) {
                // evaluate the condition again
            }
        }
    }

    private void executeTry(TryStatement s, Pipe out) {
        try {
            tryDepth++;
            try {
                executeStatements(s.body(), out);
            } finally {
                tryDepth--;
            }
        } catch (PsException e) {
            CatchClause handler = null;
            for (CatchClause c : s.catches()) {
                if (catches(c, e.record)) {
                    handler = c;
                    break;
                }
            }
            if (handler == null) {
                runFinally(s, out);
                throw e;
            }
            Object savedUnder = getVariable("_");
            errorVariable.add(0, e.record);
            setVariable("_", e.record);
            catchStack.add(e.record);
            try {
                executeStatements(handler.body(), out);
            } catch (RuntimeException inCatch) {
                runFinally(s, out);
                throw inCatch;
            } finally {
                catchStack.remove(catchStack.size() - 1);
                setVariable("_", savedUnder);
            }
        } catch (RuntimeException other) {
            runFinally(s, out);
            throw other;
        }
        runFinally(s, out);
    }

    private void runFinally(TryStatement s, Pipe out) {
        if (s.finallyBody() != null) {
            List<Statement> body = s.finallyBody();
            executeStatements(body, out);
        }
    }

    private static boolean catches(CatchClause c, ErrorRecord r) {
        if (c.types().isEmpty()) {
            return true;
        }
        for (String type : c.types()) {
            String simple = type.contains(".") ? type.substring(type.lastIndexOf('.') + 1) : type;
            if (simple.equalsIgnoreCase("Exception") || simple.equalsIgnoreCase("SystemException")
                    || simple.equalsIgnoreCase("RuntimeException") || simple.equalsIgnoreCase(r.reason())) {
                return true;
            }
        }
        return false;
    }

    private void executeFlow(FlowStatement s, Pipe out) {
        switch (s.keyword()) {
            case "throw": {
                if (s.value() == null) {
                    if (!catchStack.isEmpty()) {
                        throw new PsException(catchStack.get(catchStack.size() - 1), true);
                    }
                    throw new PsException(new ErrorRecord("ScriptHalted", "System.Management.Automation.RuntimeException",
                            "OperationStopped", "", "", "", "ScriptHalted", null, null, position(s.extent())), true);
                }
                Object value = statementValue(s.value());
                if (value instanceof ErrorRecord r) {
                    throw new PsException(r, true);
                }
                String message = Values.toStr(value);
                String targetType = value instanceof String ? "String" : simpleType(value);
                throw new PsException(new ErrorRecord(message, "System.Management.Automation.RuntimeException",
                        "OperationStopped", "", message, targetType, message, value, null, position(s.extent())), true);
            }
            case "exit": {
                int code = 0;
                if (s.value() != null) {
                    Object v = statementValue(s.value());
                    try {
                        code = Values.toInt(v);
                    } catch (RuntimeError notANumber) {
                        code = 0;
                    }
                }
                throw new Flow.Exit(code);
            }
            case "return":
                if (s.value() != null) {
                    for (Object o : collect(s.value())) {
                        out.write(o);
                    }
                }
                throw new Flow.Return();
            case "break":
                throw new Flow.Break();
            default:
                throw new Flow.Continue();
        }
    }

    private static String simpleType(Object value) {
        String t = Values.typeNameOf(value);
        if (value instanceof PsObject) {
            return "PSObject";
        }
        return t.substring(t.lastIndexOf('.') + 1);
    }

    // --- assignment ---

    private void assign(AssignmentStatement a) {
        Object value = statementValue(a.value());
        if (a.operator() != TokenKind.EQUALS) {
            String op = switch (a.operator()) {
                case PLUS_EQUALS -> "+";
                case MINUS_EQUALS -> "-";
                case STAR_EQUALS -> "*";
                case SLASH_EQUALS -> "/";
                default -> "%";
            };
            value = Operators.binary(op, eval(a.target()), value, null);
        }
        assignTo(a.target(), value);
    }

    private void assignTo(Expression target, Object value) {
        if (target instanceof VariableExpr v) {
            setVariable(v.name(), value);
        } else if (target instanceof ConvertExpr c && c.operand() instanceof VariableExpr v) {
            Object converted = convertOrFail(c.type(), value, c.extent());
            Scope s = scopeFor(v.name());
            s.vars.put(bareName(v.name()), new Variable(converted, c.type()));
        } else if (target instanceof IndexExpr ix) {
            Object container = eval(ix.target());
            Object index = eval(ix.index());
            if (container instanceof PsHashtable h) {
                h.put(index, value);
            } else if (container instanceof List) {
                List<Object> list = Values.list(container);
                int i = Values.toInt(index);
                if (i < 0) {
                    i += list.size();
                }
                if (i < 0 || i >= list.size()) {
                    throw new RuntimeError("Index was outside the bounds of the array.", "System.IndexOutOfRangeException",
                            "OperationStopped", "System.IndexOutOfRangeException");
                }
                list.set(i, value);
            } else if (container == null) {
                throw new RuntimeError("Cannot index into a null array.", "NullArray", "InvalidOperation",
                        "System.Management.Automation.RuntimeException");
            } else {
                throw new RuntimeError("Unable to index into an object of type " + Values.typeNameOf(container) + ".",
                        "CannotIndex", "InvalidOperation", "System.Management.Automation.RuntimeException");
            }
        } else if (target instanceof MemberExpr m) {
            Object obj = eval(m.target());
            String name = Values.toStr(eval(m.member()));
            if (obj instanceof PsObject o && (o.has(name) || o.isCustom())) {
                if (!o.has(name)) {
                    throw propertyNotFound(name);
                }
                o.set(name, value);
            } else if (obj instanceof PsHashtable h) {
                h.put(name, value);
            } else if (obj == null) {
                throw new RuntimeError("The property '" + name + "' cannot be found on this object. Verify that the "
                        + "property exists and can be set.", "PropertyNotFound", "InvalidOperation",
                        "System.Management.Automation.RuntimeException");
            } else {
                throw propertyNotFound(name);
            }
        }
    }

    private static RuntimeError propertyNotFound(String name) {
        return new RuntimeError("The property '" + name + "' cannot be found on this object. Verify that the property "
                + "exists and can be set.", "PropertyAssignmentException", "InvalidOperation",
                "System.Management.Automation.RuntimeException");
    }

    private Object convertOrFail(String type, Object value, Extent extent) {
        try {
            return Values.convert(type, value);
        } catch (RuntimeError e) {
            throw new PsException(record(e, extent), false);
        }
    }

    // --- values of statements ---

    /** The value a statement gives when assigned or used as a condition. */
    Object statementValue(Statement s) {
        if (s instanceof PipelineStatement p && p.elements().size() == 1
                && p.elements().get(0) instanceof ExpressionElement e && e.redirections().isEmpty()) {
            return eval(e.expression());
        }
        if (s instanceof AssignmentStatement a) {
            assign(a);
            return eval(a.target());
        }
        return Values.unwrap(collect(s));
    }

    List<Object> collect(Statement s) {
        List<Object> out = new ArrayList<>();
        dispatch(s, out::add);
        return out;
    }

    private List<Object> collectAll(List<Statement> statements) {
        List<Object> out = new ArrayList<>();
        executeStatements(statements, out::add);
        return out;
    }

    // --- pipelines ---

    private void runPipeline(PipelineStatement p, Pipe out) {
        List<PipelineElement> elements = p.elements();
        int n = elements.size();
        Stage[] stages = new Stage[n];
        for (int i = 0; i < n; i++) {
            stages[i] = createStage(elements.get(i), i > 0);
        }
        List<Runnable> closers = new ArrayList<>();
        for (int i = n - 1; i >= 0; i--) {
            Pipe downstream = i == n - 1 ? out : stages[i + 1]::process;
            stages[i].connect(redirect(downstream, elements.get(i).redirections(), stages[i], closers));
        }
        for (Stage s : stages) {
            s.begin();
        }
        stages[0].first();
        for (Stage s : stages) {
            s.end();
        }
        closers.forEach(Runnable::run);
    }

    /** One element of a running pipeline. */
    abstract static class Stage {
        Pipe out;
        CommandContext.ErrorMode errorMode = CommandContext.ErrorMode.DISPLAY;
        boolean hostSilenced;

        void connect(Pipe downstream) {
            this.out = downstream;
        }

        void begin() {
        }

        /** Runs the first element of a pipeline, which has no input. */
        abstract void first();

        abstract void process(Object input);

        void end() {
        }
    }

    private final class ExpressionStage extends Stage {
        private final Expression expression;

        ExpressionStage(Expression expression) {
            this.expression = expression;
        }

        @Override
        void first() {
            Object v = eval(expression);
            if (expression instanceof UnaryExpr u && (u.operator().endsWith("++") || u.operator().endsWith("--"))) {
                return; // like an assignment, an increment on its own writes nothing
            }
            if (v instanceof List) {
                for (Object e : new ArrayList<>(Values.list(v))) {
                    step();
                    out.write(e);
                }
            } else {
                out.write(v);
            }
        }

        @Override
        void process(Object input) {
            throw new IllegalStateException("an expression only starts a pipeline");
        }
    }

    private final class CmdletStage extends Stage {
        private final Cmdlet cmdlet;

        CmdletStage(Cmdlet cmdlet) {
            this.cmdlet = cmdlet;
        }

        @Override
        void connect(Pipe downstream) {
            super.connect(downstream);
            cmdlet.ctx.out = downstream;
            cmdlet.ctx.errorMode = errorMode;
            cmdlet.ctx.hostSilenced = hostSilenced;
        }

        @Override
        void begin() {
            cmdlet.begin();
        }

        @Override
        void first() {
            cmdlet.process(NO_INPUT);
        }

        @Override
        void process(Object input) {
            step();
            if (!cmdlet.ctx.info.pipelineInput()) {
                throw new PsException(cmdlet.ctx.error("The input object cannot be bound to any parameters for the command "
                        + "either because the command does not take pipeline input or the input and its properties do not "
                        + "match any of the parameters that take pipeline input.", "InvalidArgument", Values.toStr(input),
                        simpleType(input), input, "System.Management.Automation.ParameterBindingException",
                        "InputObjectNotBound"), false);
            }
            cmdlet.process(input);
        }

        @Override
        void end() {
            cmdlet.end();
        }
    }

    private final class NativeStage extends Stage {
        private final String program;
        private final List<String> arguments;

        NativeStage(String program, List<String> arguments) {
            this.program = program;
            this.arguments = arguments;
        }

        @Override
        void first() {
            // Runs at end, once, with or without input.
        }

        @Override
        void process(Object input) {
            // Native programs here read no standard input.
        }

        @Override
        void end() {
            NativeResult r = runNative(program, String.join(" ", quoteArguments(arguments)));
            for (String line : r.output()) {
                out.write(line);
            }
            setVariable("LASTEXITCODE", r.exitCode());
            if (r.exitCode() != 0) {
                nativeFailed = true;
            }
        }
    }

    private final class ScriptBlockStage extends Stage {
        private final ScriptBlockValue block;
        private final boolean newScope;
        private final List<Object> input = new ArrayList<>();

        ScriptBlockStage(ScriptBlockValue block, boolean newScope) {
            this.block = block;
            this.newScope = newScope;
        }

        @Override
        void first() {
        }

        @Override
        void process(Object o) {
            input.add(o);
        }

        @Override
        void end() {
            invokeScriptBlock(block, null, input.isEmpty() ? null : input, newScope, out);
        }
    }

    private Pipe redirect(Pipe downstream, List<Redirection> redirections, Stage stage, List<Runnable> closers) {
        Pipe pipe = downstream;
        for (Redirection r : redirections) {
            String op = r.operator();
            boolean toNull = r.target() != null && r.target() instanceof VariableExpr v && v.name().equalsIgnoreCase("null");
            String stream = op.startsWith(">") ? "1" : op.substring(0, 1);
            if (op.contains("&")) {
                if (stream.equals("2") || stream.equals("*")) {
                    stage.errorMode = CommandContext.ErrorMode.MERGE;
                }
                continue;
            }
            if (stream.equals("1") || stream.equals("*")) {
                if (toNull) {
                    pipe = o -> { };
                } else {
                    String path = resolvePath(Values.toStr(eval(r.target())));
                    boolean append = op.endsWith(">>");
                    OutDefault file = new OutDefault();
                    pipe = file::write;
                    closers.add(() -> {
                        file.endGroup();
                        writeRedirection(path, file.text(), append);
                    });
                }
            }
            if (stream.equals("2") || stream.equals("*")) {
                stage.errorMode = CommandContext.ErrorMode.DISCARD;
            }
            if (stream.equals("6") || stream.equals("*")) {
                stage.hostSilenced = true;
            }
        }
        return pipe;
    }

    private void writeRedirection(String path, String text, boolean append) {
        LabFileSystem fs = server.files();
        String existing = append ? fs.get(path).map(LabFileSystem.Entry::content).orElse("") : "";
        if (!fs.rootExists(path) || fs.isDirectory(path)) {
            throw new PsException(new ErrorRecord("Could not find a part of the path '" + path + "'.",
                    "System.IO.DirectoryNotFoundException", "OpenError", "Out-File", "", "",
                    "FileOpenFailure,Microsoft.PowerShell.Commands.OutFileCommand", null, "out-file", null), false);
        }
        fs.writeFile(path, existing + text, now());
    }

    private Stage createStage(PipelineElement element, boolean expectingInput) {
        if (element instanceof ExpressionElement e) {
            return new ExpressionStage(e.expression());
        }
        CommandElement c = (CommandElement) element;
        Object nameValue = eval(c.name());
        if (!c.invocation().isEmpty() && nameValue instanceof ScriptBlockValue block) {
            return new ScriptBlockStage(block, c.invocation().equals("&"));
        }
        String name = Values.toStr(nameValue);
        List<ParameterBinder.Arg> args = new ArrayList<>();
        List<String> nativeArgs = new ArrayList<>();
        for (CommandPart part : c.parts()) {
            if (part instanceof ParameterPart p) {
                Object v = p.argument() == null ? null : eval(p.argument());
                args.add(new ParameterBinder.Arg(p.name(), v, p.argument() != null, p.extent()));
                nativeArgs.add(script.substring(p.extent().start(), p.argument() == null ? p.extent().end()
                        : p.argument().extent().start()) + (p.argument() == null ? "" : Values.toStr(v)));
            } else if (part instanceof ArgumentPart a) {
                Object v = eval(a.value());
                args.add(new ParameterBinder.Arg(null, v, true, a.extent()));
                for (Object e : Values.asList(v)) {
                    nativeArgs.add(Values.toStr(e));
                }
            } else if (part instanceof SplatPart sp) {
                Object v = getVariable(sp.variable());
                if (v instanceof PsHashtable h) {
                    for (Object k : h.keys()) {
                        args.add(new ParameterBinder.Arg(Values.toStr(k), h.get(k), true, sp.extent()));
                        nativeArgs.add("-" + Values.toStr(k) + ":" + Values.toStr(h.get(k)));
                    }
                } else {
                    for (Object e : Values.asList(v)) {
                        args.add(new ParameterBinder.Arg(null, e, true, sp.extent()));
                        nativeArgs.add(Values.toStr(e));
                    }
                }
            }
        }
        CmdletInfo info = commands.resolve(name);
        if (info != null) {
            String invocationName = c.invocation().isEmpty() ? name : info.name();
            ParameterBinder.Binding b = ParameterBinder.bind(this, info, args, c.extent(), expectingInput, invocationName);
            Cmdlet cmdlet = info.factory().get();
            cmdlet.ctx = new CommandContext(this, info, c.extent(), b.bound(), b.errorAction(), b.whatIf(), expectingInput);
            cmdlet.ctx.invocationName = invocationName;
            return new CmdletStage(cmdlet);
        }
        String program = nativeProgram(name);
        if (program != null) {
            return new NativeStage(program, nativeArgs);
        }
        throw new PsException(commandNotFound(name, c.name().extent()), false);
    }

    ErrorRecord commandNotFound(String name, Extent extent) {
        return new ErrorRecord("The term '" + name + "' is not recognized as the name of a cmdlet, function, script file, "
                + "or operable program. Check the spelling of the name, or if a path was included, verify that the path is "
                + "correct and try again.", "System.Management.Automation.CommandNotFoundException", "ObjectNotFound", "",
                name, "String", "CommandNotFoundException", name, name, position(extent));
    }

    // --- native programs ---

    record NativeResult(int exitCode, List<String> output) {
    }

    /** The native programs the lab knows by name or path; null for anything else. */
    String nativeProgram(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('/', '\\');
        String file = n.substring(n.lastIndexOf('\\') + 1);
        if (n.contains("\\")) {
            String path = LabFileSystem.isAbsolute(n) ? n : location + "\\" + n;
            try {
                if (!server.files().isFile(path)) {
                    return null;
                }
            } catch (IllegalArgumentException badPath) {
                return null;
            }
        }
        switch (file) {
            case "msiexec":
            case "msiexec.exe":
                return "msiexec";
            case "hostname":
            case "hostname.exe":
                return "hostname";
            case "whoami":
            case "whoami.exe":
                return "whoami";
            default:
                return null;
        }
    }

    NativeResult runNative(String program, String commandLine) {
        switch (program) {
            case "msiexec":
                return new NativeResult(server.msiexec(commandLine, location, now()), List.of());
            case "hostname":
                return new NativeResult(0, List.of(server.computerName()));
            case "whoami":
                if (commandLine.toLowerCase(java.util.Locale.ROOT).contains("/groups")) {
                    // A remote session of an administrator is elevated (the High label) unless UAC filters its token.
                    return new NativeResult(0, List.of("", "GROUP INFORMATION", "-----------------", "",
                            "Group Name                                 Type             SID          Attributes",
                            "========================================== ================ ============ ==================================================",
                            "Everyone                                   Well-known group S-1-1-0      Mandatory group, Enabled by default, Enabled group",
                            "BUILTIN\\Administrators                     Alias            S-1-5-32-544 Mandatory group, Enabled by default, Enabled group, Group owner",
                            "CONTOSO\\Organization Management           Group            S-1-5-21-1004336348-1177238915-682003330-1117 Mandatory group, Enabled by default, Enabled group",
                            server.elevated()
                                    ? "Mandatory Label\\High Mandatory Level       Label            S-1-16-12288"
                                    : "Mandatory Label\\Medium Mandatory Level     Label            S-1-16-8192"));
                }
                return new NativeResult(0, List.of("contoso\\administrator"));
            default:
                throw new IllegalStateException(program);
        }
    }

    /** Windows PowerShell 5.1 quotes an argument that holds whitespace, and nothing else. */
    static List<String> quoteArguments(List<String> args) {
        List<String> out = new ArrayList<>();
        for (String a : args) {
            boolean blank = a.chars().anyMatch(ch -> ch == ' ' || ch == '\t');
            boolean quoted = a.length() >= 2 && a.startsWith("\"") && a.endsWith("\"");
            out.add(blank && !quoted ? "\"" + a + "\"" : a);
        }
        return out;
    }

    // --- script blocks ---

    /** Runs a block with $_ set (ForEach-Object, Where-Object) in the caller's scope unless newScope. */
    void invokeScriptBlock(ScriptBlockValue block, Object dollarUnder, Object args, boolean newScope, Pipe out) {
        Scope saved = scope;
        Object savedUnder = getVariable("_");
        if (newScope) {
            scope = new Scope(scope);
        }
        try {
            setLocal("_", dollarUnder);
            setLocal("args", args == null ? new ArrayList<>() : Values.asList(args));
            for (ParamAst p : block.block().params()) {
                Object value = p.defaultValue() == null ? null : eval(p.defaultValue());
                if (p.type() != null) {
                    value = convertOrFail(p.type(), value, p.extent());
                }
                scope.vars.put(p.name(), new Variable(value, p.type()));
            }
            executeStatements(block.block().statements(), out);
        } catch (Flow.Return r) {
            // return ends this block only
        } finally {
            scope = saved;
            if (!newScope) {
                setLocal("_", savedUnder);
            }
        }
    }

    List<Object> invokeScriptBlockCollect(ScriptBlockValue block, Object dollarUnder) {
        List<Object> out = new ArrayList<>();
        invokeScriptBlock(block, dollarUnder, null, false, out::add);
        return out;
    }

    // --- variables ---

    private static String bareName(String name) {
        int colon = name.indexOf(':');
        if (colon > 0) {
            String prefix = name.substring(0, colon).toLowerCase(Locale.ROOT);
            if (prefix.equals("global") || prefix.equals("script") || prefix.equals("local") || prefix.equals("private")
                    || prefix.equals("using") || prefix.equals("variable")) {
                return name.substring(colon + 1);
            }
        }
        return name.equalsIgnoreCase("PSItem") ? "_" : name;
    }

    private Scope scopeFor(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("global:") || lower.startsWith("script:")) {
            return global;
        }
        return scope;
    }

    Object getVariable(String name) {
        int colon = name.indexOf(':');
        if (colon > 0) {
            String prefix = name.substring(0, colon).toLowerCase(Locale.ROOT);
            String rest = name.substring(colon + 1);
            if (prefix.equals("env")) {
                return env.get(rest);
            }
            if (!(prefix.equals("global") || prefix.equals("script") || prefix.equals("local") || prefix.equals("private")
                    || prefix.equals("using") || prefix.equals("variable"))) {
                return null;
            }
        }
        String n = bareName(name);
        switch (n.toLowerCase(Locale.ROOT)) {
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            case "null":
                return null;
            case "?":
                return lastSucceeded;
            case "input":
                return standardInput();
            case "pwd":
                return PsObject.typed("System.Management.Automation.PathInfo").add("Path", location)
                        .add("Drive", location.substring(0, 1)).toStringAs(o -> location);
            default:
                break;
        }
        for (Scope s = scopeFor(name); s != null; s = s.parent) {
            Variable v = s.vars.get(n);
            if (v != null) {
                return v.value;
            }
        }
        return null;
    }

    /**
     * {@code $input} of a script that powershell.exe runs with its standard input redirected (as WinRS does):
     * an enumerator of the input's lines, so only the first read sees them; later reads are empty.
     */
    private List<Object> standardInput() {
        List<Object> lines = new ArrayList<>();
        if (stdinRead) {
            return lines;
        }
        stdinRead = true;
        String text = stdin.get();
        if (text == null || text.isEmpty()) {
            return lines;
        }
        String[] split = text.split("\r\n|\n|\r", -1);
        int count = split[split.length - 1].isEmpty() ? split.length - 1 : split.length;
        for (int i = 0; i < count; i++) {
            lines.add(split[i]);
        }
        return lines;
    }

    void setVariable(String name, Object value) {
        int colon = name.indexOf(':');
        if (colon > 0 && name.substring(0, colon).equalsIgnoreCase("env")) {
            String key = name.substring(colon + 1);
            if (value == null || Values.toStr(value).isEmpty()) {
                env.remove(key);
            } else {
                env.put(key, Values.toStr(value));
            }
            return;
        }
        String n = bareName(name);
        String lower = n.toLowerCase(Locale.ROOT);
        if (lower.equals("true") || lower.equals("false") || lower.equals("null") || lower.equals("?")) {
            throw new RuntimeError("Cannot overwrite variable " + n + " because it is read-only or constant.",
                    "VariableNotWritable", "WriteError", "System.Management.Automation.SessionStateUnauthorizedAccessException",
                    n, "String");
        }
        if (lower.equals("erroractionpreference") || lower.endsWith("preference") && !lower.equals("whatifpreference")
                && !lower.equals("confirmpreference")) {
            value = preference(value);
        }
        Scope target = scopeFor(name);
        Variable v = target.vars.get(n);
        if (v != null) {
            v.value = v.type == null ? value : Values.convert(v.type, value);
            return;
        }
        target.vars.put(n, new Variable(value, null));
    }

    private void setLocal(String name, Object value) {
        scope.vars.put(name, new Variable(value, null));
    }

    private static Object preference(Object value) {
        String v = Values.toStr(value).trim();
        for (String a : ParameterBinder.ACTIONS) {
            if (a.equalsIgnoreCase(v)) {
                return a;
            }
        }
        throw new RuntimeError("Cannot convert value \"" + v + "\" to type \"System.Management.Automation.ActionPreference\". "
                + "Error: \"Unable to match the identifier name " + v + " to a valid enumerator name. Specify one of the "
                + "following enumerator names and try again:" + ErrorRecord.NL + String.join(", ", ParameterBinder.ACTIONS)
                + "\"", "RuntimeException", "MetadataError", "System.Management.Automation.ArgumentTransformationMetadataException");
    }

    String errorActionPreference() {
        Object v = getVariable("ErrorActionPreference");
        return v == null ? "Continue" : Values.toStr(v);
    }

    // --- errors ---

    ErrorRecord.Position position(Extent extent) {
        return source.position(extent);
    }

    ErrorRecord record(RuntimeError e, Extent extent) {
        return new ErrorRecord(e.getMessage(), e.exceptionType, e.category, "", e.targetName, e.targetType, e.errorId, null,
                null, position(extent));
    }

    void nonTerminatingError(ErrorRecord r, String action, CommandContext.ErrorMode mode, Pipe out) {
        errorCount++;
        switch (action) {
            case "Stop":
                throw new PsException(r, false);
            case "Ignore":
                return;
            case "SilentlyContinue":
                errorVariable.add(0, r);
                return;
            default:
                errorVariable.add(0, r);
                if (mode == CommandContext.ErrorMode.MERGE) {
                    out.write(r);
                } else if (mode == CommandContext.ErrorMode.DISPLAY) {
                    stderr.append(r.render());
                }
        }
    }

    private void writeErrorText(ErrorRecord r) {
        errorVariable.add(0, r);
        stderr.append(r.render());
    }

    /** Out-Host: straight to the console, past any pipeline. */
    void toHost(Object o) {
        outDefault.write(o);
    }

    void hostWrite(String text, boolean newline) {
        outDefault.hostWrite(newline ? text + ErrorRecord.NL : text);
    }

    // --- expressions ---

    Object eval(Expression e) {
        try {
            return evalInner(e);
        } catch (RuntimeError err) {
            throw new PsException(record(err, e.extent()), false);
        }
    }

    private Object evalInner(Expression e) {
        if (e instanceof ConstantExpr c) {
            return c.value();
        }
        if (e instanceof VariableExpr v) {
            return getVariable(v.name());
        }
        if (e instanceof ExpandableStringExpr x) {
            StringBuilder sb = new StringBuilder();
            for (Object part : x.parts()) {
                if (part instanceof String s) {
                    sb.append(s);
                } else {
                    Object value = part instanceof SubExpr sub ? Values.unwrap(collectAll(sub.statements()))
                            : eval((Expression) part);
                    sb.append(Values.toStr(value));
                }
                if (sb.length() > Operators.MAX_SIZE) {
                    throw Operators.tooLarge();
                }
            }
            return sb.toString();
        }
        if (e instanceof ArrayLiteralExpr a) {
            List<Object> out = new ArrayList<>();
            for (Expression el : a.elements()) {
                out.add(eval(el));
            }
            return out;
        }
        if (e instanceof ArrayExpr a) {
            return collectAll(a.statements());
        }
        if (e instanceof SubExpr s) {
            return Values.unwrap(collectAll(s.statements()));
        }
        if (e instanceof ParenExpr p) {
            return statementValue(p.statement());
        }
        if (e instanceof HashLiteralExpr h) {
            PsHashtable table = new PsHashtable();
            for (HashEntry entry : h.entries()) {
                Object key = eval(entry.key());
                if (key == null) {
                    throw new RuntimeError("A null key is not allowed in a hash literal.", "InvalidNullKey",
                            "InvalidOperation", "System.Management.Automation.RuntimeException");
                }
                if (table.containsKey(key)) {
                    throw new RuntimeError("Duplicate keys '" + Values.toStr(key) + "' are not allowed in hash literals.",
                            "DuplicateKeyInHashLiteral", "ParserError", "System.Management.Automation.RuntimeException");
                }
                table.put(key, statementValue(entry.value()));
            }
            return table;
        }
        if (e instanceof ScriptBlockExpr sb) {
            return new ScriptBlockValue(sb.block());
        }
        if (e instanceof MemberExpr m) {
            Object target = eval(m.target());
            String name = Values.toStr(eval(m.member()));
            if (m.isStatic()) {
                return Members.staticProperty(this, target, name);
            }
            return Members.get(target, name);
        }
        if (e instanceof InvokeMemberExpr m) {
            Object target = eval(m.target());
            String name = Values.toStr(eval(m.member()));
            List<Object> args = new ArrayList<>();
            for (Expression a : m.arguments()) {
                args.add(eval(a));
            }
            if (m.isStatic()) {
                return Members.invokeStatic(this, target, name, args);
            }
            return Members.invoke(this, target, name, args);
        }
        if (e instanceof IndexExpr ix) {
            return Members.index(eval(ix.target()), eval(ix.index()));
        }
        if (e instanceof UnaryExpr u) {
            if (u.operator().endsWith("++") || u.operator().endsWith("--")) {
                Object old = eval(u.operand());
                Object updated = Operators.binary(u.operator().endsWith("++") ? "+" : "-", old == null ? 0 : old, 1, null);
                assignTo(u.operand(), updated);
                return u.operator().startsWith("pre") ? updated : old == null ? 0 : old;
            }
            return Operators.unary(u.operator(), eval(u.operand()));
        }
        if (e instanceof BinaryExpr b) {
            switch (b.operator()) {
                case "and":
                    return Values.toBool(eval(b.left())) && Values.toBool(eval(b.right()));
                case "or":
                    return Values.toBool(eval(b.left())) || Values.toBool(eval(b.right()));
                default:
                    Object l = eval(b.left());
                    Object r = eval(b.right());
                    return Operators.binary(b.operator(), l, r, matches -> setVariable("Matches", matches));
            }
        }
        if (e instanceof ConvertExpr c) {
            String type = c.type().toLowerCase(Locale.ROOT);
            if ((type.equals("pscustomobject") || type.equals("system.management.automation.pscustomobject"))
                    && c.operand() instanceof HashLiteralExpr) {
                PsHashtable h = (PsHashtable) eval(c.operand());
                PsObject o = PsObject.custom();
                for (Object k : h.keys()) {
                    o.add(Values.toStr(k), h.get(k));
                }
                return o;
            }
            if (type.equals("ordered") && !(c.operand() instanceof HashLiteralExpr)) {
                throw new RuntimeError("The ordered attribute can be specified only on a hash literal node.",
                        "OrderedAttributeOnlyOnHashLiteralNode", "ParserError", "System.Management.Automation.RuntimeException");
            }
            return Values.convert(c.type(), eval(c.operand()));
        }
        if (e instanceof TypeExpr t) {
            return Values.type(t.type());
        }
        throw new IllegalStateException("unknown expression " + e);
    }

    /** A path as the shell resolves it: relative to the current location; HKLM: and UNC kept. */
    String resolvePath(String path) {
        String p = path.trim();
        if (p.regionMatches(true, 0, "Microsoft.PowerShell.Core\\FileSystem::", 0, 38)) {
            p = p.substring(38);
        } else if (p.regionMatches(true, 0, "FileSystem::", 0, 12)) {
            p = p.substring(12);
        }
        if (isRegistryPath(p)) {
            return p;
        }
        if (p.equals("~") || p.startsWith("~\\") || p.startsWith("~/")) {
            p = "C:\\Users\\Administrator" + p.substring(1);
        }
        if (LabFileSystem.isAbsolute(p)) {
            return LabFileSystem.normalize(p);
        }
        if (p.startsWith("\\") || p.startsWith("/")) {
            return LabFileSystem.normalize(location.substring(0, 2) + p);
        }
        return LabFileSystem.normalize(location + "\\" + p);
    }

    static boolean isRegistryPath(String p) {
        String l = p.toLowerCase(Locale.ROOT);
        return l.startsWith("hklm:") || l.startsWith("hkcu:") || l.startsWith("registry::")
                || l.startsWith("microsoft.powershell.core\\registry::") || l.startsWith("hkey_");
    }
}
