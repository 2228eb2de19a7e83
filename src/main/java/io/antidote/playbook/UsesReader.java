package io.antidote.playbook;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads a step's {@code uses: <library step>} and {@code with: { input: value | { param: name } }}
 * (docs/playbooks.md "Step library"), and keeps the library steps the playbook uses: they are part of
 * its identity.
 */
final class UsesReader {

    private final YamlValues yaml;
    private final StepLibrary library;
    private final List<Param> declaredParams;
    /** The library steps this playbook uses, by name. */
    private final Map<String, LibraryStep> used = new TreeMap<>();

    UsesReader(YamlValues yaml, StepLibrary library, List<Param> declaredParams) {
        this.yaml = yaml;
        this.library = library;
        this.declaredParams = declaredParams;
    }

    Map<String, LibraryStep> used() {
        return used;
    }

    Uses read(Node node, NodeTuple withTuple, String where) {
        String name = yaml.text(node, "'uses' " + where);
        if (name == null) {
            return null;
        }
        LibraryStep step = library.steps().get(name);
        if (step == null) {
            ParseResult.Invalid broken = library.invalid().get(name);
            if (broken != null) {
                yaml.error(node, "library step '" + name + "' " + where + " has errors in " + broken.file()
                        + " (listed below); this playbook cannot load until they are fixed");
                yaml.document().addOtherFileErrors(broken.errors());
            } else {
                yaml.error(node, "unknown library step '" + Text.shorten(name) + "' " + where + "; the step library"
                        + " (playbooks/steps/) has: " + (library.steps().isEmpty() ? "none"
                        : String.join(", ", library.steps().keySet())));
            }
            return null;
        }
        used.put(name, step);
        Set<String> present = new LinkedHashSet<>();
        Map<String, Uses.Binding> with = new LinkedHashMap<>();
        if (withTuple != null) {
            MappingNode mapping = yaml.mapping(withTuple.getValueNode(), "'with' " + where);
            if (mapping != null) {
                yaml.keys(mapping, "in 'with' " + where, null).forEach((input, tuple) -> {
                    present.add(input);
                    Uses.Binding binding = binding(step, input, tuple, where);
                    if (binding != null) {
                        with.put(input, binding);
                    }
                });
            }
        }
        for (Param input : step.inputs()) {
            if (input.required() && !present.contains(input.name())) {
                yaml.error(node, "missing required input '" + input.name() + "' of library step '" + name + "' " + where
                        + "; set it under 'with'");
            }
        }
        return new Uses(step, with);
    }

    private Uses.Binding binding(LibraryStep step, String inputName, NodeTuple tuple, String where) {
        Optional<Param> declared = step.input(inputName);
        if (declared.isEmpty()) {
            yaml.error(tuple.getKeyNode(), "unknown input '" + Text.shorten(inputName) + "' in 'with' " + where
                    + "; library step '" + step.name() + "' takes: " + (step.inputs().isEmpty() ? "no inputs"
                    : String.join(", ", step.inputs().stream().map(Param::name).toList())));
            return null;
        }
        Param input = declared.get();
        String what = "input '" + inputName + "' " + where;
        Node value = tuple.getValueNode();
        if (value instanceof MappingNode ref) {
            return paramRef(step, input, ref, what);
        }
        if (input.type() == ParamType.SECRET) {
            yaml.error(value, what + " is a secret: set it from a secret parameter, {param: <name>}; secrets are"
                    + " never written in a playbook");
            return null;
        }
        if (input.type() == ParamType.SOURCE) {
            yaml.error(value, what + " is a patch source: set it from a source parameter, {param: <name>}, which a run"
                    + " resolves against the configured sources");
            return null;
        }
        Object literal = switch (input.type()) {
            case INTEGER -> yaml.integer(value, what);
            case BOOLEAN -> yaml.bool(value, what);
            default -> {
                String text = value instanceof ScalarNode && YamlValues.TEXT_TAGS.contains(value.getTag())
                        ? ((ScalarNode) value).getValue() : null;
                if (text == null) {
                    yaml.error(value, what + " must be a string or {param: <name>}, found " + yaml.kind(value));
                } else if (input.type() == ParamType.ENUM && !input.values().contains(text)) {
                    yaml.error(value, what + " is '" + Text.shorten(text) + "', which is not one of its values: "
                            + String.join(", ", input.values()));
                    text = null;
                } else if (input.pattern() != null && !Pattern.compile(input.pattern()).matcher(text).matches()) {
                    yaml.error(value, what + " is '" + Text.shorten(text) + "', which does not match its pattern "
                            + Text.shorten(input.pattern()));
                    text = null;
                }
                yield text;
            }
        };
        return literal == null ? null : new Uses.Literal(literal);
    }

    private Uses.Binding paramRef(LibraryStep step, Param input, MappingNode ref, String what) {
        Map<String, NodeTuple> keys = yaml.keys(ref, "in " + what, List.of("param"));
        if (!keys.containsKey("param")) {
            if (ref.getValue().isEmpty()) {
                yaml.error(ref, what + " must be a value or {param: <name>}, found an empty mapping");
            }
            return null;
        }
        Node nameNode = keys.get("param").getValueNode();
        String paramName = yaml.text(nameNode, "'param' in " + what);
        if (paramName == null) {
            return null;
        }
        Optional<Param> found = declaredParams.stream().filter(p -> p.name().equals(paramName)).findFirst();
        if (found.isEmpty()) {
            yaml.error(nameNode, "unknown parameter '" + Text.shorten(paramName) + "' in " + what + "; declared: "
                    + (declaredParams.isEmpty() ? "none"
                    : String.join(", ", declaredParams.stream().map(Param::name).toList())));
            return null;
        }
        Param param = found.get();
        String mismatch = InputTypes.mismatch(param, input);
        if (mismatch != null) {
            yaml.error(nameNode, mismatch + " (" + what + ", library step '" + step.name() + "')");
            return null;
        }
        if (input.required() && !param.required() && param.defaultValue() == null) {
            yaml.error(nameNode, "input '" + input.name() + "' of library step '" + step.name() + "' is required, but"
                    + " parameter '" + param.name() + "' is optional and has no default (" + what + ")");
            return null;
        }
        return new Uses.ParamRef(param.name());
    }
}
