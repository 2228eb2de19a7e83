package io.antidote.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** {@code --json}: the service's JSON as it answered, for scripts; otherwise lines for people. */
final class Printer {

    @Option(names = "--json", description = "Print JSON (the service's own documents) instead of text.")
    boolean json;

    private final Console console;

    Printer(Console console) {
        this.console = console;
    }

    PrintWriter out() {
        return console.out();
    }

    /** Pretty JSON on standard output. */
    void json(JsonNode node) {
        try {
            console.out().println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        console.out().flush();
    }

    /** One JSON document per line (JSON Lines), for streams. */
    void jsonLine(JsonNode node) {
        console.out().println(node.toString());
        console.out().flush();
    }

    void line(String text) {
        console.out().println(text);
        console.out().flush();
    }

    /** A field as text, "-" when absent. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "-" : value.asText();
    }
}
