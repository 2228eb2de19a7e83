package io.antidote.lab.wsman;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The key and certificate chain of a lab host's HTTPS listener, read once when made (so that
 * listening never touches the disk on the event loop).
 */
public final class WsManTls {

    private final KeyCertOptions keyCert;
    private final String description;

    private WsManTls(KeyCertOptions keyCert, String description) {
        this.keyCert = keyCert;
        this.description = description;
    }

    /**
     * From PEM text: the certificate chain (server certificate first) and its private key
     * (PKCS#8 {@code BEGIN PRIVATE KEY} or PKCS#1 {@code BEGIN RSA PRIVATE KEY}).
     */
    public static WsManTls pem(String certificateChainPem, String privateKeyPem) {
        Objects.requireNonNull(certificateChainPem, "certificateChainPem");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        return new WsManTls(new PemKeyCertOptions()
                .setCertValue(Buffer.buffer(certificateChainPem))
                .setKeyValue(Buffer.buffer(privateKeyPem)), "PEM");
    }

    /** From PEM files, read now. */
    public static WsManTls pemFiles(Path certificateChain, Path privateKey) {
        return pem(read(certificateChain), read(privateKey));
    }

    /** From a PKCS#12 key store holding one key entry and its chain, read now. */
    public static WsManTls pkcs12(Path keyStore, String password) {
        Objects.requireNonNull(password, "password");
        try {
            return new WsManTls(new PfxOptions().setValue(Buffer.buffer(Files.readAllBytes(keyStore)))
                    .setPassword(password), "PKCS#12 " + keyStore.getFileName());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the key store " + keyStore, e);
        }
    }

    KeyCertOptions keyCertOptions() {
        return keyCert.copy();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Names the source only: never the key or the password. */
    @Override
    public String toString() {
        return "WsManTls[" + description + "]";
    }
}
