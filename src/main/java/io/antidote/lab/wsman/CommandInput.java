package io.antidote.lab.wsman;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A command's standard input as a WinRS client sends it: {@code rsp:Send} requests carrying {@code stdin}
 * chunks, the last one marked {@code End="true"}. The command reads it on its worker thread, which waits until
 * the input has ended; a command that never reads it never waits. Signalling the command or deleting its shell
 * ends the input too, so a reader still waiting is let go with what came.
 */
public final class CommandInput {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Charset charset;
    private boolean ended;

    CommandInput(Charset charset) {
        this.charset = charset;
    }

    /** Input that has ended with nothing in it: a command run without a client (tests, the lab's own calls). */
    public static CommandInput none() {
        CommandInput input = new CommandInput(StandardCharsets.US_ASCII);
        input.end();
        return input;
    }

    /** @return false when the input had already ended: what comes after the end is not the command's */
    synchronized boolean append(byte[] chunk, boolean last) {
        if (ended) {
            return false;
        }
        bytes.writeBytes(chunk);
        if (last) {
            end();
        }
        return true;
    }

    synchronized void end() {
        ended = true;
        notifyAll();
    }

    synchronized boolean ended() {
        return ended;
    }

    /**
     * Everything the client sent, decoded in the shell's code page as the console would, once the input has
     * ended. Blocks the command's worker thread until then.
     *
     * @throws InterruptedException when the worker is interrupted while it waits
     */
    public synchronized String readToEnd() throws InterruptedException {
        while (!ended) {
            wait();
        }
        return new String(bytes.toByteArray(), charset);
    }
}
