package io.antidote.lab.wsman;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reading NEGOTIATE and AUTHENTICATE messages and writing CHALLENGE messages (MS-NLMP 2.2.1).
 * Every length and offset comes from the client, so each is checked against the message before
 * it is used.
 */
final class NtlmMessages {

    private static final byte[] SIGNATURE = "NTLMSSP\0".getBytes(StandardCharsets.US_ASCII);
    private static final int CHALLENGE_HEADER_LENGTH = 56;
    private static final int AUTHENTICATE_HEADER_LENGTH = 64;
    static final int MIC_OFFSET = 72;
    static final int MIC_LENGTH = 16;

    static final int AV_EOL = 0;
    static final int AV_NB_COMPUTER_NAME = 1;
    static final int AV_NB_DOMAIN_NAME = 2;
    static final int AV_DNS_COMPUTER_NAME = 3;
    static final int AV_DNS_DOMAIN_NAME = 4;
    static final int AV_DNS_TREE_NAME = 5;
    static final int AV_FLAGS = 6;
    static final int AV_TIMESTAMP = 7;
    /** MsvAvFlags bit: the AUTHENTICATE message carries a MIC. */
    static final long AV_FLAG_MIC_PRESENT = 0x2;

    /** The NTLMv2 client blob holds its AV pairs after this many bytes (MS-NLMP 2.2.2.7). */
    private static final int BLOB_AV_PAIRS_OFFSET = 28;
    private static final int NT_PROOF_LENGTH = 16;

    private NtlmMessages() {
    }

    /** Why a message could not be read; says nothing about credentials. */
    static final class MalformedException extends Exception {
        MalformedException(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The names the server gives itself in a CHALLENGE, as a domain member would. */
    record Target(String netbiosDomain, String netbiosComputer, String dnsDomain, String dnsComputer) {
    }

    record Negotiate(long flags, byte[] raw) {
    }

    record Authenticate(long flags, byte[] ntResponse, String domain, String user, String workstation,
            byte[] encryptedRandomSessionKey, int payloadStart, byte[] raw) {

        /** NTLMv2 responses are longer than the 24 bytes of NTLMv1 and hold a proof and a blob. */
        boolean isNtlmV2() {
            return ntResponse.length >= NT_PROOF_LENGTH + BLOB_AV_PAIRS_OFFSET;
        }

        byte[] ntProofStr() {
            return Arrays.copyOf(ntResponse, NT_PROOF_LENGTH);
        }

        byte[] clientBlob() {
            return Arrays.copyOfRange(ntResponse, NT_PROOF_LENGTH, ntResponse.length);
        }

        /** Whether the client says (in MsvAvFlags of its blob) that it sent a MIC, and left room for one. */
        boolean hasMic() throws MalformedException {
            byte[] flags = avPair(clientAvPairs(), AV_FLAGS);
            if (flags == null || flags.length != 4) {
                return false;
            }
            boolean announced = (NtlmSessionSecurity.readUInt32(flags, 0) & AV_FLAG_MIC_PRESENT) != 0;
            if (announced && payloadStart < MIC_OFFSET + MIC_LENGTH) {
                throw new MalformedException("the AUTHENTICATE message announces a MIC but has no room for it");
            }
            return announced;
        }

        byte[] mic() {
            return Arrays.copyOfRange(raw, MIC_OFFSET, MIC_OFFSET + MIC_LENGTH);
        }

        /** The message with its MIC zeroed, as the MIC was computed over it. */
        byte[] withoutMic() {
            byte[] copy = raw.clone();
            Arrays.fill(copy, MIC_OFFSET, MIC_OFFSET + MIC_LENGTH, (byte) 0);
            return copy;
        }

        private byte[] clientAvPairs() {
            return Arrays.copyOfRange(ntResponse, NT_PROOF_LENGTH + BLOB_AV_PAIRS_OFFSET, ntResponse.length);
        }

        /** Never print responses or keys. */
        @Override
        public String toString() {
            return "Authenticate[user=" + user + ", domain=" + domain + ", flags=0x" + Long.toHexString(flags) + "]";
        }
    }

    static Negotiate parseNegotiate(byte[] message) throws MalformedException {
        checkHeader(message, 1, 16);
        return new Negotiate(readUInt32(message, 12), message.clone());
    }

    static Authenticate parseAuthenticate(byte[] message) throws MalformedException {
        checkHeader(message, 3, AUTHENTICATE_HEADER_LENGTH);
        long flags = readUInt32(message, 60);
        int payloadStart = message.length;
        int[] fieldOffsets = {12, 20, 28, 36, 44, 52};
        byte[][] fields = new byte[fieldOffsets.length][];
        for (int i = 0; i < fieldOffsets.length; i++) {
            fields[i] = securityBuffer(message, fieldOffsets[i]);
            int offset = (int) readUInt32(message, fieldOffsets[i] + 4);
            if (fields[i].length > 0) {
                payloadStart = Math.min(payloadStart, offset);
            }
        }
        if (payloadStart < AUTHENTICATE_HEADER_LENGTH) {
            throw new MalformedException("an AUTHENTICATE field overlaps the message header");
        }
        boolean unicode = NtlmFlags.has(flags, NtlmFlags.UNICODE);
        return new Authenticate(flags, fields[1], text(fields[2], unicode), text(fields[3], unicode),
                text(fields[4], unicode), fields[5], payloadStart, message.clone());
    }

    /**
     * A CHALLENGE message (type 2) offering the given flags, server challenge, target name (in
     * Unicode or the OEM code page, as the flags say) and target info (always Unicode).
     */
    static byte[] challenge(long flags, byte[] serverChallenge, String targetName, byte[] targetInfo) {
        byte[] name = NtlmFlags.has(flags, NtlmFlags.UNICODE)
                ? targetName.getBytes(StandardCharsets.UTF_16LE)
                : CodePage.defaultCodePage().encode(targetName);
        byte[] message = new byte[CHALLENGE_HEADER_LENGTH + name.length + targetInfo.length];
        System.arraycopy(SIGNATURE, 0, message, 0, SIGNATURE.length);
        NtlmSessionSecurity.writeUInt32(message, 8, 2);
        writeSecurityBuffer(message, 12, name.length, CHALLENGE_HEADER_LENGTH);
        NtlmSessionSecurity.writeUInt32(message, 20, flags);
        System.arraycopy(serverChallenge, 0, message, 24, 8);
        writeSecurityBuffer(message, 40, targetInfo.length, CHALLENGE_HEADER_LENGTH + name.length);
        if (NtlmFlags.has(flags, NtlmFlags.VERSION)) {
            // Windows Server 2019 (10.0.17763), NTLM revision 15.
            message[48] = 10;
            message[49] = 0;
            message[50] = (byte) (17763 & 0xff);
            message[51] = (byte) (17763 >>> 8);
            message[55] = 15;
        }
        System.arraycopy(name, 0, message, CHALLENGE_HEADER_LENGTH, name.length);
        System.arraycopy(targetInfo, 0, message, CHALLENGE_HEADER_LENGTH + name.length, targetInfo.length);
        return message;
    }

    /** The target-info AV list of a CHALLENGE, with the server's time as a FILETIME. */
    static byte[] targetInfo(Target target, long fileTime) {
        ByteArrayOutputStream pairs = new ByteArrayOutputStream();
        avPair(pairs, AV_NB_DOMAIN_NAME, target.netbiosDomain().getBytes(StandardCharsets.UTF_16LE));
        avPair(pairs, AV_NB_COMPUTER_NAME, target.netbiosComputer().getBytes(StandardCharsets.UTF_16LE));
        avPair(pairs, AV_DNS_DOMAIN_NAME, target.dnsDomain().getBytes(StandardCharsets.UTF_16LE));
        avPair(pairs, AV_DNS_COMPUTER_NAME, target.dnsComputer().getBytes(StandardCharsets.UTF_16LE));
        avPair(pairs, AV_DNS_TREE_NAME, target.dnsDomain().getBytes(StandardCharsets.UTF_16LE));
        byte[] time = new byte[8];
        for (int i = 0; i < 8; i++) {
            time[i] = (byte) (fileTime >>> (8 * i));
        }
        avPair(pairs, AV_TIMESTAMP, time);
        avPair(pairs, AV_EOL, new byte[0]);
        return pairs.toByteArray();
    }

    /** Milliseconds since 1970 as a Windows FILETIME: 100 ns ticks since 1601. */
    static long fileTime(long epochMillis) {
        return (epochMillis + 11_644_473_600_000L) * 10_000L;
    }

    /** The value of the first AV pair with this id, or null; stops at MsvAvEOL or the end. */
    static byte[] avPair(byte[] pairs, int id) throws MalformedException {
        int at = 0;
        while (at + 4 <= pairs.length) {
            int avId = readUInt16(pairs, at);
            int length = readUInt16(pairs, at + 2);
            if (avId == AV_EOL) {
                return null;
            }
            if (at + 4 + length > pairs.length) {
                throw new MalformedException("an AV pair runs past the end of the NTLMv2 response");
            }
            if (avId == id) {
                return Arrays.copyOfRange(pairs, at + 4, at + 4 + length);
            }
            at += 4 + length;
        }
        return null;
    }

    /** Whether the bytes open with the NTLMSSP signature (a SPNEGO or Kerberos token does not). */
    static boolean isNtlm(byte[] token) {
        return token.length >= 12 && Arrays.equals(token, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length);
    }

    static long messageType(byte[] token) {
        return readUInt32(token, 8);
    }

    private static void checkHeader(byte[] message, int type, int minimumLength) throws MalformedException {
        if (message.length < minimumLength || !isNtlm(message)) {
            throw new MalformedException("not an NTLM message of type " + type);
        }
        if (messageType(message) != type) {
            throw new MalformedException("an NTLM message of type " + messageType(message) + " where " + type
                    + " was expected");
        }
    }

    private static byte[] securityBuffer(byte[] message, int fieldOffset) throws MalformedException {
        int length = readUInt16(message, fieldOffset);
        long offset = readUInt32(message, fieldOffset + 4);
        if (offset + length > message.length) {
            throw new MalformedException("an NTLM field runs past the end of the message");
        }
        return Arrays.copyOfRange(message, (int) offset, (int) offset + length);
    }

    private static void writeSecurityBuffer(byte[] message, int fieldOffset, int length, int offset) {
        message[fieldOffset] = (byte) length;
        message[fieldOffset + 1] = (byte) (length >>> 8);
        message[fieldOffset + 2] = (byte) length;
        message[fieldOffset + 3] = (byte) (length >>> 8);
        NtlmSessionSecurity.writeUInt32(message, fieldOffset + 4, offset);
    }

    private static void avPair(ByteArrayOutputStream out, int id, byte[] value) {
        out.write(id & 0xff);
        out.write(id >>> 8);
        out.write(value.length & 0xff);
        out.write(value.length >>> 8);
        out.writeBytes(value);
    }

    private static String text(byte[] bytes, boolean unicode) throws MalformedException {
        if (!unicode) {
            return new String(bytes, CodePage.defaultCodePage().charset());
        }
        if (bytes.length % 2 != 0) {
            throw new MalformedException("a Unicode NTLM field has an odd length");
        }
        return new String(bytes, StandardCharsets.UTF_16LE);
    }

    private static int readUInt16(byte[] bytes, int at) {
        return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8;
    }

    private static long readUInt32(byte[] bytes, int at) {
        return NtlmSessionSecurity.readUInt32(bytes, at);
    }
}
