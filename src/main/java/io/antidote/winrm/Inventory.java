package io.antidote.winrm;

import io.antidote.winrm.Target.AuthScheme;
import io.antidote.winrm.Target.Scheme;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The targets Antidote knows, from configuration ({@link InventoryConfig}) and, in the lab, from the
 * simulated hosts that register themselves. An invalid configured entry is logged and left out; it
 * does not stop the others.
 */
@ApplicationScoped
public class Inventory {

    private static final Logger LOG = Logger.getLogger(Inventory.class);

    private final Map<String, Target> targets = new ConcurrentSkipListMap<>();

    Inventory(InventoryConfig config) {
        config.targets().forEach((name, entry) -> {
            try {
                Scheme scheme = Scheme.valueOf(entry.scheme().toUpperCase());
                int port = entry.port().orElse(scheme == Scheme.HTTPS ? 5986 : 5985);
                register(new Target(name, entry.address(), port, scheme,
                        AuthScheme.valueOf(entry.auth().toUpperCase()), entry.credential(), entry.labels()));
            } catch (IllegalArgumentException e) {
                LOG.errorf("Inventory entry antidote.targets.%s ignored: %s", name, e.getMessage());
            }
        });
    }

    public void register(Target target) {
        targets.put(target.name(), target);
    }

    public void remove(String name) {
        targets.remove(name);
    }

    public Optional<Target> find(String name) {
        return Optional.ofNullable(targets.get(name));
    }

    public Collection<Target> all() {
        return List.copyOf(targets.values());
    }
}
