package io.antidote.winrm;

import io.cloudsoft.winrm4j.client.WinRmClientBuilder;
import org.apache.cxf.transport.http.asyncclient.AsyncHTTPConduitFactory;

import java.lang.reflect.Field;
import java.util.Map;

/**
 * Limits a WinRM4j client's HTTP connection pool to one connection.
 *
 * <p>Why: with NTLM over HTTP, WinRM4j seals every message with one RC4 stream per client, re-keyed at each
 * NTLM handshake, while the host keeps one sealing context per TCP connection, as Windows does. The client's
 * pool (CXF's async conduit: up to 1,000 connections per host by default) opens a second connection when a
 * request goes out before the previous response's connection is back in the pool, once in a few hundred
 * messages here. The handshake on the second connection re-keys the client; when the pool later hands out the
 * first connection again, the message sealed with the new keys reaches a host still on the old ones, which
 * answers HTTP 400 in the middle of a step (the lab: "the message's NTLM signature does not match its
 * content"). With one connection a request waits for the previous one's instead
 * ({@code WinRm4jShellTest.hundreds_of_consecutive_ntlm_steps_from_changing_worker_threads_all_succeed}).
 *
 * <p>How: WinRM4j 0.12.3 has no setting for it. Building a client makes a conduit factory with CXF's
 * defaults and leaves it in the builder (a field with no getter), and the client shuts it down when it
 * closes; this changes that factory's pool settings once the client is built, before its first request.
 */
final class OneConnection {

    private static final Field FACTORY;

    static {
        try {
            FACTORY = WinRmClientBuilder.class.getDeclaredField("endpointConduitFactory");
            FACTORY.setAccessible(true);
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError("WinRM4j's client builder has no conduit factory field: the "
                    + "one-connection pool needs revisiting for this WinRM4j version");
        }
    }

    private OneConnection() {
    }

    /** Call on the builder a client was just built from, before the client's first request. */
    static void limit(WinRmClientBuilder built) {
        Object factory;
        try {
            factory = FACTORY.get(built);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot reach WinRM4j's connection pool", e);
        }
        if (!(factory instanceof AsyncHTTPConduitFactory pool)) {
            throw new IllegalStateException("WinRM4j built no async conduit factory to limit (found " + factory
                    + "): the one-connection pool needs revisiting for this WinRM4j version");
        }
        pool.update(Map.of(AsyncHTTPConduitFactory.MAX_PER_HOST_CONNECTIONS, 1,
                AsyncHTTPConduitFactory.MAX_CONNECTIONS, 1));
    }
}
