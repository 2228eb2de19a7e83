package io.antidote.playbook;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Reads one library step file ({@code playbooks/steps/<name>.yaml}, docs/playbooks.md "Step library"):
 * its inputs, script, expectation and the defaults a using step may override.
 */
final class LibraryStepReader {

    private static final List<String> LIBRARY_KEYS = List.of("description", "inputs", "powershell", "timeout", "retry",
            "expect", "idempotent", "readOnly");

    private final YamlValues yaml;

    private LibraryStepReader(YamlDocument document) {
        this.yaml = new YamlValues(document);
    }

    /** The step {@code name} read from {@code document}, or null when the document has errors. */
    static LibraryStep read(YamlDocument document, String name) {
        Node root = document.root("the library step", "a mapping with at least 'powershell'");
        LibraryStep step = root == null ? null : new LibraryStepReader(document).step(root, name);
        return document.hasErrors() ? null : step;
    }

    private LibraryStep step(Node root, String name) {
        if (!(root instanceof MappingNode top)) {
            yaml.error(root, "a library step must be a mapping with at least 'powershell', found " + yaml.kind(root));
            return null;
        }
        String where = "in library step '" + Text.shorten(name) + "'";
        if (name == null || !YamlValues.NAME.matcher(name).matches() || name.length() > YamlValues.MAX_NAME_LENGTH) {
            yaml.error(top, "the library step's file name '" + Text.shorten(name) + "' is the name playbooks use it by:"
                    + " it must be lower-case letters, digits and dashes, at most " + YamlValues.MAX_NAME_LENGTH
                    + " characters");
        }
        Map<String, NodeTuple> keys = yaml.keys(top, where, LIBRARY_KEYS);
        String description = yaml.optionalText(keys, "description", "'description' " + where);
        List<Param> inputs = keys.containsKey("inputs")
                ? new ParamsReader(yaml).read(keys.get("inputs").getValueNode(), "inputs") : List.of();
        for (Param input : inputs) {
            if (input.type() == ParamType.SOURCE && input.defaultValue() != null) {
                // A default here would reach the script as written, not as the configured folder it names.
                yaml.error(keys.get("inputs").getValueNode(), "input '" + input.name() + "' is a patch source: it takes"
                        + " no default; a playbook's source parameter sets it");
            }
        }
        String powershell = new ScriptReader(yaml).read(keys, top, where);
        Duration timeout = keys.containsKey("timeout")
                ? yaml.duration(keys.get("timeout").getValueNode(), "'timeout' " + where) : null;
        StepPolicy.Retry retry = keys.containsKey("retry")
                ? new PolicyReader(yaml).retry(keys.get("retry").getValueNode(), where) : StepPolicy.Retry.NONE;
        Expectation expect = keys.containsKey("expect")
                ? new ExpectReader(yaml).read(keys.get("expect").getValueNode(), "library step '" + Text.shorten(name) + "'")
                : Expectation.SUCCESS;
        boolean idempotent = yaml.flag(keys, "idempotent", where);
        boolean readOnly = yaml.flag(keys, "readOnly", where);
        if (yaml.document().hasErrors() || powershell == null || expect == null) {
            return null;
        }
        YamlDocument document = yaml.document();
        return new LibraryStep(name, description, inputs, powershell, timeout, retry, expect, idempotent,
                readOnly, document.file(), document.source());
    }
}
