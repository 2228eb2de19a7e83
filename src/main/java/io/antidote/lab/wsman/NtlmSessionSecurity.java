package io.antidote.lab.wsman;

import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;

/**
 * The sealing and signing of one authenticated NTLM connection (MS-NLMP 3.4.3 and 3.4.4, with
 * extended session security): one RC4 handle per direction that lives as long as the connection,
 * and a sequence number per direction that must advance by exactly one with every message.
 *
 * <p>Not thread-safe: it belongs to one connection, which the event loop serves one request at a
 * time. A message that fails its check leaves the client's RC4 stream out of step, so the caller
 * must drop the connection.
 */
final class NtlmSessionSecurity {

    static final int SIGNATURE_LENGTH = 16;

    /** A message sealed for the client: its signature and the RC4-encrypted bytes. */
    record Sealed(byte[] signature, byte[] message) {
    }

    /** Why a sealed message from the client was refused; the text names no secret. */
    static final class IntegrityException extends Exception {
        IntegrityException(String reason) {
            super(reason, null, false, false);
        }
    }

    private final NtlmCrypto.SessionKeys keys;
    private final boolean checksumSealed;
    private final Cipher clientSealing;
    private final Cipher serverSealing;
    private long nextClientSequence;
    private long nextServerSequence;

    NtlmSessionSecurity(NtlmCrypto.SessionKeys keys, long negotiatedFlags) {
        this.keys = keys;
        this.checksumSealed = NtlmFlags.has(negotiatedFlags, NtlmFlags.KEY_EXCH);
        this.clientSealing = NtlmCrypto.rc4(keys.clientSealing());
        this.serverSealing = NtlmCrypto.rc4(keys.serverSealing());
    }

    /** Decrypts a message from the client and checks its signature and sequence number. */
    byte[] unseal(byte[] signature, byte[] sealed) throws IntegrityException {
        if (signature.length != SIGNATURE_LENGTH) {
            throw new IntegrityException("the NTLM signature is " + signature.length + " bytes, not 16");
        }
        byte[] plaintext = clientSealing.update(sealed);
        if (plaintext == null) {
            plaintext = new byte[0];
        }
        byte[] checksum = Arrays.copyOfRange(signature, 4, 12);
        if (checksumSealed) {
            checksum = clientSealing.update(checksum);
        }
        long version = readUInt32(signature, 0);
        long sequence = readUInt32(signature, 12);
        byte[] expected = checksum(keys.clientSigning(), sequence, plaintext);
        boolean intact = MessageDigest.isEqual(expected, checksum);
        if (version != 1 || !intact) {
            throw new IntegrityException("the message's NTLM signature does not match its content");
        }
        if (sequence != nextClientSequence) {
            throw new IntegrityException("the message's NTLM sequence number is " + sequence + " where "
                    + nextClientSequence + " was expected (replayed or out of order)");
        }
        nextClientSequence++;
        return plaintext;
    }

    /** Encrypts and signs a message for the client with the server's handle and the next sequence number. */
    Sealed seal(byte[] plaintext) {
        long sequence = nextServerSequence++;
        byte[] sealed = plaintext.length == 0 ? new byte[0] : serverSealing.update(plaintext);
        byte[] checksum = checksum(keys.serverSigning(), sequence, plaintext);
        if (checksumSealed) {
            checksum = serverSealing.update(checksum);
        }
        byte[] signature = new byte[SIGNATURE_LENGTH];
        writeUInt32(signature, 0, 1);
        System.arraycopy(checksum, 0, signature, 4, 8);
        writeUInt32(signature, 12, sequence);
        return new Sealed(signature, sealed);
    }

    private static byte[] checksum(byte[] signingKey, long sequence, byte[] plaintext) {
        byte[] sequenceBytes = new byte[4];
        writeUInt32(sequenceBytes, 0, sequence);
        return Arrays.copyOf(NtlmCrypto.hmacMd5(signingKey, NtlmCrypto.concat(sequenceBytes, plaintext)), 8);
    }

    static long readUInt32(byte[] bytes, int at) {
        return (bytes[at] & 0xffL) | (bytes[at + 1] & 0xffL) << 8 | (bytes[at + 2] & 0xffL) << 16
                | (bytes[at + 3] & 0xffL) << 24;
    }

    static void writeUInt32(byte[] bytes, int at, long value) {
        for (int i = 0; i < 4; i++) {
            bytes[at + i] = (byte) (value >>> (8 * i));
        }
    }

    @Override
    public String toString() {
        return "NtlmSessionSecurity[<redacted>]";
    }
}
