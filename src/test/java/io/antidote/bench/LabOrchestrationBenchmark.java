package io.antidote.bench;

import io.antidote.lab.LabFleet;
import io.antidote.lab.exchange.ServerSpec;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The same rounds as {@link OrchestrationBenchmark}, against lab hosts with no latency of their own instead
 * of a shell that costs nothing: 1,000 lab Exchange servers (patched 2016 CU20, so that every check passes)
 * in the same JVM, reached by the real transport, WinRM4j with NTLM over loopback HTTP. The measured
 * intervals still end when a script is handed to WinRM4j and start after it returned ({@link LabTimedShell}),
 * but the hosts' and WinRM4j's CPU is spent on the same two cores, and the engine's step workers (32 by
 * default) are busy with WinRM while scripts wait for one. Not run by Surefire by default: see bench/run.sh.
 */
@QuarkusTest
@TestProfile(LabOrchestrationBenchmark.LabHostsProfile.class)
class LabOrchestrationBenchmark extends OrchestrationRounds {

    @Inject
    LabFleet lab;

    public static class LabHostsProfile extends Profile {
        public LabHostsProfile() {
            super(LabTimedShell.class);
        }
    }

    @Test
    void overhead_per_step_against_lab_hosts_at_1_100_and_1000_concurrent_target_runs() throws Throwable {
        allRounds();
    }

    @Override
    String target(String round, int i) {
        // One host per run slot, made once and used again by later rounds (each round waits for the last).
        String name = "bench-lab-" + i;
        if (lab.find(name).isEmpty()) {
            lab.create(name, new ServerSpec("2016", "CU20", List.of(), Set.of(), null), 0);
        }
        return name;
    }

    @Override
    String label() {
        return "lab ";
    }
}
