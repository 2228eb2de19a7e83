package io.antidote.playbook;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.time.Duration;
import io.antidote.workflow.Verification;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a playbook's {@code steps}: each step's own script or library step, timeout, expectation,
 * condition, outputs and policies, then what the steps say about each other (conditions on earlier
 * outputs, compensations).
 */
final class StepsReader {

    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private static final List<String> STEP_KEYS = List.of("id", "description", "powershell", "timeout", "expect",
            "when", "outputs", "retry", "approval", "compensate", "keepOnFailure", "compensationOnly", "idempotent",
            "readOnly", "uses", "with", "restore", "verifies", "packagePins", "liftsMitigation", "holdsGroup");

    private final YamlValues yaml;
    private final List<Param> declaredParams;
    private final ScriptReader scripts;
    private final ExpectReader expectations;
    private final ConditionReader conditions;
    private final PolicyReader policies;
    private final UsesReader uses;

    StepsReader(YamlValues yaml, StepLibrary library, List<Param> declaredParams) {
        this.yaml = yaml;
        this.declaredParams = declaredParams;
        this.scripts = new ScriptReader(yaml);
        this.expectations = new ExpectReader(yaml);
        this.conditions = new ConditionReader(yaml, expectations);
        this.policies = new PolicyReader(yaml);
        this.uses = new UsesReader(yaml, library, declaredParams);
    }

    /** The library steps the steps read so far use, by name. */
    Map<String, LibraryStep> usedLibrarySteps() {
        return uses.used();
    }

    List<Step> read(Node node) {
        SequenceNode list = yaml.list(node, "'steps'");
        if (list == null) {
            return List.of();
        }
        if (list.getValue().isEmpty()) {
            yaml.error(node, "'steps' must list at least one step");
        }
        List<Step> steps = new ArrayList<>();
        Map<String, Node> ids = new HashMap<>();
        int index = 0;
        for (Node item : list.getValue()) {
            index++;
            Step step = step(item, index, ids);
            if (step != null) {
                steps.add(step);
            }
        }
        conditions.checkReferences(steps, ids.keySet(), declaredParams);
        checkRestore(steps, node);
        return steps;
    }

    /** Each 'compensate' names another step of {@code steps}: called once, with every step of the playbook. */
    void checkCompensations(List<Step> steps) {
        policies.checkCompensations(steps);
    }

    private Step step(Node node, int index, Map<String, Node> ids) {
        if (!(node instanceof MappingNode mapping)) {
            yaml.error(node, "step " + index + " must be a mapping with at least 'id' and 'powershell', found "
                    + yaml.kind(node));
            return null;
        }
        String peekedId = YamlValues.peekText(mapping, "id");
        String label = peekedId != null && YamlValues.NAME.matcher(peekedId).matches()
                && peekedId.length() <= YamlValues.MAX_NAME_LENGTH ? "step '" + peekedId + "'" : "step " + index;
        String where = "in " + label;
        Map<String, NodeTuple> keys = yaml.keys(mapping, where, STEP_KEYS);
        int before = yaml.errorCount();

        String id = null;
        if (!keys.containsKey("id")) {
            yaml.error(mapping, "missing required key 'id' " + where);
        } else {
            Node idNode = keys.get("id").getValueNode();
            id = yaml.name(idNode, "'id' " + where);
            if (id != null) {
                Node first = ids.putIfAbsent(id, idNode);
                if (first != null) {
                    yaml.error(idNode, "duplicate step id '" + id + "'; the first step with this id is at line "
                            + YamlDocument.line(first));
                }
            }
        }
        String description = yaml.optionalText(keys, "description", "'description' " + where);

        Uses library = null;
        String powershell = null;
        if (keys.containsKey("uses")) {
            if (keys.containsKey("powershell")) {
                yaml.error(keys.get("powershell").getKeyNode(), "'powershell' " + where + " cannot go with 'uses': a step"
                        + " runs its own script or a library step's, not both");
            }
            if (keys.containsKey("expect")) {
                yaml.error(keys.get("expect").getKeyNode(), "'expect' " + where + " cannot go with 'uses': what a good"
                        + " outcome looks like is part of the library step");
            }
            library = uses.read(keys.get("uses").getValueNode(), keys.get("with"), where);
            powershell = library == null ? null : library.step().powershell();
        } else {
            if (keys.containsKey("with")) {
                yaml.error(keys.get("with").getKeyNode(), "'with' " + where + " sets the inputs of a library step,"
                        + " so it needs 'uses'");
            }
            powershell = scripts.read(keys, mapping, where);
        }

        Duration timeout = library != null && library.step().timeout() != null ? library.step().timeout() : DEFAULT_TIMEOUT;
        if (keys.containsKey("timeout")) {
            Duration parsed = yaml.duration(keys.get("timeout").getValueNode(), "'timeout' " + where);
            timeout = parsed != null ? parsed : timeout;
        }
        Expectation expect = library != null ? library.step().expect() : Expectation.SUCCESS;
        if (keys.containsKey("expect") && library == null) {
            expect = expectations.read(keys.get("expect").getValueNode(), label);
        }
        Condition when = keys.containsKey("when") ? conditions.read(keys.get("when").getValueNode(), where) : null;
        Map<String, String> outputs = keys.containsKey("outputs")
                ? outputs(keys.get("outputs").getValueNode(), where) : Map.of();
        StepPolicy policy = policies.read(keys, where, id);
        if (library != null) {
            // The library step's retry, idempotence and read-only hold unless this step sets its own.
            policy = new StepPolicy(keys.containsKey("retry") ? policy.retry() : library.step().retry(),
                    policy.approval(), policy.compensate(), policy.keepOnFailure(), policy.compensationOnly(),
                    keys.containsKey("idempotent") ? policy.idempotent() : library.step().idempotent(),
                    keys.containsKey("readOnly") ? policy.readOnly() : library.step().readOnly());
        }
        boolean restore = yaml.flag(keys, "restore", where);
        boolean packagePins = yaml.flag(keys, "packagePins", where);
        boolean liftsMitigation = yaml.flag(keys, "liftsMitigation", where);
        if (policy.readOnly() && keys.containsKey("readOnly") && (restore || liftsMitigation
                || policy.compensate() != null)) {
            // All three change the server: running it again blindly after a lost outcome is what readOnly allows.
            yaml.error(keys.get("readOnly").getKeyNode(), "'readOnly' " + where + " cannot be true for a step that "
                    + (restore ? "returns the server to service ('restore')" : liftsMitigation
                    ? "takes a mitigation away ('liftsMitigation')" : "is undone by another ('compensate')")
                    + ": such a step changes the server");
        }
        boolean holdsGroup = yaml.flag(keys, "holdsGroup", where);
        if (holdsGroup && policy.compensate() == null) {
            // Without an undo Antidote could never end the maintenance, and the DAG would stay held for good.
            yaml.error(keys.get("holdsGroup").getKeyNode(), "'holdsGroup' " + where + " needs 'compensate': the step"
                    + " that ends the maintenance, which lets the group go");
        }
        Set<Verification> verifies = keys.containsKey("verifies")
                ? verifies(keys.get("verifies").getValueNode(), where) : Set.of();
        if (yaml.errorCount() > before || id == null || powershell == null || expect == null) {
            return null;
        }
        return new Step(id, description, powershell, timeout, expect, when, outputs, policy, library, restore,
                verifies, packagePins, liftsMitigation, holdsGroup);
    }

    /** {@code verifies: fixed} or a list of {@code fixed}, {@code mitigated}, {@code clean}. */
    private Set<Verification> verifies(Node node, String where) {
        List<Node> items = node instanceof SequenceNode list ? list.getValue() : List.of(node);
        Set<Verification> verifies = EnumSet.noneOf(Verification.class);
        for (Node item : items) {
            String word = yaml.text(item, "'verifies' " + where);
            if (word == null) {
                continue;
            }
            try {
                verifies.add(Verification.valueOf(word.toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                yaml.error(item, "'verifies' " + where + " must be fixed, mitigated or clean (or a list of them), found '"
                        + Text.shorten(word) + "'");
            }
        }
        return verifies;
    }

    /** At most one step returns the server to service, and it is not only another's undo. */
    void checkRestore(List<Step> steps, Node stepsNode) {
        List<String> restoring = steps.stream().filter(Step::restore).map(Step::id).toList();
        if (restoring.size() > 1) {
            yaml.error(stepsNode, "only one step may be marked 'restore: true', found " + String.join(", ", restoring));
        }
    }

    /** {@code outputs: { name: jsonField }}: names are PowerShell variable names, fields are top-level JSON fields. */
    private Map<String, String> outputs(Node node, String where) {
        MappingNode mapping = yaml.mapping(node, "'outputs' " + where);
        if (mapping == null) {
            return Map.of();
        }
        Map<String, String> outputs = new LinkedHashMap<>();
        yaml.keys(mapping, "in 'outputs' " + where, null).forEach((name, tuple) -> {
            if (!ParamsReader.PARAM_NAME.matcher(name).matches() || name.length() > YamlValues.MAX_NAME_LENGTH) {
                yaml.error(tuple.getKeyNode(), "output name '" + Text.shorten(name) + "' " + where + " must be letters,"
                        + " digits and underscores, not starting with a digit, at most " + YamlValues.MAX_NAME_LENGTH
                        + " characters");
                return;
            }
            String field = yaml.text(tuple.getValueNode(), "the JSON field of output '" + name + "' " + where);
            if (field != null && field.isEmpty()) {
                yaml.error(tuple.getValueNode(), "the JSON field of output '" + name + "' " + where + " must not be empty");
            } else if (field != null) {
                outputs.put(name, field);
            }
        });
        return outputs;
    }
}
