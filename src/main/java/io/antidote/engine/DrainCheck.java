package io.antidote.engine;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready from the moment the drain on SIGTERM begins: the replica takes no new step from then on, so a load
 * balancer or Kubernetes must stop sending it requests (a run requested here would only wait for an adopter)
 * while the steps in flight finish, not once they have.
 */
@Readiness
@ApplicationScoped
public class DrainCheck implements HealthCheck {

    private final RunEngine engine;

    DrainCheck(RunEngine engine) {
        this.engine = engine;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("accepting new steps")
                .status(!engine.draining())
                .withData("stepsInFlight", engine.stepsInFlight())
                .build();
    }
}
