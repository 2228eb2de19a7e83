package io.antidote.winrm;

import java.util.Optional;

/**
 * The port through which targets that no configuration names join the inventory while they exist: the
 * lab's simulated hosts register here. It is owned by the transport side, so whatever starts such hosts
 * depends on it and the inventory never depends on whatever starts them.
 */
public interface TargetRegistry {

    /** Makes a target reachable by name until it is removed. */
    void register(Target target);

    /** Forgets a registered target; configured targets are not affected. */
    void remove(String name);

    /** The target of that name, configured or registered, so that a newcomer never shadows one. */
    Optional<Target> find(String name);
}
