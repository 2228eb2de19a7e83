package io.antidote.lab.wsman;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The client side of NTLMv2 for tests, written from MS-NLMP so that a test can send what a real
 * client sends, and also what no honest client would (an NTLMv1 response, a bad MIC, a replay).
 * Its session security is {@link NtlmSessionSecurity} with the directions swapped.
 */
final class NtlmTestClient {

    /** What WinRM4j 0.12.3 asks for when it may encrypt: 0xA2088201 plus SIGN, SEAL and KEY_EXCH. */
    static final long WINRM4J_FLAGS = 0xA2088201L | NtlmFlags.SIGN | NtlmFlags.SEAL | NtlmFlags.KEY_EXCH;

    private static final SecureRandom RANDOM = new SecureRandom();

    record Challenge(long flags, byte[] serverChallenge, String targetName, byte[] targetInfo, byte[] raw) {
    }

    /** An AUTHENTICATE message and the client's end of the session it sets up. */
    record Authentication(byte[] message, NtlmSessionSecurity clientSecurity, byte[] exportedSessionKey) {
    }

    private NtlmTestClient() {
    }

    static byte[] negotiate(long flags) {
        byte[] message = new byte[40];
        System.arraycopy("NTLMSSP\0".getBytes(StandardCharsets.US_ASCII), 0, message, 0, 8);
        NtlmSessionSecurity.writeUInt32(message, 8, 1);
        NtlmSessionSecurity.writeUInt32(message, 12, flags);
        return message;
    }

    static Challenge parseChallenge(byte[] message) {
        if (!NtlmMessages.isNtlm(message) || NtlmMessages.messageType(message) != 2) {
            throw new AssertionError("not a CHALLENGE message");
        }
        int nameLength = uint16(message, 12);
        int nameOffset = (int) NtlmSessionSecurity.readUInt32(message, 16);
        int infoLength = uint16(message, 40);
        int infoOffset = (int) NtlmSessionSecurity.readUInt32(message, 44);
        return new Challenge(NtlmSessionSecurity.readUInt32(message, 20), Arrays.copyOfRange(message, 24, 32),
                new String(message, nameOffset, nameLength, StandardCharsets.UTF_16LE),
                Arrays.copyOfRange(message, infoOffset, infoOffset + infoLength), message);
    }

    /** A well-behaved NTLMv2 AUTHENTICATE with a random client challenge and session key. */
    static Authentication authenticate(byte[] negotiate, Challenge challenge, String user, String domain,
            String password, boolean withMic) {
        byte[] clientChallenge = new byte[8];
        RANDOM.nextBytes(clientChallenge);
        byte[] randomSessionKey = new byte[16];
        RANDOM.nextBytes(randomSessionKey);
        return authenticate(negotiate, challenge, user, domain, password, clientChallenge,
                NtlmMessages.fileTime(System.currentTimeMillis()), randomSessionKey, withMic);
    }

    static Authentication authenticate(byte[] negotiate, Challenge challenge, String user, String domain,
            String password, byte[] clientChallenge, long fileTime, byte[] randomSessionKey, boolean withMic) {
        byte[] avPairs = withMic ? withMicFlag(challenge.targetInfo()) : challenge.targetInfo();
        byte[] blob = NtlmCrypto.concat(new byte[] {1, 1, 0, 0, 0, 0, 0, 0}, le64(fileTime), clientChallenge,
                new byte[4], avPairs, new byte[4]);
        byte[] ntowfv2 = NtlmCrypto.ntowfv2(NtlmCrypto.ntHash(password), user, domain);
        byte[] proof = NtlmCrypto.ntProofStr(ntowfv2, challenge.serverChallenge(), blob);
        byte[] ntResponse = NtlmCrypto.concat(proof, blob);
        byte[] lmResponse = new byte[24];
        byte[] sessionBaseKey = NtlmCrypto.sessionBaseKey(ntowfv2, proof);
        long flags = challenge.flags();
        byte[] encryptedKey = NtlmFlags.has(flags, NtlmFlags.KEY_EXCH)
                ? NtlmCrypto.rc4(sessionBaseKey).update(randomSessionKey)
                : new byte[0];
        byte[] exported = NtlmFlags.has(flags, NtlmFlags.KEY_EXCH) ? randomSessionKey : sessionBaseKey;
        byte[] message = authenticateMessage(flags, lmResponse, ntResponse, domain, user, "WORKSTATION", encryptedKey);
        if (withMic) {
            byte[] mic = NtlmCrypto.hmacMd5(exported, NtlmCrypto.concat(negotiate, challenge.raw(), message));
            System.arraycopy(mic, 0, message, NtlmMessages.MIC_OFFSET, 16);
        }
        return new Authentication(message, clientEnd(exported, flags), exported);
    }

    /** An AUTHENTICATE carrying a 24-byte NTLMv1-style response, which the server must refuse. */
    static byte[] ntlmV1Authenticate(Challenge challenge, String user, String domain) {
        byte[] response = new byte[24];
        RANDOM.nextBytes(response);
        return authenticateMessage(challenge.flags(), new byte[24], response, domain, user, "WORKSTATION", new byte[16]);
    }

    /** The client's end of a session: its sealing is the server's unsealing, and the reverse. */
    static NtlmSessionSecurity clientEnd(byte[] exportedSessionKey, long flags) {
        NtlmCrypto.SessionKeys server = NtlmCrypto.sessionKeys(exportedSessionKey, flags);
        return new NtlmSessionSecurity(new NtlmCrypto.SessionKeys(server.serverSigning(), server.clientSigning(),
                server.serverSealing(), server.clientSealing()), flags);
    }

    static byte[] authenticateMessage(long flags, byte[] lm, byte[] nt, String domain, String user,
            String workstation, byte[] encryptedKey) {
        java.nio.charset.Charset strings = NtlmFlags.has(flags, NtlmFlags.UNICODE)
                ? StandardCharsets.UTF_16LE
                : CodePage.defaultCodePage().charset();
        byte[][] fields = {lm, nt, domain.getBytes(strings), user.getBytes(strings), workstation.getBytes(strings),
                encryptedKey};
        int headerLength = 88; // with Version and MIC
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        byte[] header = new byte[headerLength];
        System.arraycopy("NTLMSSP\0".getBytes(StandardCharsets.US_ASCII), 0, header, 0, 8);
        NtlmSessionSecurity.writeUInt32(header, 8, 3);
        int at = 12;
        for (byte[] field : fields) {
            header[at] = (byte) field.length;
            header[at + 1] = (byte) (field.length >>> 8);
            header[at + 2] = header[at];
            header[at + 3] = header[at + 1];
            NtlmSessionSecurity.writeUInt32(header, at + 4, headerLength + payload.size());
            payload.writeBytes(field);
            at += 8;
        }
        NtlmSessionSecurity.writeUInt32(header, 60, flags);
        header[64] = 10;
        header[71] = 15;
        return NtlmCrypto.concat(header, payload.toByteArray());
    }

    /** The server's AV list with MsvAvFlags = MIC present inserted before MsvAvEOL. */
    private static byte[] withMicFlag(byte[] targetInfo) {
        byte[] withoutEol = Arrays.copyOf(targetInfo, targetInfo.length - 4);
        return NtlmCrypto.concat(withoutEol, new byte[] {6, 0, 4, 0, 2, 0, 0, 0}, new byte[] {0, 0, 0, 0});
    }

    private static byte[] le64(long value) {
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (value >>> (8 * i));
        }
        return bytes;
    }

    private static int uint16(byte[] bytes, int at) {
        return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8;
    }
}
