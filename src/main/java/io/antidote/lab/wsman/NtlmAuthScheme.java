package io.antidote.lab.wsman;

import io.vertx.core.http.HttpConnection;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * NTLM as Windows' WinRM service speaks it: the client's tokens arrive as {@code Negotiate} (or
 * {@code NTLM}), a NEGOTIATE earns a 401 carrying the CHALLENGE, and a good AUTHENTICATE
 * authenticates the TCP connection, whose later requests may carry no Authorization at all.
 *
 * <p>State is kept per connection and dropped when the connection closes. Runs on the endpoint's
 * event loop only.
 */
final class NtlmAuthScheme implements AuthScheme {

    private static final System.Logger LOG = System.getLogger(NtlmAuthScheme.class.getName());

    private final String user;
    private final byte[] ntHash;
    private final NtlmMessages.Target target;
    private final SecureRandom random = new SecureRandom();
    private final LongSupplier clock;
    private final Map<HttpConnection, ConnectionState> connections = new HashMap<>();

    /** One connection's progress: a handshake under way, or its outcome. */
    private static final class ConnectionState {
        NtlmServerContext handshake;
        NtlmServerContext.Established established;
    }

    NtlmAuthScheme(WsManCredentials credentials, String hostName, LongSupplier epochMillis) {
        this.user = credentials.user();
        this.ntHash = NtlmCrypto.ntHash(credentials.password());
        this.target = target(hostName);
        this.clock = epochMillis;
    }

    /** A lab host names itself as a member of the LAB domain (lab.local), with its host name as computer name. */
    static NtlmMessages.Target target(String hostName) {
        String netbios = hostName.toUpperCase(Locale.ROOT);
        if (netbios.length() > 15) {
            netbios = netbios.substring(0, 15);
        }
        String dnsDomain = "lab.local";
        return new NtlmMessages.Target("LAB", netbios, dnsDomain, hostName.toLowerCase(Locale.ROOT) + "." + dnsDomain);
    }

    @Override
    public boolean accepts(String headerScheme) {
        return "Negotiate".equalsIgnoreCase(headerScheme) || "NTLM".equalsIgnoreCase(headerScheme);
    }

    @Override
    public String challenge() {
        return "Negotiate";
    }

    @Override
    public AuthOutcome authenticate(String headerScheme, String credentials, HttpConnection connection) {
        byte[] token;
        try {
            token = Base64.getDecoder().decode(credentials);
        } catch (IllegalArgumentException notBase64) {
            return refuse(connection);
        }
        if (!NtlmMessages.isNtlm(token)) {
            // A Kerberos or SPNEGO token: this lab host speaks raw NTLM only.
            return refuse(connection);
        }
        try {
            long type = NtlmMessages.messageType(token);
            if (type == 1) {
                return challenge(headerScheme, NtlmMessages.parseNegotiate(token), connection);
            }
            if (type == 3) {
                return complete(NtlmMessages.parseAuthenticate(token), connection);
            }
            return refuse(connection);
        } catch (NtlmMessages.MalformedException malformed) {
            LOG.log(System.Logger.Level.DEBUG, "refused an NTLM message: {0}", malformed.getMessage());
            return refuse(connection);
        }
    }

    @Override
    public Optional<AuthOutcome.Accepted> resume(HttpConnection connection) {
        ConnectionState state = connections.get(connection);
        if (state == null || state.established == null) {
            return Optional.empty();
        }
        return Optional.of(accepted(state.established));
    }

    @Override
    public int trackedConnections() {
        return connections.size();
    }

    private AuthOutcome challenge(String headerScheme, NtlmMessages.Negotiate negotiate, HttpConnection connection)
            throws NtlmMessages.MalformedException {
        byte[] serverChallenge = new byte[8];
        random.nextBytes(serverChallenge);
        NtlmServerContext handshake = new NtlmServerContext(user, ntHash, target, serverChallenge,
                NtlmMessages.fileTime(clock.getAsLong()));
        byte[] challenge = handshake.challenge(negotiate);
        ConnectionState state = track(connection);
        // A new NEGOTIATE starts over, even on a connection that was authenticated.
        state.established = null;
        state.handshake = handshake;
        return new AuthOutcome.Continue(headerScheme + " " + Base64.getEncoder().encodeToString(challenge));
    }

    private AuthOutcome complete(NtlmMessages.Authenticate authenticate, HttpConnection connection)
            throws NtlmMessages.MalformedException {
        ConnectionState state = connections.get(connection);
        if (state == null || state.handshake == null) {
            return refuse(connection);
        }
        NtlmServerContext handshake = state.handshake;
        state.handshake = null;
        Optional<NtlmServerContext.Established> established = handshake.authenticate(authenticate);
        if (established.isEmpty()) {
            connections.remove(connection);
            return AuthOutcome.REFUSED_AND_CLOSED;
        }
        state.established = established.get();
        return accepted(state.established);
    }

    private static AuthOutcome.Accepted accepted(NtlmServerContext.Established established) {
        return new AuthOutcome.Accepted(established.user(), established.security(), true);
    }

    private AuthOutcome refuse(HttpConnection connection) {
        connections.remove(connection);
        return AuthOutcome.REFUSED;
    }

    private ConnectionState track(HttpConnection connection) {
        ConnectionState state = connections.get(connection);
        if (state == null) {
            state = new ConnectionState();
            connections.put(connection, state);
            connection.closeHandler(closed -> connections.remove(connection));
        }
        return state;
    }
}
