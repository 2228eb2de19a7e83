package io.antidote.api;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One application for the tests that run test playbooks against lab hosts and their faults: each profile costs
 * the suite an augmentation and a boot of its own (some 20 s), and these tests pass unchanged on the union of
 * what they used to set apart. The playbooks: the fleet's (src/test/resources/playbooks-fleet), the fault probes
 * (src/test/resources/playbooks-faults) and the real remediation with its wait-for-services retries cut to 1 s
 * ({@link HostFaultsApiTest}), names that do not collide. The settings only shorten waits after a fault, which
 * the fleet and idempotency tests, whose every step succeeds, never reach; and the lab's tokens file is written at
 * start (io.antidote.identity.LabTokensTest), three tokens in the database that no other test here looks at.
 */
public class FleetAndFaultsProfile implements QuarkusTestProfile {

    /** Attempts of the remediation's wait-for-services step, as the real playbook has them. */
    static final int WAIT_ATTEMPTS = 10;
    /**
     * How long a marker that cannot be read is probed (5 min by default) before its target fails. Probes go at 0, 1,
     * 3 and 7 s (the pause doubles), the last past this limit: the faulted host is asked four times in 7 s, where at
     * 10 s a fifth probe at 15 s made each of LabFaultsMidRunTest's three unreadable markers cost 15 s. The first
     * probe may take all 6 s: a marker that can be read is read on a loaded machine too.
     */
    static final String PROBE_FOR = "6s";

    /** Where the service writes the lab's three API tokens at start, as the lab profile does. */
    public static final Path LAB_TOKENS = Path.of("target/lab-tokens-test/lab-tokens.env");

    static final Path DIR = create();

    private static Path create() {
        try {
            Path dir = Files.createTempDirectory("antidote-playbooks-fleet-and-faults");
            for (String source : List.of("src/test/resources/playbooks-fleet", "src/test/resources/playbooks-faults")) {
                try (var playbooks = Files.list(Path.of(source))) {
                    for (Path playbook : playbooks.toList()) {
                        Files.copy(playbook, dir.resolve(playbook.getFileName().toString()));
                    }
                }
            }
            String remediation = Files.readString(Path.of("playbooks/proxylogon-remediation.yaml"));
            String waitPolicy = "      attempts: " + WAIT_ATTEMPTS + "\n      backoff: exponential\n"
                    + "      delay: 10s\n      maxDelay: 2m\n      retryOn: [connection]\n";
            String shortened = waitPolicy.replace("delay: 10s", "delay: 1s").replace("maxDelay: 2m", "maxDelay: 1s");
            int at = remediation.indexOf(waitPolicy);
            if (at < 0 || at != remediation.lastIndexOf(waitPolicy) || at < remediation.indexOf("id: wait-for-services")) {
                throw new IllegalStateException("the wait-for-services retry policy changed: update HostFaultsApiTest");
            }
            Path target = dir.resolve("proxylogon-remediation.yaml");
            if (Files.exists(target)) {
                throw new IllegalStateException("a test playbook is named like the remediation: " + target);
            }
            Files.writeString(target, remediation.replace(waitPolicy, shortened));
            TempPlaybooksProfile.copyStepLibrary(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        // A circuit opened by a fault must not outlast it by much: ten retries a second apart, and a host's next
        // run right after its fault is cleared, would meet it open for 60 s by default.
        return Map.of("antidote.playbooks.dir", DIR.toString(),
                "antidote.winrm.breaker.open-for", "PT0.5S",
                "antidote.engine.probe-for", PROBE_FOR,
                "antidote.auth.lab-tokens-file", LAB_TOKENS.toString());
    }
}
