package io.antidote.playbook;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one alert rule file (docs/alerts.md) with the playbooks' YAML toolkit: the same limits, and every problem
 * reported at once with its line and column. Whether the playbook exists and takes these parameters is checked
 * when a run is requested (and by {@code antidote lint} when the playbooks are linted with the rules).
 */
public final class AlertRuleParser {

    /** A rule's verdict: the rule, or every problem in its file. */
    public record Result(AlertRule rule, ParseResult.Invalid invalid) {
        public boolean valid() {
            return rule != null;
        }
    }

    static final List<String> TOP_KEYS = List.of("name", "description", "match", "playbook", "params", "approval",
            "dedupWindow");
    static final List<String> MATCH_KEYS = List.of("sources", "types", "severity", "serverLabels");
    /** Source and type words, as alerts carry them (docs/alerts.md). */
    public static final Pattern WORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");
    static final Duration DEFAULT_WINDOW = Duration.ofHours(1);

    private AlertRuleParser() {
    }

    public static Result parse(String file, String source) {
        YamlDocument document = new YamlDocument(file, source);
        YamlValues values = new YamlValues(document);
        Node root = document.root("an alert rule", "a mapping with name, match, playbook and approval");
        if (root == null) {
            return new Result(null, document.invalid());
        }
        MappingNode top = values.mapping(root, "an alert rule");
        if (top == null) {
            return new Result(null, document.invalid());
        }
        Map<String, NodeTuple> keys = values.keys(top, "in an alert rule", TOP_KEYS);
        for (String required : List.of("name", "match", "playbook", "approval")) {
            if (!keys.containsKey(required)) {
                document.error(root, "an alert rule needs '" + required + "'");
            }
        }
        String name = keys.containsKey("name") ? values.name(keys.get("name").getValueNode(), "'name'") : null;
        String description = values.optionalText(keys, "description", "'description'");
        String playbook = keys.containsKey("playbook") ? values.name(keys.get("playbook").getValueNode(), "'playbook'") : null;
        Match match = keys.containsKey("match") ? match(values, keys.get("match").getValueNode()) : null;
        Map<String, Object> params = keys.containsKey("params") ? params(values, keys.get("params").getValueNode()) : Map.of();
        Boolean approval = keys.containsKey("approval") ? approval(values, keys.get("approval").getValueNode()) : null;
        Duration window = keys.containsKey("dedupWindow")
                ? values.duration(keys.get("dedupWindow").getValueNode(), "'dedupWindow'") : DEFAULT_WINDOW;
        if (document.hasErrors()) {
            return new Result(null, document.invalid());
        }
        return new Result(new AlertRule(name, description, file, match.sources, match.types, match.severity,
                match.serverLabels, playbook, params, approval, window), null);
    }

    private record Match(Set<String> sources, Set<String> types, Severity severity, Map<String, String> serverLabels) {
    }

    private static Match match(YamlValues values, Node node) {
        MappingNode mapping = values.mapping(node, "'match'");
        if (mapping == null) {
            return null;
        }
        Map<String, NodeTuple> keys = values.keys(mapping, "in 'match'", MATCH_KEYS);
        Set<String> sources = keys.containsKey("sources") ? words(values, keys.get("sources").getValueNode(),
                "'match.sources'") : Set.of();
        Set<String> types = Set.of();
        if (!keys.containsKey("types")) {
            values.error(node, "'match' needs 'types': the alert types (indicators) the rule acts on");
        } else {
            types = words(values, keys.get("types").getValueNode(), "'match.types'");
            if (types.isEmpty() && keys.get("types").getValueNode() instanceof SequenceNode) {
                values.error(keys.get("types").getValueNode(), "'match.types' must name at least one type");
            }
        }
        Severity severity = Severity.INFO;
        if (keys.containsKey("severity")) {
            Node value = keys.get("severity").getValueNode();
            String word = values.text(value, "'match.severity'");
            severity = word == null ? null : Severity.of(word).orElse(null);
            if (word != null && severity == null) {
                values.error(value, "'match.severity' must be one of " + Severity.WORDS + ", found '"
                        + Text.shorten(word) + "'");
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (keys.containsKey("serverLabels")) {
            MappingNode labelMap = values.mapping(keys.get("serverLabels").getValueNode(), "'match.serverLabels'");
            if (labelMap != null) {
                values.keys(labelMap, "in 'match.serverLabels'", null).forEach((label, tuple) -> {
                    if (!YamlValues.LABEL.matcher(label).matches()) {
                        values.error(tuple.getKeyNode(), "'" + Text.shorten(label) + "' is not a label name");
                    }
                    String value = values.text(tuple.getValueNode(), "label '" + Text.shorten(label) + "'");
                    if (value != null) {
                        labels.put(label, value);
                    }
                });
            }
        }
        return new Match(sources, types, severity, labels);
    }

    /** A list of source or type words, lower case: alerts are matched without regard to case. */
    private static Set<String> words(YamlValues values, Node node, String what) {
        SequenceNode list = values.list(node, what);
        Set<String> words = new LinkedHashSet<>();
        if (list == null) {
            return words;
        }
        for (Node item : list.getValue()) {
            String word = values.text(item, "an entry of " + what);
            if (word == null) {
                continue;
            }
            if (!WORD.matcher(word).matches()) {
                values.error(item, "an entry of " + what + " must be 1 to 100 letters, digits, '.', '_', ':' or '-',"
                        + " found '" + Text.shorten(word) + "'");
            } else if (!words.add(word.toLowerCase(Locale.ROOT))) {
                values.error(item, "'" + Text.shorten(word) + "' is named twice in " + what);
            }
        }
        return words;
    }

    /** {@code required} or {@code none}: a rule's author says which, there is no default. */
    private static Boolean approval(YamlValues values, Node node) {
        String word = values.text(node, "'approval'");
        if (word == null) {
            return null;
        }
        return switch (word) {
            case "required" -> true;
            case "none" -> false;
            default -> {
                values.error(node, "'approval' must be required (a person approves before the run's first step) or"
                        + " none, found '" + Text.shorten(word) + "'");
                yield null;
            }
        };
    }

    /** Parameters as a run request's JSON would carry them: strings, integers, booleans, and lists of them. */
    private static Map<String, Object> params(YamlValues values, Node node) {
        MappingNode mapping = values.mapping(node, "'params'");
        Map<String, Object> params = new LinkedHashMap<>();
        if (mapping == null) {
            return params;
        }
        values.keys(mapping, "in 'params'", null).forEach((param, tuple) -> {
            Node value = tuple.getValueNode();
            if (value instanceof SequenceNode list) {
                List<Object> items = new ArrayList<>();
                list.getValue().forEach(item -> items.add(scalar(values, item, "an entry of parameter '"
                        + Text.shorten(param) + "'")));
                params.put(param, items);
            } else {
                params.put(param, scalar(values, value, "parameter '" + Text.shorten(param) + "'"));
            }
        });
        return params;
    }

    private static Object scalar(YamlValues values, Node node, String what) {
        if (!(node instanceof ScalarNode scalar)) {
            values.error(node, what + " must be a string, integer, boolean or a list of them, found " + values.kind(node));
            return null;
        }
        Tag tag = node.getTag();
        if (tag.equals(Tag.INT)) {
            return values.integer(node, what);
        }
        if (tag.equals(Tag.BOOL)) {
            return values.bool(node, what);
        }
        if (tag.equals(Tag.STR)) {
            return scalar.getValue();
        }
        values.error(node, what + " must be a string, integer, boolean or a list of them, found " + values.kind(node));
        return null;
    }
}
