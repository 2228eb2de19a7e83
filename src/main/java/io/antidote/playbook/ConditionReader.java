package io.antidote.playbook;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a step's {@code when} (docs/playbooks.md "Conditions"), and checks what it refers to once every
 * step is known: declared, non-secret parameters and outputs of steps that come before it.
 */
final class ConditionReader {

    private static final List<String> CONDITION_KEYS = List.of("param", "step", "output", "equals", "notEquals");

    private final YamlValues yaml;
    private final ExpectReader literals;
    /** Where each parsed condition was written, to report references it makes that turn out wrong. */
    private final Map<Condition, Node> conditionNodes = new IdentityHashMap<>();

    ConditionReader(YamlValues yaml, ExpectReader literals) {
        this.yaml = yaml;
        this.literals = literals;
    }

    /** {@code { param: p, equals: v }} or {@code { step: s, output: o, notEquals: v }}. */
    Condition read(Node node, String where) {
        String what = "'when' " + where;
        MappingNode mapping = yaml.mapping(node, what);
        if (mapping == null) {
            return null;
        }
        Map<String, NodeTuple> keys = yaml.keys(mapping, "in " + what, CONDITION_KEYS);
        int before = yaml.errorCount();
        Condition.Subject subject = null;
        if (keys.containsKey("param") == keys.containsKey("step")) {
            yaml.error(mapping, what + " needs either 'param' or 'step' (with 'output'), not " + (keys.containsKey("param")
                    ? "both" : "neither"));
        } else if (keys.containsKey("param")) {
            if (keys.containsKey("output")) {
                yaml.error(keys.get("output").getKeyNode(), "'output' " + where + " goes with 'step', not 'param'");
            }
            String param = yaml.text(keys.get("param").getValueNode(), "'param' in " + what);
            subject = param == null ? null : new Condition.ParamValue(param);
        } else {
            String step = yaml.name(keys.get("step").getValueNode(), "'step' in " + what);
            String output = null;
            if (!keys.containsKey("output")) {
                yaml.error(mapping, what + " names a step, so it needs 'output': which of its outputs to compare");
            } else {
                output = yaml.text(keys.get("output").getValueNode(), "'output' in " + what);
            }
            subject = step == null || output == null ? null : new Condition.StepOutput(step, output);
        }
        if (keys.containsKey("equals") == keys.containsKey("notEquals")) {
            yaml.error(mapping, what + " needs exactly one of 'equals' or 'notEquals'");
            return null;
        }
        boolean negated = keys.containsKey("notEquals");
        Node valueNode = keys.get(negated ? "notEquals" : "equals").getValueNode();
        JsonCheck.Equals literal = literals.literal(valueNode, "'" + (negated ? "notEquals" : "equals") + "' in " + what);
        if (subject == null || literal == null || yaml.errorCount() > before) {
            return null;
        }
        Condition condition = new Condition(subject, literal.value(), negated);
        conditionNodes.put(condition, mapping);
        return condition;
    }

    /** A condition may look at declared, non-secret parameters and at outputs of steps that come before it. */
    void checkReferences(List<Step> steps, Set<String> allIds, List<Param> declaredParams) {
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            Condition when = step.when();
            if (when == null) {
                continue;
            }
            Node node = conditionNodes.get(when);
            String where = "in the 'when' of step '" + step.id() + "'";
            if (when.subject() instanceof Condition.ParamValue ref) {
                Optional<Param> param = declaredParams.stream().filter(p -> p.name().equals(ref.param())).findFirst();
                if (param.isEmpty()) {
                    yaml.error(node, "unknown parameter '" + Text.shorten(ref.param()) + "' " + where + "; declared: "
                            + (declaredParams.isEmpty() ? "none"
                            : String.join(", ", declaredParams.stream().map(Param::name).toList())));
                } else if (param.get().type() == ParamType.SECRET) {
                    yaml.error(node, "parameter '" + ref.param() + "' " + where + " is a secret; a condition on it would"
                            + " reveal it in the run's events");
                }
                continue;
            }
            Condition.StepOutput ref = (Condition.StepOutput) when.subject();
            Optional<Step> earlier = steps.subList(0, i).stream().filter(s -> s.id().equals(ref.step())).findFirst();
            if (earlier.isPresent()) {
                if (!earlier.get().outputs().containsKey(ref.output())) {
                    yaml.error(node, "step '" + ref.step() + "' has no output '" + Text.shorten(ref.output()) + "' (" + where
                            + "); it declares: " + (earlier.get().outputs().isEmpty() ? "none"
                            : String.join(", ", earlier.get().outputs().keySet())));
                }
            } else if (ref.step().equals(step.id())) {
                yaml.error(node, "step '" + step.id() + "' refers to its own output " + where
                        + "; a condition can only use steps that run before it");
            } else if (steps.stream().anyMatch(s -> s.id().equals(ref.step()))) {
                yaml.error(node, "step '" + ref.step() + "' comes after step '" + step.id() + "' (" + where
                        + "); a condition can only use steps that run before it");
            } else if (!allIds.contains(ref.step())) {
                yaml.error(node, "unknown step '" + ref.step() + "' " + where);
            }
        }
    }
}
