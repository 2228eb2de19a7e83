package io.antidote.playbook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads a stored playbook version again from its text ({@link VersionText}): a plain playbook, or a
 * bundle of the playbook's source and the source of each library step it uses.
 */
public final class PlaybookBundle {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a bundle holds: the playbook's text and each library step's text by name. */
    public record Contents(String playbook, Map<String, String> steps) {
    }

    private PlaybookBundle() {
    }

    /** The contents of a stored version's text, or empty when it is a plain playbook. */
    public static Optional<Contents> decode(String text) {
        if (text == null || !text.startsWith(VersionText.BUNDLE_PREFIX)) {
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
