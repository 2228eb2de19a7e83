package io.antidote.playbook;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code expect} of a step or library step (docs/playbooks.md "Format"): exit code, a
 * regex on stdout, and checks on top-level fields of the JSON the script prints.
 */
final class ExpectReader {

    private static final List<String> EXPECT_KEYS = List.of("exitCode", "stdout", "json");
    private static final List<String> CHECK_KEYS = List.of("proxylogonPatched", "empty", "equals", "versionAtLeast",
            "versionBelow");

    private final YamlValues yaml;

    ExpectReader(YamlValues yaml) {
        this.yaml = yaml;
    }

    /** The expectation, or null once its problems are recorded. */
    Expectation read(Node node, String stepLabel) {
        String where = "in the expect of " + stepLabel;
        MappingNode mapping = yaml.mapping(node, "'expect' in " + stepLabel);
        if (mapping == null) {
            return null;
        }
        Map<String, NodeTuple> keys = yaml.keys(mapping, where, EXPECT_KEYS);
        int before = yaml.errorCount();
        int exitCode = 0;
        if (keys.containsKey("exitCode")) {
            Node exitNode = keys.get("exitCode").getValueNode();
            Long value = yaml.integer(exitNode, "'exitCode' " + where);
            if (value != null && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
                yaml.error(exitNode, "'exitCode' " + where + " must fit in 32 bits, found " + value);
            } else if (value != null) {
                exitCode = value.intValue();
            }
        }
        String stdout = null;
        if (keys.containsKey("stdout")) {
            Node stdoutNode = keys.get("stdout").getValueNode();
            stdout = yaml.text(stdoutNode, "'stdout' " + where);
            yaml.regex(stdoutNode, stdout, "'stdout' " + where);
        }
        Map<String, JsonCheck> json = Map.of();
        if (keys.containsKey("json")) {
            json = jsonChecks(keys.get("json").getValueNode(), stepLabel);
        }
        if (yaml.errorCount() > before) {
            return null;
        }
        return new Expectation(exitCode, stdout, json);
    }

    private Map<String, JsonCheck> jsonChecks(Node node, String stepLabel) {
        String where = "in the expected JSON of " + stepLabel;
        MappingNode mapping = yaml.mapping(node, "'json' in the expect of " + stepLabel);
        if (mapping == null) {
            return Map.of();
        }
        Map<String, JsonCheck> checks = new LinkedHashMap<>();
        yaml.keys(mapping, where, null).forEach((field, tuple) -> {
            if (field.isEmpty()) {
                yaml.error(tuple.getKeyNode(), "a JSON field name " + where + " must not be empty");
                return;
            }
            JsonCheck check = jsonCheck(tuple.getValueNode(), field, stepLabel);
            if (check != null) {
                checks.put(field, check);
            }
        });
        return checks;
    }

    private JsonCheck jsonCheck(Node node, String field, String stepLabel) {
        String subject = "the check of JSON field '" + Text.shorten(field) + "' in " + stepLabel;
        MappingNode mapping = yaml.mapping(node, subject);
        if (mapping == null) {
            return null;
        }
        Map<String, NodeTuple> keys = yaml.keys(mapping, "in " + subject, CHECK_KEYS);
        if (keys.size() != 1) {
            if (keys.isEmpty() && mapping.getValue().size() > 0) {
                return null; // only unknown keys, already reported
            }
            yaml.error(mapping, subject + " must have exactly one of: " + String.join(", ", CHECK_KEYS)
                    + ", found " + (keys.isEmpty() ? "none" : String.join(", ", keys.keySet())));
            return null;
        }
        Map.Entry<String, NodeTuple> only = keys.entrySet().iterator().next();
        Node value = only.getValue().getValueNode();
        String what = "'" + only.getKey() + "' in " + subject;
        switch (only.getKey()) {
            case "proxylogonPatched" -> {
                Boolean expected = yaml.bool(value, what);
                return expected == null ? null : new JsonCheck.ProxyLogonPatched(expected);
            }
            case "empty" -> {
                Boolean expected = yaml.bool(value, what);
                return expected == null ? null : new JsonCheck.Empty(expected);
            }
            case "versionAtLeast", "versionBelow" -> {
                return versionCheck(value, only.getKey(), what);
            }
            default -> {
                return literal(value, what);
            }
        }
    }

    private JsonCheck versionCheck(Node value, String kind, String what) {
        String text = yaml.text(value, what);
        if (text == null) {
            return null;
        }
        if (Versions.parse(text) == null) {
            yaml.error(value, what + " must be a version of 2 to 4 dot-separated numbers such as 15.1.2176.9, found '"
                    + Text.shorten(text) + "'");
            return null;
        }
        return kind.equals("versionAtLeast") ? new JsonCheck.VersionAtLeast(text) : new JsonCheck.VersionBelow(text);
    }

    /** A literal for a comparison: a string, an integer, a boolean or null, typed as YAML wrote it. */
    JsonCheck.Equals literal(Node value, String what) {
        if (value.getTag().equals(Tag.NULL) && value instanceof ScalarNode) {
            return new JsonCheck.Equals(null);
        }
        if (value.getTag().equals(Tag.INT)) {
            Long number = yaml.integer(value, what);
            return number == null ? null : new JsonCheck.Equals(number);
        }
        if (value.getTag().equals(Tag.BOOL)) {
            Boolean flag = yaml.bool(value, what);
            return flag == null ? null : new JsonCheck.Equals(flag);
        }
        if (value instanceof ScalarNode scalar && (value.getTag().equals(Tag.STR) || value.getTag().equals(Tag.TIMESTAMP))) {
            return new JsonCheck.Equals(scalar.getValue());
        }
        yaml.error(value, what + " must be a string, an integer, a boolean or null, found " + yaml.kind(value));
        return null;
    }
}
