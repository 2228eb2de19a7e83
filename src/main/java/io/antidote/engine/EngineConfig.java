package io.antidote.engine;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMin;

import java.time.Duration;

/** {@code antidote.engine.*}; its {@code ownership.*} are the store's ({@code OwnershipConfig}). */
@ConfigMapping(prefix = "antidote.engine")
public interface EngineConfig {

    /** Steps that run at once, each holding a thread while it waits on WinRM; more wait for a free worker. */
    @WithDefault("32")
    @Min(1)
    int maxConcurrentSteps();

    /**
     * Runs' writes (decide and append) carried out at once across runs; more wait in line for one, a person's
     * command first. A few per database connection: enough to keep the pool busy, not so many that a fleet's
     * outcomes, arriving together, queue tens of thousands of queries behind it.
     */
    @WithDefault("32")
    @Min(1)
    int maxConcurrentWrites();

    /** Off, the process carries no runs: it neither heartbeats nor adopts (a lab process). */
    @WithDefault("true")
    boolean enabled();

    /** On SIGTERM, how long steps in flight get to finish and be recorded before the replica lets its runs go. */
    @WithDefault("20s")
    @DurationMin(nanos = 0, message = "must not be negative")
    Duration drainTime();

    /**
     * How many times one step may run again because its outcome was lost (a crash, an adoption, a marker that
     * says the script did not finish); counted apart from the step's retries. Beyond it the target fails.
     */
    @WithDefault("3")
    @Min(0)
    int maxCrashReruns();

    /**
     * How long the marker of an attempt whose outcome was lost is probed again while its host does not answer or
     * the marker says the script is still under way; then the target fails (or the step runs again, when that
     * does no harm), naming the host and what kept it from being read.
     */
    @WithDefault("5m")
    @DurationMin(nanos = 0, inclusive = false, message = "must be longer than 0")
    Duration probeFor();

    /**
     * How long a person's command for a run another replica carries waits for that owner's decision before the
     * API answers 202 with where to look it up (docs/api.md, "Several replicas").
     */
    @WithDefault("5s")
    @DurationMin(nanos = 0, message = "must not be negative")
    Duration commandWait();
}
