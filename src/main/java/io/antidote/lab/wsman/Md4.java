package io.antidote.lab.wsman;

import java.util.Arrays;

/**
 * MD4 (RFC 1320), which NTLM still needs for the NT hash of a password and which the JDK does not
 * offer through its public providers. Used only there: MD4 is broken as a general digest.
 */
final class Md4 {

    private Md4() {
    }

    static byte[] digest(byte[] message) {
        long bitLength = (long) message.length * 8;
        int paddedLength = ((message.length + 8) / 64 + 1) * 64;
        byte[] padded = Arrays.copyOf(message, paddedLength);
        padded[message.length] = (byte) 0x80;
        for (int i = 0; i < 8; i++) {
            padded[paddedLength - 8 + i] = (byte) (bitLength >>> (8 * i));
        }
        int a = 0x67452301;
        int b = 0xefcdab89;
        int c = 0x98badcfe;
        int d = 0x10325476;
        int[] x = new int[16];
        for (int block = 0; block < paddedLength; block += 64) {
            for (int i = 0; i < 16; i++) {
                int at = block + i * 4;
                x[i] = (padded[at] & 0xff) | (padded[at + 1] & 0xff) << 8 | (padded[at + 2] & 0xff) << 16
                        | (padded[at + 3] & 0xff) << 24;
            }
            int aa = a;
            int bb = b;
            int cc = c;
            int dd = d;
            for (int i = 0; i < 16; i += 4) {
                a = round1(a, b, c, d, x[i], 3);
                d = round1(d, a, b, c, x[i + 1], 7);
                c = round1(c, d, a, b, x[i + 2], 11);
                b = round1(b, c, d, a, x[i + 3], 19);
            }
            for (int i = 0; i < 4; i++) {
                a = round2(a, b, c, d, x[i], 3);
                d = round2(d, a, b, c, x[i + 4], 5);
                c = round2(c, d, a, b, x[i + 8], 9);
                b = round2(b, c, d, a, x[i + 12], 13);
            }
            int[] order = {0, 2, 1, 3};
            for (int i : order) {
                a = round3(a, b, c, d, x[i], 3);
                d = round3(d, a, b, c, x[i + 8], 9);
                c = round3(c, d, a, b, x[i + 4], 11);
                b = round3(b, c, d, a, x[i + 12], 15);
            }
            a += aa;
            b += bb;
            c += cc;
            d += dd;
        }
        byte[] digest = new byte[16];
        int[] state = {a, b, c, d};
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                digest[i * 4 + j] = (byte) (state[i] >>> (8 * j));
            }
        }
        return digest;
    }

    private static int round1(int a, int b, int c, int d, int x, int s) {
        return Integer.rotateLeft(a + ((b & c) | (~b & d)) + x, s);
    }

    private static int round2(int a, int b, int c, int d, int x, int s) {
        return Integer.rotateLeft(a + ((b & c) | (b & d) | (c & d)) + x + 0x5a827999, s);
    }

    private static int round3(int a, int b, int c, int d, int x, int s) {
        return Integer.rotateLeft(a + (b ^ c ^ d) + x + 0x6ed9eba1, s);
    }
}
