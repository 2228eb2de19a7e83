package io.antidote.playbook;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads how a step may be retried, approved and undone (docs/playbooks.md "Step policies"). Which step a
 * {@code compensate} names is checked once every step of the playbook is known.
 */
final class PolicyReader {

    private static final List<String> RETRY_KEYS = List.of("attempts", "backoff", "delay", "maxDelay", "retryOn", "exitCodes");
    private static final List<String> RETRY_ON = List.of("connection", "timeout");
    private static final List<String> APPROVAL_KEYS = List.of("role", "timeout", "requesterMayApprove");

    private final YamlValues yaml;
    /** Step id to the node of its 'compensate', checked once every step is known. */
    private final Map<String, Node> compensateNodes = new LinkedHashMap<>();

    PolicyReader(YamlValues yaml) {
        this.yaml = yaml;
    }

    StepPolicy read(Map<String, NodeTuple> keys, String where, String id) {
        StepPolicy.Retry retry = keys.containsKey("retry") ? retry(keys.get("retry").getValueNode(), where)
                : StepPolicy.Retry.NONE;
        StepPolicy.Approval approval = keys.containsKey("approval")
                ? approval(keys.get("approval").getValueNode(), where) : null;
        String compensate = null;
        if (keys.containsKey("compensate")) {
            Node node = keys.get("compensate").getValueNode();
            compensate = yaml.name(node, "'compensate' " + where);
            if (compensate != null && id != null) {
                compensateNodes.put(id, node);
            }
        }
        boolean keepOnFailure = yaml.flag(keys, "keepOnFailure", where);
        if (keepOnFailure && compensate == null && keys.containsKey("keepOnFailure")) {
            yaml.error(keys.get("keepOnFailure").getKeyNode(), "'keepOnFailure' " + where
                    + " only means something with 'compensate' (the step that would undo it)");
        }
        return new StepPolicy(retry, approval, compensate, keepOnFailure, yaml.flag(keys, "compensationOnly", where),
                yaml.flag(keys, "idempotent", where), yaml.flag(keys, "readOnly", where));
    }

    StepPolicy.Retry retry(Node node, String where) {
        String in = "in the retry " + where;
        MappingNode mapping = yaml.mapping(node, "'retry' " + where);
        if (mapping == null) {
            return StepPolicy.Retry.NONE;
        }
        Map<String, NodeTuple> keys = yaml.keys(mapping, in, RETRY_KEYS);
        int attempts = 1;
        if (!keys.containsKey("attempts")) {
            yaml.error(mapping, "missing required key 'attempts' " + in);
        } else {
            Node n = keys.get("attempts").getValueNode();
            Long value = yaml.integer(n, "'attempts' " + in);
            if (value != null && (value < 1 || value > 20)) {
                yaml.error(n, "'attempts' " + in + " must be between 1 and 20, found " + value);
            } else if (value != null) {
                attempts = value.intValue();
            }
        }
        boolean exponential = false;
        if (keys.containsKey("backoff")) {
            Node n = keys.get("backoff").getValueNode();
            String text = yaml.text(n, "'backoff' " + in);
            if (text != null && !text.equals("fixed") && !text.equals("exponential")) {
                yaml.error(n, "'backoff' " + in + " must be fixed or exponential, found '" + Text.shorten(text) + "'");
            }
            exponential = "exponential".equals(text);
        }
        Duration delay = keys.containsKey("delay") ? yaml.duration(keys.get("delay").getValueNode(), "'delay' " + in)
                : Duration.ofSeconds(10);
        Duration maxDelay = keys.containsKey("maxDelay")
                ? yaml.duration(keys.get("maxDelay").getValueNode(), "'maxDelay' " + in) : null;
        delay = delay == null ? Duration.ZERO : delay;
        maxDelay = maxDelay == null ? delay : maxDelay;
        if (keys.containsKey("maxDelay") && maxDelay.compareTo(delay) < 0) {
            yaml.error(keys.get("maxDelay").getValueNode(), "'maxDelay' " + in + " must not be shorter than 'delay'");
        }
        // Not 'on': YAML 1.1 tools read a bare on as the boolean true.
        Set<String> on = new LinkedHashSet<>();
        if (keys.containsKey("retryOn")) {
            SequenceNode list = yaml.list(keys.get("retryOn").getValueNode(), "'retryOn' " + in);
            for (Node item : list == null ? List.<Node>of() : list.getValue()) {
                String kind = yaml.text(item, "each of 'retryOn' " + in);
                if (kind != null && !RETRY_ON.contains(kind)) {
                    yaml.error(item, "each of 'retryOn' " + in + " must be one of: " + String.join(", ", RETRY_ON)
                            + ", found '" + Text.shorten(kind) + "'");
                } else if (kind != null) {
                    on.add(kind);
                }
            }
        }
        Set<Integer> exitCodes = new LinkedHashSet<>();
        if (keys.containsKey("exitCodes")) {
            SequenceNode list = yaml.list(keys.get("exitCodes").getValueNode(), "'exitCodes' " + in);
            for (Node item : list == null ? List.<Node>of() : list.getValue()) {
                Long code = yaml.integer(item, "each of 'exitCodes' " + in);
                if (code != null && (code < Integer.MIN_VALUE || code > Integer.MAX_VALUE || code == 0)) {
                    yaml.error(item, "each of 'exitCodes' " + in + " must be a non-zero 32-bit exit code, found " + code);
                } else if (code != null) {
                    exitCodes.add(code.intValue());
                }
            }
        }
        if (on.isEmpty() && exitCodes.isEmpty()) {
            yaml.error(mapping, "the retry " + where + " names no failure to retry: add 'retryOn' (connection, timeout)"
                    + " or 'exitCodes'");
        }
        return new StepPolicy.Retry(attempts, exponential, delay, maxDelay, on, exitCodes);
    }

    private StepPolicy.Approval approval(Node node, String where) {
        String in = "in the approval " + where;
        MappingNode mapping = yaml.mapping(node, "'approval' " + where);
        if (mapping == null) {
            return null;
        }
        Map<String, NodeTuple> keys = yaml.keys(mapping, in, APPROVAL_KEYS);
        String role = null;
        if (!keys.containsKey("role")) {
            yaml.error(mapping, "missing required key 'role' " + in);
        } else {
            role = yaml.name(keys.get("role").getValueNode(), "'role' " + in);
        }
        Duration timeout = keys.containsKey("timeout")
                ? yaml.duration(keys.get("timeout").getValueNode(), "'timeout' " + in) : null;
        boolean requesterMay = yaml.flag(keys, "requesterMayApprove", in);
        return new StepPolicy.Approval(role, timeout, requesterMay);
    }

    /** Each 'compensate' read so far names another step of {@code steps}. */
    void checkCompensations(List<Step> steps) {
        Set<String> ids = new LinkedHashSet<>();
        steps.forEach(s -> ids.add(s.id()));
        compensateNodes.forEach((id, node) -> {
            String undo = ((ScalarNode) node).getValue();
            if (undo.equals(id)) {
                yaml.error(node, "step '" + id + "' cannot undo itself; 'compensate' names another step");
            } else if (!ids.contains(undo)) {
                yaml.error(node, "'compensate' in step '" + id + "' names step '" + Text.shorten(undo)
                        + "', which is not a step of this playbook");
            }
        });
    }
}
