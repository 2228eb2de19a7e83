package io.antidote.engine;

import io.antidote.playbook.Param;
import io.antidote.playbook.ParamResolver;
import io.antidote.playbook.ParamType;
import io.antidote.playbook.Playbook;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values of secret parameters, which never enter an event. They are held in this process's memory only:
 * a run resumed after a restart that needs one fails its step with a clear reason instead of running
 * with a placeholder. (A sealed, durable secret store is future work.)
 */
@ApplicationScoped
public class RunSecrets {

    private final Map<UUID, Map<String, Object>> byRun = new ConcurrentHashMap<>();

    /** Splits resolved parameters: returns what may be recorded, and keeps the secret values aside. */
    Map<String, Object> keepAside(UUID runId, Playbook playbook, Map<String, Object> params) {
        Map<String, Object> secrets = new HashMap<>();
        for (Param p : playbook.params()) {
            if (p.type() == ParamType.SECRET && params.containsKey(p.name())) {
                secrets.put(p.name(), params.get(p.name()));
            }
        }
        Map<String, Object> recorded = ParamResolver.redacted(playbook, params);
        if (!secrets.isEmpty()) {
            byRun.put(runId, secrets);
        }
        return recorded;
    }

    /** The parameters to render into a script: recorded ones with the secret values put back. */
    Map<String, Object> restore(UUID runId, List<Param> declared, Map<String, Object> recorded) {
        Map<String, Object> values = new HashMap<>(recorded);
        Map<String, Object> secrets = byRun.getOrDefault(runId, Map.of());
        for (Param p : declared) {
            if (p.type() == ParamType.SECRET && recorded.containsKey(p.name())) {
                Object value = secrets.get(p.name());
                if (value == null) {
                    throw new IllegalStateException("secret parameter '" + p.name()
                            + "' is no longer available (secrets are held in memory only and the service restarted)");
                }
                values.put(p.name(), value);
            }
        }
        return values;
    }

    /**
     * Gives a retry ({@code to}) the secret values of the run it goes on from: the recorded parameters are the same,
     * the secrets were never recorded. Refused when this process no longer holds one (it restarted since): a retry
     * must not start that would fail at its first step needing it.
     */
    void carryOver(UUID from, UUID to, List<Param> declared, Map<String, Object> recorded) {
        Map<String, Object> held = byRun.getOrDefault(from, Map.of());
        Map<String, Object> secrets = new HashMap<>();
        for (Param p : declared) {
            if (p.type() == ParamType.SECRET && recorded.containsKey(p.name())) {
                Object value = held.get(p.name());
                if (value == null) {
                    throw new io.antidote.workflow.CommandRejected("run " + from + " has the secret parameter '"
                            + p.name() + "', which is no longer available (secrets are held in memory only and the"
                            + " service restarted): request a new run with it");
                }
                secrets.put(p.name(), value);
            }
        }
        if (!secrets.isEmpty()) {
            byRun.put(to, secrets);
        }
    }

    void forget(UUID runId) {
        byRun.remove(runId);
    }
}
