package io.antidote.lab.wsman;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * One command in a shell: running until its {@link CommandOutput} arrives, then delivered to the
 * client in as many Receive replies as the envelope size allows. Confined to the server's event
 * loop, like everything the endpoint holds.
 */
final class RemoteCommand {

    /** Room left in a reply for the envelope, headers and element markup around the base64 payload. */
    private static final int ENVELOPE_OVERHEAD = 4096;

    private final String id;
    private final CommandInput input;
    private CommandOutput output;
    private final StreamCursor stdout = new StreamCursor("stdout");
    private final StreamCursor stderr = new StreamCursor("stderr");
    private final List<Runnable> waiters = new ArrayList<>();

    RemoteCommand(String id, CommandInput input) {
        this.id = id;
        this.input = input;
    }

    String id() {
        return id;
    }

    CommandInput input() {
        return input;
    }

    boolean finished() {
        return output != null;
    }

    void finish(CommandOutput result) {
        if (output == null) {
            output = result;
            stdout.text = result.stdout();
            stderr.text = result.stderr();
            wakeWaiters();
        }
    }

    /** Wakes pending Receives after the command is signalled or its shell deleted; they fault then. */
    void forget() {
        // A script still waiting for its input is let go: nobody will send the rest.
        input.end();
        wakeWaiters();
    }

    void addWaiter(Runnable waiter) {
        waiters.add(waiter);
    }

    void removeWaiter(Runnable waiter) {
        waiters.remove(waiter);
    }

    /**
     * The next {@code rsp:ReceiveResponse} of a finished command: as much of the desired streams as
     * fits in {@code maxEnvelopeSize}, each stream's End marker once it is drained, and Done with
     * the exit code once every desired stream is drained.
     */
    String nextReceiveResponse(Set<String> desiredStreams, CodePage codePage, int maxEnvelopeSize) {
        if (output == null) {
            throw new IllegalStateException("a running command has nothing to receive yet");
        }
        StringBuilder xml = new StringBuilder("<rsp:ReceiveResponse>");
        int rawBudget = (maxEnvelopeSize - ENVELOPE_OVERHEAD) / 4 * 3;
        boolean allEnded = true;
        for (StreamCursor stream : List.of(stdout, stderr)) {
            if (!desiredStreams.contains(stream.name)) {
                continue;
            }
            rawBudget -= stream.writeChunk(xml, id, codePage, rawBudget);
            allEnded &= stream.ended;
        }
        xml.append("<rsp:CommandState CommandId=\"").append(id).append("\" State=\"");
        if (allEnded) {
            xml.append(WsMan.STATE_DONE).append("\"><rsp:ExitCode>")
                    // WinRS reports a DWORD; WinRM4j's BigInteger.intValue() turns it back into e.g. -1.
                    .append(Integer.toUnsignedString(output.exitCode()))
                    .append("</rsp:ExitCode></rsp:CommandState>");
        } else {
            xml.append(WsMan.STATE_RUNNING).append("\"/>");
        }
        return xml.append("</rsp:ReceiveResponse>").toString();
    }

    private void wakeWaiters() {
        List<Runnable> woken = new ArrayList<>(waiters);
        waiters.clear();
        woken.forEach(Runnable::run);
    }

    /** How far one output stream has been delivered. */
    private static final class StreamCursor {
        final String name;
        String text = "";
        int sentChars;
        boolean ended;

        StreamCursor(String name) {
            this.name = name;
        }

        /**
         * Appends the next chunk and, when drained, the End marker. Chunks end on character
         * boundaries because WinRM4j decodes every chunk on its own: a UTF-8 sequence split
         * across two chunks would come out as two replacement characters.
         *
         * @return raw bytes used from the budget
         */
        int writeChunk(StringBuilder xml, String commandId, CodePage codePage, int rawBudget) {
            if (ended) {
                return 0;
            }
            int used = 0;
            int remaining = text.length() - sentChars;
            if (remaining > 0) {
                int chars = Math.min(remaining, Math.max(0, rawBudget) / codePage.maxBytesPerChar());
                if (chars < remaining && chars > 0 && Character.isHighSurrogate(text.charAt(sentChars + chars - 1))) {
                    chars--;
                }
                if (chars > 0) {
                    byte[] bytes = codePage.encode(text.subSequence(sentChars, sentChars + chars));
                    sentChars += chars;
                    used = bytes.length;
                    xml.append("<rsp:Stream Name=\"").append(name).append("\" CommandId=\"").append(commandId)
                            .append("\">").append(Base64.getEncoder().encodeToString(bytes)).append("</rsp:Stream>");
                }
            }
            if (sentChars == text.length()) {
                ended = true;
                xml.append("<rsp:Stream Name=\"").append(name).append("\" CommandId=\"").append(commandId)
                        .append("\" End=\"true\"></rsp:Stream>");
            }
            return used;
        }
    }
}
