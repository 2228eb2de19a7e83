package io.antidote.playbook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical text of a playbook version, whose SHA-256 is its digest: the playbook's source itself,
 * or, when it uses library steps, one JSON object (a bundle) holding the playbook's source and the source
 * of each library step it uses, by name in name order, so that the same files always give the same text
 * and digest, and the text alone is enough to parse that version again ({@link PlaybookBundle}). A plain
 * playbook is never mistaken for a bundle: a bundle's first key is not a playbook key.
 */
final class VersionText {

    static final String FORMAT = "antidote-playbook-bundle/1";
    /** How every bundle starts, and no playbook does. */
    static final String BUNDLE_PREFIX = "{\"bundle\":\"" + FORMAT + "\",";
    private static final ObjectMapper JSON = new ObjectMapper();

    private VersionText() {
    }

    static String of(String playbookSource, Map<String, LibraryStep> library) {
        return library.isEmpty() ? playbookSource : bundle(playbookSource, library);
    }

    private static String bundle(String playbookSource, Map<String, LibraryStep> library) {
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
}
