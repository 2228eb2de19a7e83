package io.antidote.winrm;

/**
 * An inventory entry left out, and why. {@code source} is the YAML file or {@code "configuration"};
 * {@code line}/{@code column} are 1-based, 0 when unknown (properties have no lines).
 */
public record InventoryError(String source, int line, int column, String target, String message) {

    @Override
    public String toString() {
        return source + (line > 0 ? ":" + line + ":" + column : "") + (target == null ? "" : " (target '" + target + "')")
                + ": " + message;
    }
}
