package io.antidote.audit;

import io.antidote.store.ChainAlarms;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * A warning, not a readiness failure: a tampered history must be seen by operators and auditors, but
 * taking the service out of rotation would also take away the API they investigate it with. DOWN at
 * {@code /q/health/well} while any run fails verification, or while heads cannot be signed.
 */
@Wellness
@ApplicationScoped
public class HistoryCheck implements HealthCheck {

    private final ChainAlarms alarms;
    private final SigningKeys keys;

    HistoryCheck(ChainAlarms alarms, SigningKeys keys) {
        this.alarms = alarms;
        this.keys = keys;
    }

    @Override
    public HealthCheckResponse call() {
        var failing = alarms.failing();
        return HealthCheckResponse.named("run history verified")
                .status(failing.isEmpty() && keys.canSign())
                .withData("runsFailingVerification", failing.size())
                .withData("failuresDetected", alarms.failuresDetected())
                .withData("failingRuns", failing.keySet().stream().limit(20).map(Object::toString)
                        .collect(Collectors.joining(",")))
                .withData("checkpointsSigned", keys.canSign())
                .build();
    }
}
