package io.antidote.winrm;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The YAML inventory ({@code antidote.inventory.file}):
 *
 * <pre>
 * targets:
 *   - name: ex01
 *     address: ex01.contoso.local
 *     port: 5986                 # default 5986 for https, 5985 for http
 *     scheme: https              # https (default) or http, which must be asked for
 *     auth: ntlm                 # ntlm (default), negotiate, kerberos, basic (https only)
 *     credential: exchange-admins
 *     verify-certificate: true   # false turns TLS validation off for this target (logged)
 *     labels: {version: "2016", dag: DAG1, site: AMS, role: mailbox}
 * </pre>
 *
 * An entry that is wrong is reported with the file, line and column and left out; the others stand.
 */
final class InventoryFile {

    private static final Set<String> KEYS = Set.of("name", "address", "port", "scheme", "auth", "credential",
            "verify-certificate", "labels");

    /** What a source of targets yielded: the valid targets and what was wrong with the others. */
    record Parsed(List<Target> targets, List<InventoryError> errors) {
    }

    private InventoryFile() {
    }

    static Parsed parse(String file, String source) {
        List<Target> targets = new ArrayList<>();
        List<InventoryError> errors = new ArrayList<>();
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            root = new Yaml(new SafeConstructor(options)).compose(new StringReader(source));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark();
            errors.add(new InventoryError(file, mark == null ? 0 : mark.getLine() + 1, mark == null ? 0 : mark.getColumn() + 1,
                    null, "not valid YAML: " + e.getProblem()));
            return new Parsed(targets, errors);
        } catch (RuntimeException e) {
            errors.add(new InventoryError(file, 0, 0, null, "not valid YAML: " + e.getClass().getSimpleName()));
            return new Parsed(targets, errors);
        }
        if (root == null) {
            return new Parsed(targets, errors);
        }
        Node list = root instanceof MappingNode top ? value(top, "targets") : null;
        if (!(list instanceof SequenceNode sequence)) {
            errors.add(error(file, list == null ? root : list, null, "expected a 'targets:' list at the top"));
            return new Parsed(targets, errors);
        }
        Set<String> names = new HashSet<>();
        for (Node entry : sequence.getValue()) {
            try {
                Target target = target(file, entry);
                if (!names.add(target.name())) {
                    throw new Invalid(entry, "target '" + target.name() + "' is listed twice");
                }
                targets.add(target);
            } catch (Invalid e) {
                errors.add(error(file, e.node, nameOf(entry), e.getMessage()));
            }
        }
        return new Parsed(targets, errors);
    }

    private static Target target(String file, Node entry) {
        if (!(entry instanceof MappingNode mapping)) {
            throw new Invalid(entry, "a target is a mapping of name, address, ...");
        }
        for (NodeTuple tuple : mapping.getValue()) {
            String key = scalar(tuple.getKeyNode());
            if (!KEYS.contains(key)) {
                throw new Invalid(tuple.getKeyNode(), "unknown key '" + key + "' (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        String name = required(mapping, "name");
        String address = required(mapping, "address");
        String credential = required(mapping, "credential");
        Target.Scheme scheme = choice(mapping, "scheme", Target.Scheme.class, Target.Scheme.HTTPS);
        Target.AuthScheme auth = choice(mapping, "auth", Target.AuthScheme.class, Target.AuthScheme.NTLM);
        Node portNode = value(mapping, "port");
        int port = scheme == Target.Scheme.HTTPS ? 5986 : 5985;
        if (portNode != null) {
            try {
                port = Integer.parseInt(scalar(portNode));
            } catch (NumberFormatException e) {
                throw new Invalid(portNode, "port must be a number");
            }
        }
        Node verifyNode = value(mapping, "verify-certificate");
        boolean verify = true;
        if (verifyNode != null) {
            String text = scalar(verifyNode);
            if (!text.equals("true") && !text.equals("false")) {
                throw new Invalid(verifyNode, "verify-certificate must be true or false");
            }
            verify = Boolean.parseBoolean(text);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        Node labelsNode = value(mapping, "labels");
        if (labelsNode != null) {
            if (!(labelsNode instanceof MappingNode labelMap)) {
                throw new Invalid(labelsNode, "labels must be a mapping such as {version: \"2016\", site: AMS}");
            }
            for (NodeTuple tuple : labelMap.getValue()) {
                labels.put(scalar(tuple.getKeyNode()), scalar(tuple.getValueNode()));
            }
        }
        try {
            return Inventory.validated(new Target(name, address, port, scheme, auth, credential, labels, verify));
        } catch (IllegalArgumentException e) {
            throw new Invalid(entry, e.getMessage());
        }
    }

    private static <E extends Enum<E>> E choice(MappingNode mapping, String key, Class<E> type, E otherwise) {
        Node node = value(mapping, key);
        if (node == null) {
            return otherwise;
        }
        String text = scalar(node);
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Invalid(node, key + " '" + text + "' is not one of "
                    + java.util.Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
        }
    }

    private static String required(MappingNode mapping, String key) {
        Node node = value(mapping, key);
        if (node == null) {
            throw new Invalid(mapping, "'" + key + "' is required");
        }
        String text = scalar(node);
        if (text.isBlank()) {
            throw new Invalid(node, "'" + key + "' must not be empty");
        }
        return text;
    }

    private static Node value(MappingNode mapping, String key) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return tuple.getValueNode();
            }
        }
        return null;
    }

    private static String scalar(Node node) {
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        throw new Invalid(node, "expected a single value here");
    }

    private static String nameOf(Node entry) {
        if (entry instanceof MappingNode mapping && value(mapping, "name") instanceof ScalarNode name) {
            return name.getValue();
        }
        return null;
    }

    private static InventoryError error(String file, Node node, String target, String message) {
        Mark mark = node.getStartMark();
        return new InventoryError(file, mark.getLine() + 1, mark.getColumn() + 1, target, message);
    }

    private static final class Invalid extends RuntimeException {
        final Node node;

        Invalid(Node node, String message) {
            super(message, null, false, false);
            this.node = node;
        }
    }
}
