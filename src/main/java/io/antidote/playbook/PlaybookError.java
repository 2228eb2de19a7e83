package io.antidote.playbook;

/** One problem in a playbook file; {@code line} and {@code column} are 1-based. */
public record PlaybookError(String file, int line, int column, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
