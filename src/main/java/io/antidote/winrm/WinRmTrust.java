package io.antidote.winrm;

import org.jboss.logging.Logger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which server certificates WinRM connections accept: the JVM's own CAs, plus the configured trust store, and no
 * chain check for the listeners of targets that explicitly turned validation off (each logged as a warning).
 * On CXF 3.6 every HTTPS conduit makes an SSLContext of its own from the JVM's CAs, and WinRM4j 0.12.3 passes its
 * builder's sslContext on only for NTLM/Negotiate, so {@link WinRm4jShell} sets {@link #context()} on every conduit
 * of its CXF bus. It is also made the JVM default, as it had to be on CXF 3.3; it only ever adds trust to what the
 * JVM had, and HTTPS elsewhere in the process is unaffected except for those listed listeners.
 */
final class WinRmTrust {

    private static final Logger LOG = Logger.getLogger(WinRmTrust.class);

    private final Set<String> unverified = ConcurrentHashMap.newKeySet();
    private final X509ExtendedTrustManager trusted;
    private SSLContext context;

    private WinRmTrust(X509ExtendedTrustManager trusted) {
        this.trusted = trusted;
    }

    /** Builds the trust and makes it the JVM default. */
    static WinRmTrust install(WinRmSettings settings) {
        try {
            List<X509ExtendedTrustManager> managers = new ArrayList<>();
            managers.add(managerOf(null));
            if (settings.trustStore().isPresent()) {
                Path path = Path.of(settings.trustStore().get());
                KeyStore store = KeyStore.getInstance(path.toString().toLowerCase().endsWith(".jks") ? "JKS" : "PKCS12");
                char[] password = settings.trustStorePassword().map(String::toCharArray).orElse(null);
                try (InputStream in = Files.newInputStream(path)) {
                    store.load(in, password);
                }
                managers.add(managerOf(store));
                LOG.infof("WinRM trusts the CAs of %s beside the JVM's own", path);
            }
            WinRmTrust trust = new WinRmTrust(new AnyOf(managers));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust.new PerListener()}, null);
            SSLContext.setDefault(context);
            trust.context = context;
            return trust;
        } catch (Exception e) {
            // The path may be named; the password never is.
            throw new IllegalStateException("WinRM trust store " + settings.trustStore().orElse("(JVM default)")
                    + " could not be loaded: " + e.getClass().getSimpleName(), null);
        }
    }

    /** The context with this trust, for the WinRM conduits (CXF 3.6 builds its own rather than the JVM default). */
    SSLContext context() {
        return context;
    }

    /** Accepts any certificate chain from this listener. Logged once per listener as a warning. */
    void skipValidationFor(Target target) {
        if (unverified.add(listener(target.address(), target.port()))) {
            LOG.warnf("Target '%s': TLS certificate validation is OFF for %s:%d (explicit per-target setting)",
                    target.name(), target.address(), target.port());
        }
    }

    private static String listener(String host, int port) {
        return host.toLowerCase() + ":" + port;
    }

    private static X509ExtendedTrustManager managerOf(KeyStore store) throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("no X509 trust manager");
    }

    /** Routes on the peer: listeners with validation off pass, the rest go to the trusted CAs. */
    private final class PerListener extends X509ExtendedTrustManager {

        private boolean skip(String host, int port) {
            return host != null && unverified.contains(listener(host, port));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            if (engine == null || !skip(engine.getPeerHost(), engine.getPeerPort())) {
                trusted.checkServerTrusted(chain, authType, engine);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            if (socket == null || socket.getInetAddress() == null
                    || !skip(socket.getInetAddress().getHostAddress(), socket.getPort())) {
                trusted.checkServerTrusted(chain, authType, socket);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            trusted.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            trusted.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            trusted.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            trusted.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return trusted.getAcceptedIssuers();
        }
    }

    /** Trusts a chain when any of its managers does. */
    private static final class AnyOf extends X509ExtendedTrustManager {
        private final List<X509ExtendedTrustManager> managers;

        AnyOf(List<X509ExtendedTrustManager> managers) {
            this.managers = List.copyOf(managers);
        }

        private interface Check {
            void run(X509ExtendedTrustManager m) throws CertificateException;
        }

        private void any(Check check) throws CertificateException {
            CertificateException last = null;
            for (X509ExtendedTrustManager m : managers) {
                try {
                    check.run(m);
                    return;
                } catch (CertificateException e) {
                    last = e;
                }
            }
            throw last;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) throws CertificateException {
            any(m -> m.checkServerTrusted(c, a, e));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] c, String a, Socket s) throws CertificateException {
            any(m -> m.checkServerTrusted(c, a, s));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] c, String a) throws CertificateException {
            any(m -> m.checkServerTrusted(c, a));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) throws CertificateException {
            any(m -> m.checkClientTrusted(c, a, e));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String a, Socket s) throws CertificateException {
            any(m -> m.checkClientTrusted(c, a, s));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String a) throws CertificateException {
            any(m -> m.checkClientTrusted(c, a));
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return managers.stream().flatMap(m -> java.util.Arrays.stream(m.getAcceptedIssuers()))
                    .toArray(X509Certificate[]::new);
        }
    }
}
