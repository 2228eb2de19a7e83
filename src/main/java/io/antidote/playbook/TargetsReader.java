package io.antidote.playbook;

import io.antidote.winrm.Target;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code targets: { names: [...], labels: { role: mailbox } }}: the targets a run acts on by default. */
final class TargetsReader {

    private static final List<String> TARGET_KEYS = List.of("names", "labels");

    private final YamlValues yaml;

    TargetsReader(YamlValues yaml) {
        this.yaml = yaml;
    }

    TargetSelector read(Node node) {
        String in = "in targets";
        MappingNode mapping = yaml.mapping(node, "'targets'");
        if (mapping == null) {
            return TargetSelector.NONE;
        }
        Map<String, NodeTuple> keys = yaml.keys(mapping, in, TARGET_KEYS);
        int before = yaml.errorCount();
        List<String> names = new ArrayList<>();
        if (keys.containsKey("names")) {
            SequenceNode list = yaml.list(keys.get("names").getValueNode(), "'names' " + in);
            for (Node item : list == null ? List.<Node>of() : list.getValue()) {
                String name = yaml.text(item, "each of 'names' " + in);
                if (name != null && !Target.NAME.matcher(name).matches()) {
                    yaml.error(item, "each of 'names' " + in + " must be a target name (letters, digits, dots and"
                            + " dashes), found '" + Text.shorten(name) + "'");
                } else if (name != null && names.contains(name)) {
                    yaml.error(item, "target '" + name + "' is named twice " + in);
                } else if (name != null) {
                    names.add(name);
                }
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (keys.containsKey("labels")) {
            MappingNode labelMap = yaml.mapping(keys.get("labels").getValueNode(), "'labels' " + in);
            if (labelMap != null) {
                yaml.keys(labelMap, "in the labels of targets", null).forEach((label, tuple) -> {
                    String value = yaml.text(tuple.getValueNode(), "the value of label '" + Text.shorten(label) + "' " + in);
                    if (!YamlValues.LABEL.matcher(label).matches()) {
                        yaml.error(tuple.getKeyNode(), "'" + Text.shorten(label) + "' " + in + " is not a label name such"
                                + " as role or site");
                    } else if (value != null && value.isEmpty()) {
                        yaml.error(tuple.getValueNode(), "the value of label '" + label + "' " + in + " must not be empty");
                    } else if (value != null) {
                        labels.put(label, value);
                    }
                });
            }
        }
        if (names.isEmpty() && labels.isEmpty() && yaml.errorCount() == before) {
            yaml.error(mapping, "'targets' must name at least one target under 'names' or one label under 'labels'");
        }
        return new TargetSelector(names, labels);
    }
}
