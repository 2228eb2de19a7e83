package io.antidote.lab.powershell;

import io.antidote.lab.exchange.ExchangeServer;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

/** What a cmdlet invocation sees: its bound parameters, its output, error reporting, the server. */
final class CommandContext {

    enum ErrorMode { DISPLAY, DISCARD, MERGE }

    final Interpreter in;
    final CmdletInfo info;
    final Ast.Extent extent;
    final Map<String, Object> bound;
    /** -ErrorAction as given, or null to follow $ErrorActionPreference. */
    final String errorAction;
    final boolean whatIf;
    final boolean expectingInput;
    /** The name as typed (an alias, say): PowerShell prefixes a cmdlet's errors with it. */
    String invocationName;
    Pipe out;
    ErrorMode errorMode = ErrorMode.DISPLAY;
    boolean hostSilenced;

    CommandContext(Interpreter in, CmdletInfo info, Ast.Extent extent, Map<String, Object> bound, String errorAction,
                   boolean whatIf, boolean expectingInput) {
        this.in = in;
        this.info = info;
        this.extent = extent;
        this.bound = bound;
        this.errorAction = errorAction;
        this.whatIf = whatIf;
        this.expectingInput = expectingInput;
    }

    String name() {
        return info.name();
    }

    boolean has(String parameter) {
        return bound.containsKey(parameter);
    }

    Object get(String parameter) {
        return bound.get(parameter);
    }

    String string(String parameter) {
        Object v = bound.get(parameter);
        return v == null ? null : Values.toStr(v);
    }

    @SuppressWarnings("unchecked")
    List<String> strings(String parameter) {
        Object v = bound.get(parameter);
        return v == null ? null : (List<String>) v;
    }

    boolean flag(String parameter) {
        Object v = bound.get(parameter);
        return v != null && Values.toBool(v);
    }

    int integer(String parameter, int otherwise) {
        Object v = bound.get(parameter);
        return v == null ? otherwise : (Integer) v;
    }

    void write(Object o) {
        in.step();
        out.write(o);
    }

    void writeEnumerated(Object o) {
        if (o instanceof List) {
            for (Object e : Values.list(o)) {
                write(e);
            }
        } else {
            write(o);
        }
    }

    /** A non-terminating error: shown, silenced or turned terminating as -ErrorAction or the preference says. */
    void writeError(ErrorRecord record) {
        in.nonTerminatingError(record, errorAction != null ? errorAction : in.errorActionPreference(), errorMode, out);
    }

    PsException terminating(ErrorRecord record) {
        return new PsException(record, false);
    }

    ErrorRecord error(String message, String category, String targetName, String targetType, Object targetObject,
                      String exceptionType, String errorId) {
        return new ErrorRecord(message, exceptionType, category, info.name(), targetName, targetType,
                errorId + "," + info.implementingType(), targetObject, prefix(), in.position(extent));
    }

    String prefix() {
        return invocationName == null ? info.name() : invocationName;
    }

    /** -WhatIf: says what would happen and does nothing. */
    boolean shouldProcess(String action, String target) {
        if (whatIf) {
            hostWrite("What if: Performing the operation \"" + action + "\" on target \"" + target + "\".", true);
            return false;
        }
        return true;
    }

    void hostWrite(String text, boolean newline) {
        if (!hostSilenced) {
            in.hostWrite(text, newline);
        }
    }

    ExchangeServer server() {
        return in.server;
    }

    LocalDateTime now() {
        return in.now();
    }
}
