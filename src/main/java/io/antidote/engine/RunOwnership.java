package io.antidote.engine;

import io.antidote.store.OwnershipConfig;
import io.antidote.store.RunOwners;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Keeps this replica alive in the database and adopts the runs of replicas that died: every heartbeat
 * interval, one heartbeat, then one look for runs whose owner is dead ({@link RunOwners#adopt}). A replica
 * never looks at a run whose owner is alive. Its own runs from before a restart are adopted the same way,
 * once the previous process's expiry has passed (a restarted process is a new replica).
 *
 * <p>Ticks never overlap: the next is set once the previous has finished, and a tick that could not reach
 * the database just waits for the next (the runs it carries stay fenced either way).
 */
@ApplicationScoped
public class RunOwnership {

    private static final Logger LOG = Logger.getLogger(RunOwnership.class);

    /** Runs adopted per look; more are taken at once by the next look, without waiting. */
    static final int ADOPT_BATCH = 200;
    /** A dead replica's row is kept this long after its expiry, for operators to see, then deleted. */
    static final Duration DEAD_REPLICAS_KEPT = Duration.ofHours(1);

    private final RunOwners owners;
    private final Vertx vertx;
    private final Duration heartbeat;
    private volatile boolean stopped;
    private volatile boolean adopting = true;
    private volatile long timer = -1;
    private volatile Consumer<UUID> adopted;
    private volatile Runnable afterTick;

    RunOwnership(RunOwners owners, Vertx vertx, OwnershipConfig config) {
        this.owners = owners;
        this.vertx = vertx;
        this.heartbeat = config.heartbeatInterval();
        if (owners.expiry().compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw new IllegalStateException("antidote.engine.ownership.expiry (" + owners.expiry()
                    + ") must be at least twice antidote.engine.ownership.heartbeat-interval (" + heartbeat
                    + "): a replica that misses one heartbeat would otherwise lose its runs");
        }
    }

    /** Starts the heartbeat; {@code adopted} is told of each run this replica takes over, on a Vert.x context. */
    void start(Consumer<UUID> adopted, Runnable afterTick) {
        this.adopted = adopted;
        this.afterTick = afterTick;
        LOG.infof("Replica %s: heartbeat every %s, presumed dead %s after the last one", owners.replicaId(),
                heartbeat, owners.expiry());
        tick();
    }

    /**
     * Adopts nothing more, but keeps the heartbeat: while the process drains its steps in flight, no other
     * replica may adopt its runs.
     */
    void stopAdopting() {
        adopting = false;
    }

    /** Stops the heartbeat and adopts nothing more. */
    void stop() {
        stopped = true;
        long current = timer;
        if (current >= 0) {
            vertx.cancelTimer(current);
        }
    }

    private void tick() {
        if (stopped) {
            return;
        }
        VertxContexts.onNewContext(vertx, () -> owners.heartbeat()
                        .chain(() -> adopting ? owners.adopt(ADOPT_BATCH) : Uni.createFrom().item(Map.<UUID, Long>of()))
                        .call(runs -> owners.forgetDeadReplicas(DEAD_REPLICAS_KEPT)
                                .onFailure().recoverWithNull()))
                .subscribe().with(runs -> {
                    if (!runs.isEmpty() && !stopped) {
                        LOG.infof("Replica %s adopts %d run(s) whose owner is gone: %s", owners.replicaId(),
                                runs.size(), runs);
                        runs.keySet().forEach(adopted);
                    }
                    if (!stopped && adopting) {
                        afterTick.run();
                    }
                    next(runs.size() == ADOPT_BATCH ? Duration.ofMillis(1) : heartbeat);
                }, failure -> {
                    LOG.warnf("Replica %s: heartbeat or adoption failed (next try in %s): %s", owners.replicaId(),
                            heartbeat, failure.getMessage());
                    next(heartbeat);
                });
    }

    private void next(Duration in) {
        if (!stopped) {
            timer = vertx.setTimer(Math.max(1, in.toMillis()), id -> tick());
        }
    }

    /** Lets every run go at once (the process stops), for live replicas to adopt at their next look. */
    Uni<Void> resign() {
        return owners.resign();
    }
}
