package io.antidote.engine;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while step outcomes wait in memory for the database: this process owes its runs events it
 * could not store, and should not be sent new work (nor be counted as healthy) until it has caught up.
 * The datasource's own check says whether the database answers; this one says whether the engine has
 * caught up with it, which comes a little later.
 */
@Readiness
@ApplicationScoped
public class StoreBacklogCheck implements HealthCheck {

    private final RunWriters writers;

    StoreBacklogCheck(RunWriters writers) {
        this.writers = writers;
    }

    @Override
    public HealthCheckResponse call() {
        int outcomes = writers.waitingOutcomes();
        return HealthCheckResponse.named("run events stored")
                .status(outcomes == 0)
                .withData("outcomesWaiting", outcomes)
                .withData("decisionsWaiting", writers.waitingOther())
                .build();
    }
}
