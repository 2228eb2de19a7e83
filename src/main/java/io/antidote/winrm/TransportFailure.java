package io.antidote.winrm;

import java.time.Duration;
import java.time.Instant;

/**
 * What went wrong between Antidote and a host, as a closed set of kinds, so that whoever decides what to do
 * next (the transport's own second try, the engine's retry policy, the circuit breaker) matches on a kind and
 * never on the text of an exception. Two facts belong to every kind: whether another attempt a little later
 * may get through, and whether the script may have begun on the host. {@link #describe()} says what happened
 * in the words an operator reads in a run's events.
 */
public sealed interface TransportFailure {

    /**
     * Whether a later attempt may get through: the host was not reached, or the connection broke, or its circuit
     * is open for such failures. An answer the host gave (a status, a fault, a refused logon) is not.
     */
    boolean retryable();

    /**
     * Whether the script may have begun on the target. When it had not, running it again is safe; when it had,
     * only the step's retry policy may decide.
     */
    boolean commandMayHaveRun();

    /** What happened, for a person: "connection refused", "host answered HTTP 500", ... */
    String describe();

    /** Nobody listens on the port: the host is down or restarting, or its listener is off. */
    record ConnectionRefused(boolean commandSent) implements TransportFailure {
        public boolean retryable() {
            return true;
        }

        public boolean commandMayHaveRun() {
            return commandSent;
        }

        public String describe() {
            return "connection refused";
        }
    }

    /** The target's address does not resolve. */
    record UnknownHost(String host) implements TransportFailure {
        public boolean retryable() {
            return true;
        }

        public boolean commandMayHaveRun() {
            return false;
        }

        public String describe() {
            return "unknown host '" + host + "'";
        }
    }

    /** No route to the host, or the connection could not be set up in time. */
    record Unreachable(String why, boolean commandSent) implements TransportFailure {
        public boolean retryable() {
            return true;
        }

        public boolean commandMayHaveRun() {
            return commandSent;
        }

        public String describe() {
            return "host not reached: " + why;
        }
    }

    /** The connection was reset, or closed by the host without an answer to the request on it. */
    record ConnectionLost(boolean reset, boolean commandSent) implements TransportFailure {
        public boolean retryable() {
            return true;
        }

        public boolean commandMayHaveRun() {
            return commandSent;
        }

        public String describe() {
            return reset ? "connection reset" : "the host closed the connection without answering";
        }
    }

    /** The host accepted the connection and the request, and gave no answer within the reply timeout. */
    record NoReply(boolean commandSent) implements TransportFailure {
        public boolean retryable() {
            return true;
        }

        public boolean commandMayHaveRun() {
            return commandSent;
        }

        public String describe() {
            return "no reply from the host within the reply timeout";
        }
    }

    /** The TLS handshake failed: typically a certificate no trusted CA signed. */
    record Tls(String why) implements TransportFailure {
        public boolean retryable() {
            return false;
        }

        public boolean commandMayHaveRun() {
            return false;
        }

        public String describe() {
            return "TLS handshake failed: " + why;
        }
    }

    /**
     * The host answered with XML the client refuses to read: a DTD, the carrier of external entities (a file of
     * this machine read into the reply) and entity-expansion bombs. Never retried: a host that answers so may be
     * compromised, and the answer is its own.
     */
    record HostileXml(String what, boolean commandSent) implements TransportFailure {
        public boolean retryable() {
            return false;
        }

        public boolean commandMayHaveRun() {
            return commandSent;
        }

        public String describe() {
            return "the host answered with " + what + ", which is refused";
        }
    }

    /** The host refused the logon. Never retried: asking again only brings the account closer to lock-out. */
    record AuthenticationRefused(String credential, String scheme, boolean commandSent) implements TransportFailure {
        public boolean retryable() {
            return false;
        }

        public boolean commandMayHaveRun() {
            return commandSent;
        }

        public String describe() {
            return "authentication refused for credential '" + credential + "' (" + scheme + ")";
        }
    }

    /** The host answered with an HTTP error status and no WS-Management fault. */
    record HttpStatus(int code, boolean commandSent) implements TransportFailure {
        public boolean retryable() {
            return false;
        }

        public boolean commandMayHaveRun() {
            return commandSent;
        }

        public String describe() {
            return "host answered HTTP " + code;
        }
    }

    /**
     * The host answered with a WS-Management fault: its code (the WSManFault's, e.g. 2150858843 for an unknown
     * shell, or empty), its subcode (e.g. QuotaLimit, or empty) and its reason text.
     */
    record WsManFault(String code, String subcode, String reason, boolean commandSent) implements TransportFailure {
        public boolean retryable() {
            return false;
        }

        public boolean commandMayHaveRun() {
            return commandSent;
        }

        public String describe() {
            String id = (code.isEmpty() ? "" : " " + code) + (subcode.isEmpty() ? "" : " (" + subcode + ")");
            return "host answered WS-Management fault" + id + ": " + reason;
        }
    }

    /** The step's deadline passed before the script's command went out; {@code cause} is what was failing. */
    record TimedOutBeforeCommand(Duration timeout, TransportFailure cause) implements TransportFailure {
        public boolean retryable() {
            return cause.retryable();
        }

        public boolean commandMayHaveRun() {
            return false;
        }

        public String describe() {
            return "timed out before the command was sent: no connection within " + timeout + " (" + cause.describe()
                    + ")";
        }
    }

    /** The step's deadline passed after the script's command went out: the script may have run, or still be. */
    record TimedOutAfterCommand(Duration timeout) implements TransportFailure {
        public boolean retryable() {
            return false;
        }

        public boolean commandMayHaveRun() {
            return true;
        }

        public String describe() {
            return "timed out after the command was sent: the script did not finish within " + timeout;
        }
    }

    /** The target failed too often lately to be worth a connection attempt; a later one may find it back. */
    /** @param last the latest of those failures in words (a person must learn what keeps the host away: refused, reset...) */
    record CircuitOpen(String target, Instant until, int failures, String last) implements TransportFailure {
        public boolean retryable() {
            return true;
        }

        public boolean commandMayHaveRun() {
            return false;
        }

        public String describe() {
            return "circuit open for '" + target + "' until " + until + " after " + failures
                    + " consecutive connection failures" + (last == null ? "" : ", the last: " + last);
        }
    }

    /** The transport's own session caps held the attempt until its deadline. */
    record NoSessionFree(String scope, Duration timeout) implements TransportFailure {
        public boolean retryable() {
            return false;
        }

        public boolean commandMayHaveRun() {
            return false;
        }

        public String describe() {
            return "no session free " + scope + " within " + timeout;
        }
    }

    /** A long script's pieces could not be written to the host's temporary file; the script never started. */
    record ScriptNotWritten(int exitCode, String stderr) implements TransportFailure {
        public boolean retryable() {
            return false;
        }

        public boolean commandMayHaveRun() {
            return false;
        }

        public String describe() {
            return "the script could not be written to a temporary file (exit code " + exitCode + "): " + stderr;
        }
    }

    /** The target was removed from the inventory while its run went on. */
    record NotInInventory() implements TransportFailure {
        public boolean retryable() {
            return false;
        }

        public boolean commandMayHaveRun() {
            return false;
        }

        public String describe() {
            return "the target is no longer in the inventory";
        }
    }

    /** The worker was interrupted (the service is stopping) while waiting for a session. */
    record Interrupted() implements TransportFailure {
        public boolean retryable() {
            return false;
        }

        public boolean commandMayHaveRun() {
            return false;
        }

        public String describe() {
            return "interrupted waiting for a session";
        }
    }

    /** Anything the kinds above do not name: its exception type and masked message. */
    record Unexpected(String detail, boolean commandSent) implements TransportFailure {
        public boolean retryable() {
            return false;
        }

        public boolean commandMayHaveRun() {
            return commandSent;
        }

        public String describe() {
            return "unexpected failure: " + detail;
        }
    }
}
