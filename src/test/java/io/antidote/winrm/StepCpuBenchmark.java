package io.antidote.winrm;

import io.antidote.lab.wsman.WsManOptions;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CPU per step of the transport (issue 11, point 8): {@code Write-Output} steps, wrapped as the engine wraps a
 * change-making step (marker written first and last), against lab hosts over NTLM with message encryption on
 * loopback HTTP, from 8 step workers, with the hosts' sessions kept as in a run. The JVM's CPU is split by
 * thread: the step workers and CXF's HTTP threads are the client's, Vert.x threads the lab's, the rest (GC,
 * JIT) both. Runs only when asked:
 * {@code ./mvnw -B -o test -Dtest=StepCpuBenchmark -Dbenchmark=true -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbenchmark.hosts=20 -Dbenchmark.steps=50}: steps per host). Results go to docs/benchmarks.md.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StepCpuBenchmark {

    /** As engine.StepMarker.around wraps a change-making step (package-private there), with a fixed marker path. */
    private static final String STEP = "$antidote_exit = $null\n"
            + "try {\n"
            + "New-Item -ItemType Directory -Force -Path 'C:\\ProgramData\\Antidote\\markers\\r' -ErrorAction Stop | Out-Null\n"
            + "Set-Content -LiteralPath 'C:\\ProgramData\\Antidote\\markers\\r\\s.1.json' -Value '{\"state\":\"started\"}' -ErrorAction Stop\n"
            + "} catch {\n"
            + "throw\n"
            + "}\n"
            + "try {\n"
            + "Write-Output 'ok'\n"
            + "$antidote_ok = $?\n"
            + "$antidote_exit = 1\n"
            + "if ($antidote_ok) { $antidote_exit = 0 }\n"
            + "} catch {\n"
            + "$antidote_exit = 1\n"
            + "throw\n"
            + "} finally {\n"
            + "Set-Content -LiteralPath 'C:\\ProgramData\\Antidote\\markers\\r\\s.1.json' -Value ([ordered]@{ state = 'ended'; exitCode = $antidote_exit } | ConvertTo-Json -Compress)\n"
            + "}\n"
            + "if ($antidote_exit -ne 0) { exit $antidote_exit }\n";

    @Test
    void cpu_per_step_against_lab_hosts() throws Exception {
        int hosts = Integer.getInteger("benchmark.hosts", 20);
        int steps = Integer.getInteger("benchmark.steps", 50);
        try (LabTargets lab = new LabTargets()) {
            List<LabTargets.Started> targets = new ArrayList<>();
            for (int h = 0; h < hosts; h++) {
                targets.add(lab.exchange("cpu-" + h, WsManOptions.labDefaults(), Target.Scheme.HTTP, Target.AuthScheme.NTLM));
            }
            WinRm4jShell transport = new WinRm4jShell(LabTargets.CREDENTIALS, WinRmSettings.defaults(), Clock.systemUTC());
            AtomicInteger n = new AtomicInteger();
            ExecutorService workers = Executors.newFixedThreadPool(8, r -> new Thread(r, "step-worker-" + n.incrementAndGet()));
            try {
                // Warm-up (CXF, JIT, first sessions), then the measured round; each round every host runs its steps in turn.
                round(targets, transport, workers, 10);
                long requestsBefore = targets.stream().mapToLong(t -> lab.requests(t.target())).sum();
                Map<String, Long> before = cpuByGroup();
                long processBefore = processCpu();
                long wallBefore = System.nanoTime();
                round(targets, transport, workers, steps);
                long wall = System.nanoTime() - wallBefore;
                long process = processCpu() - processBefore;
                Map<String, Long> after = cpuByGroup();
                long requests = targets.stream().mapToLong(t -> lab.requests(t.target())).sum() - requestsBefore;
                int total = hosts * steps;
                StringBuilder line = new StringBuilder(String.format(
                        "BENCHMARK step cpu: %d steps (%d hosts), wall %.0f ms, process cpu %.2f ms/step, "
                                + "requests/step %.2f, clients opened %d, load %s", total, hosts, wall / 1e6,
                        process / 1e6 / total, (double) requests / total, transport.clientsOpened(),
                        String.join(" ", java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ", 4)[0])));
                long threads = 0;
                for (var e : after.entrySet()) {
                    long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
                    threads += d;
                    line.append(String.format("; %s %.2f ms/step", e.getKey(), d / 1e6 / total));
                }
                line.append(String.format("; not in java threads (GC, JIT) %.2f ms/step", (process - threads) / 1e6 / total));
                System.out.println(line);
            } finally {
                transport.close();
            }
            try {
                // A host-task as issue 11 counts it: one step on a host the transport has no session with yet
                // (client built, NTLM handshake, Create, the step, and the Delete when the transport closes).
                long requestsBefore = targets.stream().mapToLong(t -> lab.requests(t.target())).sum();
                long processBefore = processCpu();
                WinRm4jShell fresh = new WinRm4jShell(LabTargets.CREDENTIALS, WinRmSettings.defaults(), Clock.systemUTC());
                try {
                    round(targets, fresh, workers, 1);
                } finally {
                    fresh.close();
                }
                long process = processCpu() - processBefore;
                long requests = targets.stream().mapToLong(t -> lab.requests(t.target())).sum() - requestsBefore;
                System.out.printf("BENCHMARK host-task cpu: %d hosts, one step each on a new session, process cpu "
                        + "%.2f ms/host-task, requests/host-task %.2f%n", hosts, process / 1e6 / hosts,
                        (double) requests / hosts);
            } finally {
                workers.shutdownNow();
            }
        }
    }

    private static void round(List<LabTargets.Started> targets, WinRm4jShell transport, ExecutorService workers,
                              int steps) throws Exception {
        List<Future<?>> running = new ArrayList<>();
        for (LabTargets.Started started : targets) {
            running.add(workers.submit(() -> {
                for (int i = 0; i < steps; i++) {
                    ScriptResult result = transport.runPowerShell(started.target(), STEP, Duration.ofSeconds(60));
                    assertThat(result.stdout()).isEqualTo("ok\r\n");
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU nanoseconds of the live threads, by group of thread name. */
    private static Map<String, Long> cpuByGroup() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> groups = new TreeMap<>();
        for (long id : mx.getAllThreadIds()) {
            ThreadInfo info = mx.getThreadInfo(id);
            long cpu = mx.getThreadCpuTime(id);
            if (info == null || cpu < 0) {
                continue;
            }
            groups.merge(group(info.getThreadName()), cpu, Long::sum);
        }
        return groups;
    }

    private static String group(String name) {
        if (name.startsWith("step-worker")) {
            return "client: step workers";
        }
        if (name.startsWith("vert.x")) {
            return "lab: vert.x";
        }
        if (name.contains("I/O dispatcher") || name.contains("workqueue") || name.contains("cxf")) {
            return "client: CXF http";
        }
        return "other: " + name.replaceAll("[0-9]+", "#");
    }
}
