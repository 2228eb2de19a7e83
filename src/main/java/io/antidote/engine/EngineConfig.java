package io.antidote.engine;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code antidote.engine.*}. */
@ConfigMapping(prefix = "antidote.engine")
public interface EngineConfig {

    /** Steps that run at once, each holding a thread while it waits on WinRM; more wait for a free worker. */
    @WithDefault("32")
    int maxConcurrentSteps();

    /** Off, the process carries no runs: it neither heartbeats nor adopts (a lab process). */
    @WithDefault("true")
    boolean enabled();

    /** On SIGTERM, how long steps in flight get to finish and be recorded before the replica lets its runs go. */
    @WithDefault("20s")
    Duration drainTime();

    /**
     * How many times one step may run again because its outcome was lost (a crash, an adoption, a marker that
     * says the script did not finish); counted apart from the step's retries. Beyond it the target fails.
     */
    @WithDefault("3")
    int maxCrashReruns();

    /**
     * How long the marker of an attempt whose outcome was lost is probed again while its host does not answer or
     * the marker says the script is still under way; then the target fails (or the step runs again, when that
     * does no harm), naming the host and what kept it from being read.
     */
    @WithDefault("5m")
    Duration probeFor();

    /** Which replica carries a run (docs/architecture.md, "Who carries a run"). */
    Ownership ownership();

    interface Ownership {
        /** How often a replica renews its lease and looks for runs of dead replicas. */
        @WithDefault("3s")
        Duration heartbeatInterval();

        /** How long after its last renewal a replica is presumed dead; at least twice the heartbeat interval. */
        @WithDefault("15s")
        Duration expiry();
    }
}
