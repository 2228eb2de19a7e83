package io.antidote.bench;

import io.antidote.winrm.Inventory;
import io.antidote.winrm.Target;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Orchestration overhead per step with WinRM replaced by {@link InstantShell}, which answers at once and
 * costs nothing: only Antidote's own time is measured, measured two ways that end at the same moment, the
 * next step's script handed to the transport (see {@link Stopwatch}): from the moment a step's script
 * returned (includes deciding and committing the outcome), and from the moment the append recording that
 * outcome committed (the "outcome recorded → next step started"; the next step's StepStarted is in
 * that same append, so this is the carrying-out: worker pool hand-off, secrets, script rendering). Not run
 * by Surefire by default: see bench/run.sh.
 */
@QuarkusTest
@TestProfile(OrchestrationBenchmark.InstantShellProfile.class)
class OrchestrationBenchmark extends OrchestrationRounds {

    @Inject
    Inventory inventory;

    public static class InstantShellProfile extends Profile {
        public InstantShellProfile() {
            super(InstantShell.class);
        }
    }

    @Test
    void overhead_per_step_at_1_100_and_1000_concurrent_target_runs() throws Throwable {
        allRounds();
    }

    @Override
    String target(String round, int i) {
        // A fresh name per run: nothing answers at this address, InstantShell stands in for the host.
        String name = "bench-" + Integer.toHexString(round.hashCode() & 0xffffff) + "-" + i;
        inventory.register(new Target(name, "127.0.0.1", 5985, Target.Scheme.HTTP, Target.AuthScheme.BASIC, "lab",
                Map.of()));
        return name;
    }

    @Override
    String label() {
        return "";
    }
}
