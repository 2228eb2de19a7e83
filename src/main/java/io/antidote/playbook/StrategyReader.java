package io.antidote.playbook;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a playbook's {@code strategy} (docs/playbooks.md "Strategy"): how a run rolls out over its targets. */
final class StrategyReader {

    private static final List<String> STRATEGY_KEYS = List.of("batchSize", "failureThreshold", "orderBy", "groupBy");
    private static final Pattern PERCENT = Pattern.compile("([0-9]{1,3})%");

    private final YamlValues yaml;

    StrategyReader(YamlValues yaml) {
        this.yaml = yaml;
    }

    Rollout read(Node node) {
        String in = "in strategy";
        MappingNode mapping = yaml.mapping(node, "'strategy'");
        if (mapping == null) {
            return Rollout.DEFAULT;
        }
        Map<String, NodeTuple> keys = yaml.keys(mapping, in, STRATEGY_KEYS);
        int batchSize = 1;
        int batchPercent = 0;
        if (keys.containsKey("batchSize")) {
            Node n = keys.get("batchSize").getValueNode();
            Matcher percent = n instanceof ScalarNode sc && n.getTag().equals(Tag.STR)
                    ? PERCENT.matcher(sc.getValue()) : null;
            if (percent != null && percent.matches()) {
                batchPercent = Integer.parseInt(percent.group(1));
                if (batchPercent < 1 || batchPercent > 100) {
                    yaml.error(n, "'batchSize' " + in + " as a percentage must be between 1% and 100%");
                }
            } else if (n.getTag().equals(Tag.STR)) {
                yaml.error(n, "'batchSize' " + in + " must be a count such as 2 or a percentage such as 25%, found '"
                        + Text.shorten(((ScalarNode) n).getValue()) + "'");
            } else {
                Long count = yaml.integer(n, "'batchSize' " + in);
                if (count != null && (count < 1 || count > 10_000)) {
                    yaml.error(n, "'batchSize' " + in + " must be between 1 and 10000, found " + count);
                } else if (count != null) {
                    batchSize = count.intValue();
                }
            }
        }
        int threshold = 1;
        if (keys.containsKey("failureThreshold")) {
            Node n = keys.get("failureThreshold").getValueNode();
            Long value = yaml.integer(n, "'failureThreshold' " + in);
            if (value != null && (value < 1 || value > 10_000)) {
                yaml.error(n, "'failureThreshold' " + in + " must be between 1 and 10000, found " + value);
            } else if (value != null) {
                threshold = value.intValue();
            }
        }
        return new Rollout(batchSize, batchPercent, threshold, label(keys, "orderBy", in), label(keys, "groupBy", in));
    }

    private String label(Map<String, NodeTuple> keys, String key, String in) {
        if (!keys.containsKey(key)) {
            return null;
        }
        Node n = keys.get(key).getValueNode();
        String text = yaml.text(n, "'" + key + "' " + in);
        if (text != null && !YamlValues.LABEL.matcher(text).matches()) {
            yaml.error(n, "'" + key + "' " + in + " must be a label name such as dag or site, found '"
                    + Text.shorten(text) + "'");
            return null;
        }
        return text;
    }
}
