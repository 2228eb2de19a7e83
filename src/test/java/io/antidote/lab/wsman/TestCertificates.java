package io.antidote.lab.wsman;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway certificate authority and a server certificate for {@code 127.0.0.1} and
 * {@code localhost} signed by it, made once per test JVM with the JDK's {@code keytool} (the JDK's
 * own X.509 classes are not exported) and the public {@link KeyStore} API. EC P-256 keys, valid
 * two days.
 *
 * <p>keytool makes the CA ({@code -genkeypair -ext bc:c}), the server key pair, its request
 * ({@code -certreq}) and the CA-signed certificate with the SAN ({@code -gencert}); Java then
 * writes the server chain and PKCS#8 key as PEM, a PKCS#12 with the key and chain, and a PKCS#12
 * trust store holding the CA.
 */
public final class TestCertificates {

    public static final String PASSWORD = "lab-test";

    private static TestCertificates instance;

    final Path directory;
    final Path caPem;
    public final Path trustStore;
    final Path serverChainPem;
    final Path serverKeyPem;
    final Path serverPkcs12;
    final X509Certificate ca;

    private TestCertificates(Path directory) throws Exception {
        this.directory = directory;
        Path caStore = directory.resolve("ca.p12");
        Path serverStore = directory.resolve("server-keypair.p12");
        Path request = directory.resolve("server.csr");
        Path serverCertificate = directory.resolve("server.pem");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=Antidote Lab Test CA", "-ext", "bc:c", "-ext", "ku:c=keyCertSign,cRLSign",
                "-validity", "2", "-keystore", caStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-validity", "2", "-keystore", serverStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-certreq", "-alias", "server", "-keystore", serverStore.toString(), "-storepass", PASSWORD,
                "-file", request.toString());
        keytool("-gencert", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", PASSWORD,
                "-infile", request.toString(), "-outfile", serverCertificate.toString(), "-rfc", "-validity", "2",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext", "eku=serverAuth", "-ext", "ku=digitalSignature");

        KeyStore caKeys = load(caStore);
        ca = (X509Certificate) caKeys.getCertificate("ca");
        X509Certificate server;
        try (InputStream in = Files.newInputStream(serverCertificate)) {
            server = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        PrivateKey serverKey = (PrivateKey) load(serverStore).getKey("server", PASSWORD.toCharArray());

        caPem = Files.writeString(directory.resolve("ca-cert.pem"), pem("CERTIFICATE", ca.getEncoded()));
        serverChainPem = Files.writeString(directory.resolve("server-chain.pem"),
                pem("CERTIFICATE", server.getEncoded()) + pem("CERTIFICATE", ca.getEncoded()));
        serverKeyPem = Files.writeString(directory.resolve("server-key.pem"), pem("PRIVATE KEY", serverKey.getEncoded()));

        KeyStore serverWithChain = KeyStore.getInstance("PKCS12");
        serverWithChain.load(null, null);
        serverWithChain.setKeyEntry("server", serverKey, PASSWORD.toCharArray(), new Certificate[] {server, ca});
        serverPkcs12 = store(serverWithChain, directory.resolve("server.p12"));

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("antidote-lab-test-ca", ca);
        trustStore = store(trusted, directory.resolve("truststore.p12"));
    }

    public static synchronized TestCertificates get() {
        if (instance == null) {
            try {
                Path directory = Files.createTempDirectory("antidote-lab-tls");
                directory.toFile().deleteOnExit();
                instance = new TestCertificates(directory);
            } catch (Exception e) {
                throw new IllegalStateException("could not make the test certificates with keytool", e);
            }
        }
        return instance;
    }

    public WsManTls pemTls() {
        return WsManTls.pemFiles(serverChainPem, serverKeyPem);
    }

    WsManTls pkcs12Tls() {
        return WsManTls.pkcs12(serverPkcs12, PASSWORD);
    }

    /** A client context that trusts the test CA and nothing else. */
    SSLContext trustingContext() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(trustStore));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        // A short-lived JVM each: skip the optimising compiler, it only slows the start.
        command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        command.addAll(List.of(arguments));
        command.add("-noprompt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool " + arguments[0] + " failed: " + output);
        }
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static Path store(KeyStore keyStore, Path file) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            keyStore.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
