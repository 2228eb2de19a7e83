package io.antidote.lab.powershell;

/**
 * An error raised while evaluating an expression (a bad cast, a failed method call), before the
 * interpreter has attached the script position; it becomes a statement-terminating error.
 */
final class RuntimeError extends RuntimeException {

    final String errorId;
    final String category;
    final String exceptionType;
    final String targetName;
    final String targetType;

    RuntimeError(String message, String errorId, String category, String exceptionType) {
        this(message, errorId, category, exceptionType, "", "");
    }

    RuntimeError(String message, String errorId, String category, String exceptionType, String targetName,
                 String targetType) {
        super(message, null, false, false);
        this.errorId = errorId;
        this.category = category;
        this.exceptionType = exceptionType;
        this.targetName = targetName;
        this.targetType = targetType;
    }

    static RuntimeError invalidCast(Object value, String typeName, String reason, String errorId) {
        return new RuntimeError("Cannot convert value \"" + Values.toStr(value) + "\" to type \"" + typeName
                + "\". Error: \"" + reason + "\"", errorId, "InvalidArgument",
                "System.Management.Automation.RuntimeException");
    }
}
