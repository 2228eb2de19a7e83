package io.antidote.lab.wsman;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MS-WSMV 2.2.9.1.1 framing of a SOAP message sealed with NTLM: a {@code multipart/encrypted}
 * body of two parts, the first naming the original content and its length, the second holding a
 * 4-byte little-endian signature length, the signature and the sealed message, closed by the end
 * boundary with no line break before it. WinRM4j and pywinrm write it byte for byte the same and
 * read the reply by these same offsets, so the reply is written exactly so.
 */
final class EncryptedEnvelope {

    static final String CONTENT_TYPE =
            "multipart/encrypted;protocol=\"application/HTTP-SPNEGO-session-encrypted\";boundary=\"Encrypted Boundary\"";
    private static final String PROTOCOL = "application/HTTP-SPNEGO-session-encrypted";
    private static final byte[] BOUNDARY = "--Encrypted Boundary\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_BOUNDARY = "--Encrypted Boundary--\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final Pattern ORIGINAL_LENGTH = Pattern.compile("(?i)OriginalContent:[^\\r\\n]*?Length=(\\d{1,9})");
    private static final Pattern OCTET_STREAM = Pattern.compile("(?i)\\s*Content-Type:\\s*application/octet-stream\\s*");

    private EncryptedEnvelope() {
    }

    /** A request body taken apart: the declared plaintext length, the signature and the sealed bytes. */
    record Parts(int originalLength, byte[] signature, byte[] sealed) {
    }

    /** Whether the request's Content-Type says its body is NTLM-encrypted (the protocol parameter, not only the type). */
    static boolean isEncrypted(String contentType) {
        if (contentType == null) {
            return false;
        }
        String lower = contentType.toLowerCase(Locale.ROOT);
        return lower.startsWith("multipart/encrypted") && lower.contains(PROTOCOL.toLowerCase(Locale.ROOT));
    }

    static Parts parse(byte[] body) throws NtlmSessionSecurity.IntegrityException {
        if (!startsWith(body, 0, BOUNDARY)) {
            throw malformed("it does not open with the Encrypted Boundary");
        }
        int second = indexOf(body, BOUNDARY, BOUNDARY.length);
        if (second < 0) {
            throw malformed("it has no second part");
        }
        String headers = new String(body, BOUNDARY.length, second - BOUNDARY.length, StandardCharsets.US_ASCII);
        if (!headers.toLowerCase(Locale.ROOT).contains("content-type: " + PROTOCOL.toLowerCase(Locale.ROOT))) {
            throw malformed("its first part is not " + PROTOCOL);
        }
        Matcher length = ORIGINAL_LENGTH.matcher(headers);
        if (!length.find()) {
            throw malformed("its first part gives no OriginalContent length");
        }
        int partStart = second + BOUNDARY.length;
        int lineEnd = indexOf(body, CRLF, partStart);
        if (lineEnd < 0 || !OCTET_STREAM.matcher(
                new String(body, partStart, lineEnd - partStart, StandardCharsets.US_ASCII)).matches()) {
            throw malformed("its second part is not application/octet-stream");
        }
        int payloadStart = lineEnd + CRLF.length;
        int payloadEnd = body.length - END_BOUNDARY.length;
        if (payloadEnd < payloadStart + 4 || !startsWith(body, payloadEnd, END_BOUNDARY)) {
            throw malformed("it does not close with the end boundary");
        }
        long signatureLength = NtlmSessionSecurity.readUInt32(body, payloadStart);
        if (signatureLength != NtlmSessionSecurity.SIGNATURE_LENGTH
                || payloadStart + 4 + signatureLength > payloadEnd) {
            throw malformed("its signature length is not 16");
        }
        int sealedStart = payloadStart + 4 + (int) signatureLength;
        int originalLength = Integer.parseInt(length.group(1));
        if (payloadEnd - sealedStart != originalLength) {
            throw malformed("the sealed message is not the OriginalContent length");
        }
        return new Parts(originalLength, Arrays.copyOfRange(body, payloadStart + 4, sealedStart),
                Arrays.copyOfRange(body, sealedStart, payloadEnd));
    }

    /** The body of a reply: the SOAP envelope sealed for the client. */
    static byte[] frame(int originalLength, NtlmSessionSecurity.Sealed sealed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(sealed.message().length + 300);
        out.writeBytes(BOUNDARY);
        out.writeBytes(("\tContent-Type: " + PROTOCOL + "\r\n"
                + "\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=" + originalLength + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(BOUNDARY);
        out.writeBytes("\tContent-Type: application/octet-stream\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] signatureLength = new byte[4];
        NtlmSessionSecurity.writeUInt32(signatureLength, 0, sealed.signature().length);
        out.writeBytes(signatureLength);
        out.writeBytes(sealed.signature());
        out.writeBytes(sealed.message());
        out.writeBytes(END_BOUNDARY);
        return out.toByteArray();
    }

    private static NtlmSessionSecurity.IntegrityException malformed(String why) {
        return new NtlmSessionSecurity.IntegrityException("the encrypted message is malformed: " + why);
    }

    private static boolean startsWith(byte[] bytes, int at, byte[] prefix) {
        return at >= 0 && at + prefix.length <= bytes.length
                && Arrays.equals(bytes, at, at + prefix.length, prefix, 0, prefix.length);
    }

    private static int indexOf(byte[] bytes, byte[] needle, int from) {
        for (int i = from; i + needle.length <= bytes.length; i++) {
            if (startsWith(bytes, i, needle)) {
                return i;
            }
        }
        return -1;
    }
}
