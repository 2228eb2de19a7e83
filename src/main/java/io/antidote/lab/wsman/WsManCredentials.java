package io.antidote.lab.wsman;

import java.util.Objects;

/** The one user a lab host accepts. */
public record WsManCredentials(String user, String password) {

    public WsManCredentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    /** Keeps the password out of logs and exception messages. */
    @Override
    public String toString() {
        return "WsManCredentials[user=" + user + ", password=<redacted>]";
    }
}
