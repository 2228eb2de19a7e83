package io.antidote.lab.powershell;

/**
 * A PowerShell error record and its rendering in Windows PowerShell 5.1's normal error view:
 *
 * <pre>
 * Get-Item : Cannot find path 'C:\x' because it does not exist.
 * At line:1 char:1
 * + Get-Item C:\x
 * + ~~~~~~~~~~~~~
 *     + CategoryInfo          : ObjectNotFound: (C:\x:String) [Get-Item], ItemNotFoundException
 *     + FullyQualifiedErrorId : PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand
 * </pre>
 */
final class ErrorRecord {

    static final String NL = "\r\n";

    /** Where in the script the error happened; line and column count from 1. */
    record Position(int line, int column, String lineText, int length) {
    }

    final String message;
    final String exceptionType;
    final String category;
    final String activity;
    final String targetName;
    final String targetType;
    final String fullyQualifiedErrorId;
    final Object targetObject;
    /** "Get-Item" in "Get-Item : message"; null when the message stands alone (throw). */
    final String commandPrefix;
    final Position position;
    private PsObject view;

    ErrorRecord(String message, String exceptionType, String category, String activity, String targetName,
                String targetType, String fullyQualifiedErrorId, Object targetObject, String commandPrefix,
                Position position) {
        this.message = message;
        this.exceptionType = exceptionType;
        this.category = category;
        this.activity = activity == null ? "" : activity;
        this.targetName = targetName == null ? "" : targetName;
        this.targetType = targetType == null ? "" : targetType;
        this.fullyQualifiedErrorId = fullyQualifiedErrorId;
        this.targetObject = targetObject;
        this.commandPrefix = commandPrefix;
        this.position = position;
    }

    String reason() {
        int dot = exceptionType.lastIndexOf('.');
        return dot < 0 ? exceptionType : exceptionType.substring(dot + 1);
    }

    String categoryInfo() {
        return category + ": (" + ellipsize(targetName) + ":" + targetType + ") [" + activity + "], " + reason();
    }

    /** PowerShell shortens long target names in CategoryInfo to 15 characters, "...", 15 characters. */
    static String ellipsize(String s) {
        if (s.length() <= 40) {
            return s;
        }
        return s.substring(0, 15) + "..." + s.substring(s.length() - 15);
    }

    String render() {
        StringBuilder sb = new StringBuilder();
        if (commandPrefix != null) {
            sb.append(commandPrefix).append(" : ");
        }
        sb.append(message).append(NL);
        if (position != null) {
            sb.append(positionMessage()).append(NL);
        }
        sb.append("    + CategoryInfo          : ").append(categoryInfo()).append(NL);
        sb.append("    + FullyQualifiedErrorId : ").append(fullyQualifiedErrorId).append(NL);
        sb.append(' ').append(NL);
        return sb.toString();
    }

    String positionMessage() {
        if (position == null) {
            return "";
        }
        return "At line:" + position.line() + " char:" + position.column() + NL
                + "+ " + position.lineText() + NL
                + "+ " + " ".repeat(Math.max(0, position.column() - 1)) + "~".repeat(Math.max(1, position.length()));
    }

    /** The record as scripts see it: $_.Exception.Message, $_.CategoryInfo, $_.FullyQualifiedErrorId... */
    PsObject asObject() {
        if (view == null) {
            PsObject exception = PsObject.typed(exceptionType, "System.Exception")
                    .add("Message", message)
                    .toStringAs(o -> exceptionType + ": " + message);
            PsObject info = PsObject.typed("System.Management.Automation.ErrorCategoryInfo")
                    .add("Category", category)
                    .add("Activity", activity)
                    .add("Reason", reason())
                    .add("TargetName", targetName)
                    .add("TargetType", targetType)
                    .toStringAs(o -> categoryInfo());
            PsObject invocation = PsObject.typed("System.Management.Automation.InvocationInfo")
                    .add("ScriptLineNumber", position == null ? 0 : position.line())
                    .add("OffsetInLine", position == null ? 0 : position.column())
                    .add("Line", position == null ? "" : position.lineText())
                    .add("PositionMessage", positionMessage());
            view = PsObject.typed("System.Management.Automation.ErrorRecord")
                    .add("Exception", exception)
                    .add("TargetObject", targetObject)
                    .add("CategoryInfo", info)
                    .add("FullyQualifiedErrorId", fullyQualifiedErrorId)
                    .add("InvocationInfo", invocation)
                    .add("ScriptStackTrace", "at <ScriptBlock>, <No file>: line " + (position == null ? 1 : position.line()))
                    .toStringAs(o -> message);
        }
        return view;
    }

    @Override
    public String toString() {
        return message;
    }
}
