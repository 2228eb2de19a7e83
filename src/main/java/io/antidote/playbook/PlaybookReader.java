package io.antidote.playbook;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a playbook's top level (name, description, version, references) and hands each section to its
 * reader: params, steps, strategy, targets.
 */
final class PlaybookReader {

    private static final List<String> TOP_KEYS = List.of("name", "description", "version", "references", "params", "steps",
            "strategy", "targets");
    private static final List<String> REFERENCE_KEYS = List.of("cves", "kbs", "links");
    private static final Map<String, Pattern> REFERENCE_FORMATS = Map.of(
            "cves", Pattern.compile("CVE-[0-9]{4}-[0-9]{4,}"),
            "kbs", Pattern.compile("KB[0-9]{6,8}"),
            "links", Pattern.compile("https?://[^\\s]+"));
    private static final Map<String, String> REFERENCE_EXAMPLES = Map.of(
            "cves", "a CVE id such as CVE-2021-26855",
            "kbs", "a KB number such as KB5000871",
            "links", "an http(s) URL");

    private final YamlValues yaml;
    private final StepLibrary library;

    private PlaybookReader(YamlDocument document, StepLibrary library) {
        this.yaml = new YamlValues(document);
        this.library = library;
    }

    /** The playbook in {@code document}, whose steps may use the steps of {@code library}, or every problem in it. */
    static ParseResult read(YamlDocument document, StepLibrary library) {
        Node root = document.root("the playbook", "a mapping with at least 'name' and 'steps'");
        Playbook playbook = root == null ? null : new PlaybookReader(document, library).playbook(root);
        if (document.hasErrors() || playbook == null) {
            return document.invalid();
        }
        return new ParseResult.Valid(playbook);
    }

    private Playbook playbook(Node root) {
        if (!(root instanceof MappingNode top)) {
            yaml.error(root, "a playbook must be a mapping with at least 'name' and 'steps', found " + yaml.kind(root));
            return null;
        }
        Map<String, NodeTuple> keys = yaml.keys(top, "at the top level", TOP_KEYS);

        String name = null;
        if (!keys.containsKey("name")) {
            yaml.error(top, "missing required key 'name' at the top level");
        } else {
            name = yaml.name(keys.get("name").getValueNode(), "'name'");
        }
        String description = yaml.optionalText(keys, "description", "'description'");
        int version = 1;
        if (keys.containsKey("version")) {
            Node node = keys.get("version").getValueNode();
            Long number = yaml.integer(node, "'version'");
            if (number != null && (number < 1 || number > Integer.MAX_VALUE)) {
                yaml.error(node, "'version' must be a positive integer, found " + number);
            } else if (number != null) {
                version = number.intValue();
            }
        }
        Map<String, List<String>> references = keys.containsKey("references")
                ? references(keys.get("references").getValueNode()) : Map.of();
        List<Param> params = keys.containsKey("params")
                ? new ParamsReader(yaml).read(keys.get("params").getValueNode(), "params") : List.of();
        StepsReader stepsReader = new StepsReader(yaml, library, params);
        List<Step> steps = List.of();
        if (!keys.containsKey("steps")) {
            yaml.error(top, "missing required key 'steps' at the top level");
        } else {
            steps = stepsReader.read(keys.get("steps").getValueNode());
        }
        stepsReader.checkCompensations(steps);
        Rollout rollout = keys.containsKey("strategy")
                ? new StrategyReader(yaml).read(keys.get("strategy").getValueNode()) : Rollout.DEFAULT;
        TargetSelector targets = keys.containsKey("targets")
                ? new TargetsReader(yaml).read(keys.get("targets").getValueNode()) : TargetSelector.NONE;
        if (yaml.document().hasErrors()) {
            return null;
        }
        YamlDocument document = yaml.document();
        Map<String, LibraryStep> used = stepsReader.usedLibrarySteps();
        String digest = Sha256.hex(VersionText.of(document.source(), used));
        return new Playbook(name, description, version, references, params, steps, document.file(), document.source(),
                digest, rollout, used, targets);
    }

    private Map<String, List<String>> references(Node node) {
        MappingNode mapping = yaml.mapping(node, "'references'");
        if (mapping == null) {
            return Map.of();
        }
        Map<String, List<String>> references = new LinkedHashMap<>();
        yaml.keys(mapping, "in references", REFERENCE_KEYS).forEach((kind, tuple) -> {
            SequenceNode list = yaml.list(tuple.getValueNode(), "'" + kind + "' in references");
            if (list == null) {
                return;
            }
            List<String> items = new ArrayList<>();
            for (Node item : list.getValue()) {
                String text = yaml.text(item, "each of '" + kind + "' in references");
                if (text == null) {
                    continue;
                }
                if (!REFERENCE_FORMATS.get(kind).matcher(text).matches()) {
                    yaml.error(item, "each of '" + kind + "' in references must be " + REFERENCE_EXAMPLES.get(kind)
                            + ", found '" + Text.shorten(text) + "'");
                } else {
                    items.add(text);
                }
            }
            references.put(kind, items);
        });
        return references;
    }
}
