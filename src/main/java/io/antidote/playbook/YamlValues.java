package io.antidote.playbook;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Typed reading of YAML nodes for every section of a playbook: each value is read as what the format
 * says it is (text, integer, boolean, name, duration, mapping with known keys), and anything else is
 * recorded in the {@link YamlDocument} as an error at the node, naming what was found. A method that
 * reports returns null, so a reader can go on and find the next problem.
 */
final class YamlValues {

    static final int MAX_NAME_LENGTH = 100;
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    /** A label name, as targets carry them (role, site, dag). */
    static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,62}");
    static final Duration MAX_DURATION = Duration.ofHours(24);
    /** YAML's implicit numbers, booleans and dates count as text: {@code 3} is read as the text written. */
    static final Set<Tag> TEXT_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.TIMESTAMP);

    private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,7})(s|m|h)");

    private final YamlDocument document;

    YamlValues(YamlDocument document) {
        this.document = document;
    }

    YamlDocument document() {
        return document;
    }

    void error(Node node, String message) {
        document.error(node, message);
    }

    int errorCount() {
        return document.errorCount();
    }

    /**
     * The keys of a mapping, first occurrence of each; reports non-scalar keys, merge keys,
     * duplicates and (when {@code allowed} is given) unknown keys.
     */
    Map<String, NodeTuple> keys(MappingNode mapping, String where, List<String> allowed) {
        Map<String, NodeTuple> known = new LinkedHashMap<>();
        Map<String, Node> seen = new HashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (keyNode.getTag().equals(Tag.MERGE)) {
                error(keyNode, "merge keys (<<) are not supported " + where + "; write the keys out");
                continue;
            }
            if (!(keyNode instanceof ScalarNode scalar) || keyNode.getTag().equals(Tag.NULL)) {
                error(keyNode, "expected a key name " + where + ", found " + kind(keyNode));
                continue;
            }
            String key = scalar.getValue();
            Node first = seen.putIfAbsent(key, keyNode);
            if (first != null) {
                error(keyNode, "duplicate key '" + Text.shorten(key) + "' " + where + "; it first appears at line "
                        + YamlDocument.line(first));
                continue;
            }
            if (allowed != null && !allowed.contains(key)) {
                error(keyNode, "unknown key '" + Text.shorten(key) + "' " + where + "; expected one of: "
                        + String.join(", ", allowed));
                continue;
            }
            known.put(key, tuple);
        }
        return known;
    }

    /** The text under {@code key}, without reporting anything: for naming a part before it is read. */
    static String peekText(MappingNode mapping, String key) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)
                    && tuple.getValueNode() instanceof ScalarNode v && TEXT_TAGS.contains(v.getTag())) {
                return v.getValue();
            }
        }
        return null;
    }

    String name(Node node, String what) {
        String text = text(node, what);
        if (text == null) {
            return null;
        }
        if (!NAME.matcher(text).matches()) {
            error(node, what + " must be lower-case letters, digits and dashes, starting with a letter or digit,"
                    + " found '" + Text.shorten(text) + "'");
            return null;
        }
        if (text.length() > MAX_NAME_LENGTH) {
            error(node, what + " must be at most " + MAX_NAME_LENGTH + " characters long");
            return null;
        }
        return text;
    }

    String optionalText(Map<String, NodeTuple> keys, String key, String what) {
        if (!keys.containsKey(key)) {
            return "";
        }
        String text = text(keys.get(key).getValueNode(), what);
        return text == null ? "" : text;
    }

    /** A scalar read as text: YAML's implicit numbers, booleans and dates count, null does not. */
    String text(Node node, String what) {
        if (node instanceof ScalarNode scalar && TEXT_TAGS.contains(node.getTag())) {
            return scalar.getValue();
        }
        error(node, what + " must be a string, found " + kind(node));
        return null;
    }

    Long integer(Node node, String what) {
        if (node instanceof ScalarNode scalar && node.getTag().equals(Tag.INT)) {
            String value = scalar.getValue();
            if (!DECIMAL.matcher(value).matches()) {
                error(node, what + " must be a decimal integer, found '" + Text.shorten(value) + "'");
                return null;
            }
            try {
                return Long.parseLong(value.startsWith("+") ? value.substring(1) : value);
            } catch (NumberFormatException e) {
                error(node, what + " is too large, found " + Text.shorten(value));
                return null;
            }
        }
        error(node, what + " must be an integer, found " + kind(node));
        return null;
    }

    Boolean bool(Node node, String what) {
        if (node instanceof ScalarNode scalar && node.getTag().equals(Tag.BOOL)) {
            String value = scalar.getValue().toLowerCase(Locale.ROOT);
            if (value.equals("true")) {
                return true;
            }
            if (value.equals("false")) {
                return false;
            }
        }
        error(node, what + " must be true or false, found " + kind(node));
        return null;
    }

    /** An optional boolean key: false when absent or not a boolean (reported). */
    boolean flag(Map<String, NodeTuple> keys, String key, String where) {
        if (!keys.containsKey(key)) {
            return false;
        }
        Boolean value = bool(keys.get(key).getValueNode(), "'" + key + "' " + where);
        return value != null && value;
    }

    MappingNode mapping(Node node, String what) {
        if (node instanceof MappingNode mapping) {
            return mapping;
        }
        error(node, what + " must be a mapping, found " + kind(node));
        return null;
    }

    SequenceNode list(Node node, String what) {
        if (node instanceof SequenceNode sequence) {
            return sequence;
        }
        error(node, what + " must be a list, found " + kind(node));
        return null;
    }

    Pattern regex(Node node, String text, String what) {
        if (text == null) {
            return null;
        }
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            error(node, what + " is not a valid regular expression: " + e.getDescription()
                    + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
            return null;
        }
    }

    /** {@code <n>s}, {@code <n>m} or {@code <n>h}: more than zero, at most 24 hours. */
    Duration duration(Node node, String what) {
        String expected = what + " must be a duration such as 30s, 2m or 1h";
        if (!(node instanceof ScalarNode scalar) || !TEXT_TAGS.contains(node.getTag())) {
            error(node, expected + ", found " + kind(node));
            return null;
        }
        Matcher matcher = DURATION.matcher(scalar.getValue());
        if (!matcher.matches()) {
            error(node, expected + ", found " + kind(node));
            return null;
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration duration = switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
        if (duration.isZero()) {
            error(node, what + " must be longer than zero");
            return null;
        }
        if (duration.compareTo(MAX_DURATION) > 0) {
            error(node, what + " must be at most 24h, found " + scalar.getValue());
            return null;
        }
        return duration;
    }

    /** What was found instead of what was expected, in words, with untrusted text shortened. */
    String kind(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode scalar = (ScalarNode) node;
        Tag tag = node.getTag();
        if (!YamlDocument.ALLOWED_TAGS.contains(tag)) {
            return "a value with the tag '" + Text.shorten(tag.getValue(), 60) + "'";
        }
        if (tag.equals(Tag.NULL)) {
            return "nothing (null)";
        }
        if (tag.equals(Tag.INT)) {
            return "the integer " + Text.shorten(scalar.getValue(), 40);
        }
        if (tag.equals(Tag.FLOAT)) {
            return "the number " + Text.shorten(scalar.getValue(), 40);
        }
        if (tag.equals(Tag.BOOL)) {
            return "the boolean " + Text.shorten(scalar.getValue(), 40);
        }
        return "'" + Text.shorten(scalar.getValue(), 60) + "'";
    }
}
