package io.antidote.playbook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The canonical text of a playbook version that uses library steps: one JSON object holding the
 * playbook's source and the source of each library step it uses, by name in name order, so that the
 * same files always give the same text and digest, and the text alone is enough to parse that version
 * again. A plain playbook is never mistaken for a bundle: a bundle's first key is not a playbook key.
 */
public final class PlaybookBundle {

    static final String FORMAT = "antidote-playbook-bundle/1";
    private static final String PREFIX = "{\"bundle\":\"" + FORMAT + "\",";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a bundle holds: the playbook's text and each library step's text by name. */
    public record Contents(String playbook, Map<String, String> steps) {
    }

    private PlaybookBundle() {
    }

    static String encode(String playbookSource, Map<String, LibraryStep> library) {
        ObjectNode bundle = JSON.createObjectNode();
        bundle.put("bundle", FORMAT);
        bundle.put("playbook", playbookSource);
        ObjectNode steps = bundle.putObject("steps");
        new TreeMap<>(library).forEach((name, step) -> steps.put(name, step.source()));
        try {
            return JSON.writeValueAsString(bundle);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a bundle of strings always serializes", e);
        }
    }

    /** The contents of a stored version's text, or empty when it is a plain playbook. */
    public static Optional<Contents> decode(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            JsonNode bundle = JSON.readTree(text);
            Map<String, String> steps = new TreeMap<>();
            bundle.get("steps").fields().forEachRemaining(field -> steps.put(field.getKey(), field.getValue().asText()));
            return Optional.of(new Contents(bundle.get("playbook").asText(), steps));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("a stored playbook bundle is malformed: " + e.getMessage(), e);
        }
    }

    /** Parses a stored version again, bundle or plain text, as {@code file}. */
    public static ParseResult parse(String file, String text) {
        Optional<Contents> contents = decode(text);
        if (contents.isEmpty()) {
            return PlaybookParser.parse(file, text);
        }
        Map<String, String[]> files = new TreeMap<>();
        contents.get().steps().forEach((name, source) ->
                files.put(name, new String[] {file + "/steps/" + name + ".yaml", source}));
        return PlaybookParser.parse(file, contents.get().playbook(), StepLibrary.read(files));
    }
}
