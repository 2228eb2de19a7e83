package io.antidote.lab.powershell;

/** A script PowerShell would refuse to run: the message and error id PowerShell's parser gives. */
final class ParseException extends RuntimeException {

    private final int position;
    private final String errorId;

    ParseException(String message, String errorId, int position) {
        super(message, null, false, false);
        this.errorId = errorId;
        this.position = position;
    }

    int position() {
        return position;
    }

    String errorId() {
        return errorId;
    }
}
