package io.antidote.winrm;

import java.io.Writer;

/**
 * One output stream of a script, kept up to a cap. A host that prints without end must not fill the
 * heap or the event store: what passes the cap is counted and dropped, and {@link #text(String)} says
 * how much. Close is ignored because WinRM4j closes its writers when a stream ends.
 */
final class CappedOutput extends Writer {

    /** Kept past the cap so that a secret straddling it is still whole when masked. */
    private static final int MASKING_MARGIN = 256;

    private final int cap;
    private final StringBuilder kept = new StringBuilder();
    private long total;

    CappedOutput(int cap) {
        this.cap = cap;
    }

    @Override
    public synchronized void write(char[] chars, int offset, int length) {
        total += length;
        int room = cap + MASKING_MARGIN - kept.length();
        if (room > 0) {
            kept.append(chars, offset, Math.min(room, length));
        }
    }

    /** The output with the secret masked, cut at the cap with a marker naming the characters dropped. */
    synchronized String text(String secret) {
        String masked = Redaction.mask(kept.toString(), secret);
        if (total <= cap && masked.length() <= cap) {
            return masked;
        }
        long dropped = total - Math.min(cap, kept.length());
        return masked.substring(0, Math.min(cap, masked.length())) + marker(dropped);
    }

    static String marker(long dropped) {
        return "\n[... truncated " + dropped + " characters ...]";
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
