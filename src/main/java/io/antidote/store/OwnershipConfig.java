package io.antidote.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/**
 * {@code antidote.engine.ownership.*}: which replica carries a run (docs/architecture.md, "Who carries a run").
 * Its own mapping, apart from the engine's, because the store that keeps the leases knows nothing of the engine.
 */
@ConfigMapping(prefix = "antidote.engine.ownership")
public interface OwnershipConfig {

    /** How often a replica renews its lease and looks for runs of dead replicas. */
    @WithDefault("3s")
    @DurationMin(nanos = 0, inclusive = false, message = "must be longer than 0")
    Duration heartbeatInterval();

    /** How long after its last renewal a replica is presumed dead; at least twice the heartbeat interval. */
    @WithDefault("15s")
    @DurationMin(nanos = 0, inclusive = false, message = "must be longer than 0")
    Duration expiry();
}
