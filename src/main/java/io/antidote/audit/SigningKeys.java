package io.antidote.audit;

import io.antidote.store.Checkpoint;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The Ed25519 keys that sign checkpoints: the current private key, from configuration or a mounted file
 * and never stored in the database nor logged, and the public keys of earlier ones, kept so that old
 * checkpoints still verify after a rotation. A key's id is the first 16 hex digits of the SHA-256 of
 * its public key's X.509 encoding, so anyone can recompute it from the key alone.
 *
 * <p>Without a configured key nothing is signed (an ERROR at start, and the health check says so),
 * unless {@code antidote.audit.ephemeral-key} is set: then a key is generated at start and lives only in
 * memory. The lab and test profiles do that; their checkpoints prove nothing after a restart.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    static final String ALGORITHM = "Ed25519";

    /** A verification key as served at {@code GET /api/v1/audit/keys}. */
    public record PublicKeyInfo(String id, String algorithm, String publicKey, String pem, boolean current) {}

    private final Optional<String> privateKeyText;
    private final Optional<Path> privateKeyFile;
    private final Optional<String> publicKeyText;
    private final Optional<List<String>> previousKeys;
    private final boolean ephemeral;

    private volatile PrivateKey signingKey;
    private volatile String signingKeyId;
    private final Map<String, PublicKey> verificationKeys = new LinkedHashMap<>();
    /** Digests of checkpoints that verified, the least recently used let go beyond {@link #REMEMBERED}. */
    private final Map<String, Boolean> verified = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };
    static final int REMEMBERED = 100_000;

    @Inject
    SigningKeys(AuditConfig config) {
        this(config.signingKey(), config.signingKeyFile(), config.publicKey(), config.previousPublicKeys(),
                config.ephemeralKey());
    }

    SigningKeys(Optional<String> privateKeyText, Optional<Path> privateKeyFile, Optional<String> publicKeyText,
                Optional<List<String>> previousKeys, boolean ephemeral) {
        this.privateKeyText = privateKeyText;
        this.privateKeyFile = privateKeyFile;
        this.publicKeyText = publicKeyText;
        this.previousKeys = previousKeys;
        this.ephemeral = ephemeral;
    }

    void load(@Observes StartupEvent start) {
        try {
            for (String text : previousKeys.orElse(List.of())) {
                PublicKey key = publicKey(text, "antidote.audit.previous-public-keys");
                verificationKeys.put(idOf(key), key);
            }
            Optional<String> secret = privateKeyFile.map(SigningKeys::read).or(() -> privateKeyText);
            if (secret.isPresent()) {
                PrivateKey priv = KeyFactory.getInstance(ALGORITHM)
                        .generatePrivate(new PKCS8EncodedKeySpec(der(secret.get(), "PRIVATE KEY")));
                PublicKey pub = publicKey(publicKeyText.orElseThrow(() -> new IllegalStateException(
                        "antidote.audit.public-key is required with a signing key: the public half of the same Ed25519 key")),
                        "antidote.audit.public-key");
                if (!matches(priv, pub)) {
                    throw new IllegalStateException("antidote.audit.public-key is not the public half of the signing key");
                }
                use(priv, pub);
            } else if (ephemeral) {
                KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
                use(pair.getPrivate(), pair.getPublic());
                LOG.warnf("Checkpoints are signed with an ephemeral key %s generated at start (lab and tests only): "
                        + "they cannot be verified after a restart", signingKeyId);
            } else {
                LOG.error("No checkpoint signing key (antidote.audit.signing-key-file or antidote.audit.signing-key): "
                        + "run heads are not signed, so a truncated or re-hashed tail cannot be detected");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // Never the key material itself: only what is wrong with it.
            throw new IllegalStateException("the checkpoint signing key cannot be used: " + e.getClass().getSimpleName(), e);
        }
    }

    private void use(PrivateKey priv, PublicKey pub) {
        signingKeyId = idOf(pub);
        verificationKeys.put(signingKeyId, pub);
        signingKey = priv;
    }

    public boolean canSign() {
        return signingKey != null;
    }

    public String currentKeyId() {
        return signingKeyId;
    }

    /** Base64 of the Ed25519 signature over the UTF-8 of {@code text}, with the current key. */
    String sign(String text) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(signingKey);
            signer.update(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /**
     * Whether the checkpoint's signature verifies with the key it names; a key not known fails. The background
     * verifier holds every checkpoint against its key every few minutes, and an Ed25519 verification costs a
     * quarter of a millisecond of CPU: a checkpoint that verified once is remembered by the digest of all it
     * consists of (key id, signed text, signature), so a row changed since, in any byte, is verified afresh.
     */
    public boolean verifies(Checkpoint checkpoint) {
        PublicKey key = verificationKeys.get(checkpoint.keyId());
        if (key == null || checkpoint.signature() == null) {
            return false;
        }
        String text = checkpoint.signedText();
        String digest = verifiedDigest(checkpoint.keyId(), text, checkpoint.signature());
        synchronized (verified) {
            if (verified.containsKey(digest)) {
                return true;
            }
        }
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(text.getBytes(StandardCharsets.UTF_8));
            if (!verifier.verify(Base64.getDecoder().decode(checkpoint.signature()))) {
                return false;
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
        synchronized (verified) {
            verified.put(digest, Boolean.TRUE);
        }
        return true;
    }

    /** How many checkpoints are remembered as verified; for tests. */
    int rememberedVerifications() {
        synchronized (verified) {
            return verified.size();
        }
    }

    private static String verifiedDigest(String keyId, String text, String signature) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {keyId, text, signature}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                // Each part's length first, so that no two different triples give the same bytes.
                sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
                sha.update(bytes);
            }
            return Base64.getEncoder().encodeToString(sha.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    /** Every key checkpoints may be signed with, the current one first, then earlier ones. */
    public List<PublicKeyInfo> publicKeys() {
        List<PublicKeyInfo> keys = new ArrayList<>();
        if (signingKeyId != null) {
            keys.add(info(signingKeyId, verificationKeys.get(signingKeyId), true));
        }
        verificationKeys.forEach((id, key) -> {
            if (!id.equals(signingKeyId)) {
                keys.add(info(id, key, false));
            }
        });
        return List.copyOf(keys);
    }

    private static PublicKeyInfo info(String id, PublicKey key, boolean current) {
        String base64 = Base64.getEncoder().encodeToString(key.getEncoded());
        return new PublicKeyInfo(id, ALGORITHM, base64, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n", current);
    }

    static String idOf(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    private static PublicKey publicKey(String text, String property) throws GeneralSecurityException {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der(text, "PUBLIC KEY")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + " is not a base64 or PEM Ed25519 public key", e);
        }
    }

    private static boolean matches(PrivateKey priv, PublicKey pub) throws GeneralSecurityException {
        byte[] probe = "antidote checkpoint key check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(ALGORITHM);
        signer.initSign(priv);
        signer.update(probe);
        Signature verifier = Signature.getInstance(ALGORITHM);
        verifier.initVerify(pub);
        verifier.update(probe);
        return verifier.verify(signer.sign());
    }

    /** PEM (with its header lines) or bare base64, as openssl and the JDK write keys. */
    static byte[] der(String text, String label) {
        String body = text.replace("-----BEGIN " + label + "-----", "").replace("-----END " + label + "-----", "")
                .replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read antidote.audit.signing-key-file " + file, e);
        }
    }
}
