package io.antidote.playbook;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What to do with an alert (a rule file under {@code playbooks/rules}, docs/alerts.md): which alerts it matches,
 * which playbook it requests with which parameters, whether a person approves before the run's first step, and
 * for how long further alerts of the same server are folded into the run it requested.
 *
 * @param sources      the alert sources it matches, lower case; empty for any source
 * @param types        the alert types (indicators) it matches, lower case; never empty
 * @param severity     the lowest severity it matches
 * @param serverLabels labels the alert's server must carry in the inventory; empty for any server
 * @param params       the run's parameters, as a request body would carry them
 * @param dedupWindow  how long after a run it requested a further alert of the same server is deduplicated
 */
public record AlertRule(String name, String description, String file, Set<String> sources, Set<String> types,
                        Severity severity, Map<String, String> serverLabels, String playbook,
                        Map<String, Object> params, boolean approvalRequired, Duration dedupWindow) {

    public AlertRule {
        sources = Set.copyOf(sources);
        types = Set.copyOf(types);
        serverLabels = Map.copyOf(serverLabels);
        params = Map.copyOf(params);
    }

    /** Whether an alert of this source, type and severity, about a server with these labels, is this rule's. */
    public boolean matches(String source, String type, Severity alertSeverity, Map<String, String> labels) {
        return (sources.isEmpty() || sources.contains(source.toLowerCase(Locale.ROOT)))
                && types.contains(type.toLowerCase(Locale.ROOT))
                && alertSeverity.atLeast(severity)
                && serverLabels.entrySet().stream().allMatch(l -> l.getValue().equals(labels.get(l.getKey())));
    }
}
