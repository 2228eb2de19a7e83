package io.antidote.playbook;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Which inventory targets a run acts on: these names, plus every target carrying all of these labels.
 * Resolved once, when a run is requested; the run records the names it resolved to.
 */
public record TargetSelector(List<String> names, Map<String, String> labels) {

    public static final TargetSelector NONE = new TargetSelector(List.of(), Map.of());

    public TargetSelector {
        names = names == null ? List.of() : List.copyOf(names);
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    public boolean isEmpty() {
        return names.isEmpty() && labels.isEmpty();
    }

    /** Whether a target with these labels carries every label of the selector (false when it has none). */
    public boolean matches(Map<String, String> targetLabels) {
        return !labels.isEmpty() && labels.entrySet().stream()
                .allMatch(label -> label.getValue().equals(targetLabels.get(label.getKey())));
    }

    /** {@code role=mailbox, site=ams}: how errors name a label selector. */
    public String describeLabels() {
        return labels.entrySet().stream().map(label -> label.getKey() + "=" + label.getValue())
                .collect(Collectors.joining(", "));
    }
}
