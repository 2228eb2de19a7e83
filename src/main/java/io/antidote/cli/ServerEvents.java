package io.antidote.cli;

import java.util.function.Consumer;

/**
 * Reads the WHATWG server-sent event format line by line: {@code id:}, {@code event:} and {@code data:} fields
 * until a blank line dispatches the event; lines starting with {@code :} are comments (the service's heartbeats).
 */
final class ServerEvents {

    /** One event: {@code id} is null when the event carried none. */
    record Event(String id, String type, String data) {
    }

    private final Consumer<Event> sink;
    private String id;
    private String type;
    private StringBuilder data;

    ServerEvents(Consumer<Event> sink) {
        this.sink = sink;
    }

    void line(String line) {
        if (line.isEmpty()) {
            if (data != null) {
                sink.accept(new Event(id, type == null ? "message" : type, data.toString()));
            }
            id = null;
            type = null;
            data = null;
            return;
        }
        if (line.startsWith(":")) {
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "id" -> id = value;
            case "event" -> type = value;
            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> {
                // retry: and unknown fields are ignored, as the format says.
            }
        }
    }
}
