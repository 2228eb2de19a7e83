package io.antidote.lab.wsman;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The NTLMv2 computations of MS-NLMP section 3.3.2 and the session keys of section 3.4.5, on the
 * JDK's MD5, HMAC-MD5 and RC4 ("ARCFOUR") plus our own {@link Md4}.
 */
final class NtlmCrypto {

    private static final byte[] CLIENT_SIGNING = magic("session key to client-to-server signing key magic constant");
    private static final byte[] SERVER_SIGNING = magic("session key to server-to-client signing key magic constant");
    private static final byte[] CLIENT_SEALING = magic("session key to client-to-server sealing key magic constant");
    private static final byte[] SERVER_SEALING = magic("session key to server-to-client sealing key magic constant");

    private NtlmCrypto() {
    }

    /** The four keys of one NTLM session, each direction signing and sealing with its own. */
    record SessionKeys(byte[] clientSigning, byte[] serverSigning, byte[] clientSealing, byte[] serverSealing) {

        /** Never print key material. */
        @Override
        public String toString() {
            return "SessionKeys[<redacted>]";
        }
    }

    /** The NT hash, MD4(UTF-16LE(password)): all a server needs to keep of a password. */
    static byte[] ntHash(String password) {
        return Md4.digest(password.getBytes(StandardCharsets.UTF_16LE));
    }

    /** NTOWFv2: HMAC_MD5(NT hash, UTF-16LE(UPPER(user) + domain)). */
    static byte[] ntowfv2(byte[] ntHash, String user, String domain) {
        return hmacMd5(ntHash, (user.toUpperCase(Locale.ROOT) + domain).getBytes(StandardCharsets.UTF_16LE));
    }

    /** NTProofStr: HMAC_MD5(NTOWFv2, ServerChallenge ‖ temp), temp being the client's blob. */
    static byte[] ntProofStr(byte[] ntowfv2, byte[] serverChallenge, byte[] clientBlob) {
        return hmacMd5(ntowfv2, concat(serverChallenge, clientBlob));
    }

    /** SessionBaseKey, which is also the KeyExchangeKey for NTLMv2. */
    static byte[] sessionBaseKey(byte[] ntowfv2, byte[] ntProofStr) {
        return hmacMd5(ntowfv2, ntProofStr);
    }

    /** The ExportedSessionKey: the client's random key unwrapped when KEY_EXCH was negotiated, else the KeyExchangeKey. */
    static byte[] exportedSessionKey(byte[] keyExchangeKey, byte[] encryptedRandomSessionKey, long flags) {
        if ((flags & NtlmFlags.KEY_EXCH) != 0) {
            return rc4(keyExchangeKey).update(encryptedRandomSessionKey);
        }
        return keyExchangeKey.clone();
    }

    /** SIGNKEY and SEALKEY of MS-NLMP 3.4.5.2 and 3.4.5.3, with extended session security. */
    static SessionKeys sessionKeys(byte[] exportedSessionKey, long flags) {
        byte[] sealBase;
        if ((flags & NtlmFlags.NEGOTIATE_128) != 0) {
            sealBase = exportedSessionKey;
        } else if ((flags & NtlmFlags.NEGOTIATE_56) != 0) {
            sealBase = java.util.Arrays.copyOf(exportedSessionKey, 7);
        } else {
            sealBase = java.util.Arrays.copyOf(exportedSessionKey, 5);
        }
        return new SessionKeys(
                md5(concat(exportedSessionKey, CLIENT_SIGNING)),
                md5(concat(exportedSessionKey, SERVER_SIGNING)),
                md5(concat(sealBase, CLIENT_SEALING)),
                md5(concat(sealBase, SERVER_SEALING)));
    }

    /** An RC4 key stream that continues across calls to {@code update}, as an NTLM sealing handle does. */
    static Cipher rc4(byte[] key) {
        try {
            Cipher cipher = Cipher.getInstance("ARCFOUR");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ARCFOUR"));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RC4 is not available in this JDK", e);
        }
    }

    static byte[] hmacMd5(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(key, "HmacMD5"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-MD5 is not available in this JDK", e);
        }
    }

    static byte[] md5(byte[] data) {
        try {
            return MessageDigest.getInstance("MD5").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 is not available in this JDK", e);
        }
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] joined = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, joined, at, part.length);
            at += part.length;
        }
        return joined;
    }

    private static byte[] magic(String text) {
        return (text + '\0').getBytes(StandardCharsets.US_ASCII);
    }
}
