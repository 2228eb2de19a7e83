package io.antidote.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The lines of an audit export (JSON Lines): each stored event as the canonical JSON of its hashed
 * envelope plus {@code prevHash}, {@code hash} and {@code "record":"event"}, all keys sorted. An offline
 * verifier drops those three keys, writes the rest canonically again and gets exactly the text that
 * was hashed; docs/event-store.md specifies the form and {@code src/verify/Verify.java} is such a
 * verifier.
 */
public final class ExportLines {

    private ExportLines() {}

    public static String of(StoredEvent event) {
        ObjectNode line = EventHash.envelope(event.runId(), event.seq(), event.event());
        line.put("hash", event.hash());
        line.put("prevHash", event.prevHash());
        line.put("record", "event");
        return CanonicalJson.write(line);
    }

    public static String of(Checkpoint checkpoint) {
        return checkpoint.exportLine();
    }
}
