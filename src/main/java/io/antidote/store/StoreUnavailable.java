package io.antidote.store;

import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/**
 * Whether a failure says the database cannot be reached or is not taking work now, rather than that the
 * request or the service is wrong: such a request may succeed if sent again later (a 503 to the caller).
 */
public final class StoreUnavailable {

    private StoreUnavailable() {
    }

    public static boolean is(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException || t instanceof ClosedChannelException
                    || t instanceof ClosedConnectionException || t instanceof TimeoutException) {
                return true;
            }
            if (t instanceof DatabaseException database && unavailableState(database.getSqlState())) {
                return true;
            }
            // The reactive pool's "connection closed" and acquisition timeouts carry no type of their own.
            String message = t.getMessage();
            if (t.getClass().getName().startsWith("io.vertx.") && message != null
                    && (message.contains("Connection refused") || message.contains("Timeout")
                    || message.contains("Connection is not active") || message.contains("closed"))) {
                return true;
            }
        }
        return false;
    }

    /** Class 08 (connection exception) and 57P01-57P03 (shutdown, crash, cannot connect now). */
    private static boolean unavailableState(String state) {
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03"));
    }
}
