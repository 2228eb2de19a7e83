package io.antidote.winrm;

/** A user and password, resolved at execution time. Its string form never shows the password. */
public record Credential(String user, String password) {

    @Override
    public String toString() {
        return "Credential[user=" + user + ", password=***]";
    }
}
