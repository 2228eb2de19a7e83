package io.antidote.winrm;

import io.cloudsoft.winrm4j.client.WinRmClient;
import org.apache.cxf.endpoint.Endpoint;
import org.apache.cxf.frontend.ClientProxy;
import org.apache.cxf.interceptor.Interceptor;

import javax.xml.ws.BindingProvider;

import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * Empties a WinRM4j client's JAX-WS handler chain once its shell is open.
 *
 * <p>Why: WinRM4j 0.12.3 gives every client one SOAP handler ({@code StripShellResponseHandler}), which acts on
 * the reply to Create alone (it removes the {@code Shell} element the host echoes there, which the client's
 * bare binding would not read). Being a SOAP handler, it makes CXF build a SAAJ DOM of every message in
 * and out, Command, Receive and Signal too: a quarter of the CPU a kept session's step cost its worker
 * (docs/benchmarks.md, 'Per-step CPU, profiled'). Each session opens its one shell right after the client is
 * built (a session whose shell the host forgot is replaced, client and all), so after that the handler has
 * nothing left to do. Without handlers CXF skips the SAAJ conversion.
 *
 * <p>How: the client keeps its JAX-WS proxy in a private field; the proxy is a {@link BindingProvider}.
 */
final class ShellHandlerChain {

    private static final Field PROXY;

    static {
        try {
            PROXY = WinRmClient.class.getDeclaredField("winrm");
            PROXY.setAccessible(true);
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError("WinRM4j's client has no 'winrm' proxy field: dropping its "
                    + "handler chain needs revisiting for this WinRM4j version");
        }
    }

    private ShellHandlerChain() {
    }

    /** Call once the client's shell is created: its later requests go without the SAAJ round trip. */
    static void dropAfterCreate(WinRmClient client) {
        Object proxy;
        try {
            proxy = PROXY.get(client);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot reach WinRM4j's JAX-WS proxy", e);
        }
        if (!(proxy instanceof BindingProvider binding)) {
            throw new IllegalStateException("WinRM4j's client proxy is no BindingProvider (found " + proxy
                    + "): dropping its handler chain needs revisiting for this WinRM4j version");
        }
        binding.getBinding().setHandlerChain(new ArrayList<>());
    }

    /** The handlers the client's requests still pass through, for tests. */
    static int handlers(WinRmClient client) {
        return proxy(client).getBinding().getHandlerChain().size();
    }

    /** The interceptors of the client's endpoint, in and out, for tests. */
    static List<Interceptor<?>> interceptors(WinRmClient client) {
        Object port;
        try {
            // WinRM4j's proxy wraps CXF's (its retry handler keeps it as 'winrm').
            Object retrying = Proxy.getInvocationHandler(proxy(client));
            Field inner = retrying.getClass().getDeclaredField("winrm");
            inner.setAccessible(true);
            port = inner.get(retrying);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        Endpoint endpoint = ClientProxy.getClient(port).getEndpoint();
        List<Interceptor<?>> all = new ArrayList<>(endpoint.getInInterceptors());
        all.addAll(endpoint.getOutInterceptors());
        return all;
    }

    private static BindingProvider proxy(WinRmClient client) {
        try {
            return (BindingProvider) PROXY.get(client);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
