package io.antidote.engine;

import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 11's kill campaign: three orchestrator processes on one database, 30 {@code kill -9}s at random during a
 * 50-host rollout, each killed replica started again at once. Afterwards the lab's command logs, which outlive
 * every orchestrator (the lab runs in a process of its own), show that no change-making script ran twice on any
 * host; every run's history is gap-free and chained with one outcome per attempt (nothing lost); every run
 * finishes (none stuck) and succeeds (no target failed by a restart).
 *
 * <p>The rollout is two runs of 25 hosts in batches of 5, each host going through three changes around two
 * read-only surveys that sleep for real; a kill waits until two replicas are ready, so that each kill meets a
 * fleet that is working, and at least 2 s after the one before. Should the rollout end before the 30th kill, the
 * same rollout is requested again (a wave) and the kills go on: every wave counts in the command logs.
 *
 * <p>Crash re-runs are capped at 20 per step here (3 in production): at this rate of kills, about one replica
 * every three seconds, a survey is interrupted again and again, which is what the cap is not for (a script that
 * brings its host down). The cap itself has tests of its own.
 *
 * <p>It starts four service processes and kills one every few seconds, more than the rest of the integration tests
 * together, so {@code ./mvnw verify} runs it only when asked: {@code -Dcampaign=true -Dit.test=KillCampaignIT}.
 * Status: passed its full 30-kill run on 2026-12-07 (18:38 to 18:43 UTC, main at {@code abb724f}, 306 s on a
 * two-core machine otherwise idle: 33 replica lives, 24 run resumptions in their logs). It needs such a machine:
 * on a shared one (load 25 to 35) the replicas took minutes to start and it was stopped before its first kill.
 * What it found is printed on a line starting with {@code KILL CAMPAIGN}, for the record.
 */
@EnabledIfSystemProperty(named = "campaign", matches = "true",
        disabledReason = "the kill campaign runs on request: ./mvnw verify -Dcampaign=true -Dit.test=KillCampaignIT")
@ExtendWith(io.antidote.identity.TestIdentity.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KillCampaignIT {

    static final int HOSTS = 50;
    static final int REPLICAS = 3;
    /** 30, as issue 11 asks; {@code -Dcampaign.kills=N} for a shorter try while working on it. */
    static final int KILLS = Integer.getInteger("campaign.kills", 30);
    static final int RUNS_PER_WAVE = 2;
    static final List<String> CHANGES = List.of("mark", "fix", "finish");
    static final Duration BETWEEN_KILLS = Duration.ofSeconds(2);

    static final String PLAYBOOK = String.join("\n",
            "name: campaign",
            "description: Three changes around two slow read-only surveys, five hosts at a time.",
            "strategy:",
            "  batchSize: 5",
            "steps:",
            "  - id: mark",
            "    timeout: 1m",
            "    powershell: Write-Output 'campaign-mark'",
            "  - id: survey-1",
            "    timeout: 1m",
            "    readOnly: true",
            "    powershell: |",
            "      Start-Sleep -Seconds 4",
            "      Write-Output 'campaign-survey-1'",
            "  - id: fix",
            "    timeout: 1m",
            "    powershell: Write-Output 'campaign-fix'",
            "  - id: survey-2",
            "    timeout: 1m",
            "    readOnly: true",
            "    powershell: |",
            "      Start-Sleep -Seconds 4",
            "      Write-Output 'campaign-survey-2'",
            "  - id: finish",
            "    timeout: 1m",
            "    powershell: Write-Output 'campaign-finish'",
            "");

    private Orchestrators processes;
    private int labPort;
    private final List<String> hosts = new ArrayList<>();
    private final List<String> targetOptions = new ArrayList<>();
    /** Each replica slot's current process name: r1.1, then r1.2 once r1.1 was killed, ... */
    private final Map<Integer, String> replicas = new LinkedHashMap<>();
    private final Map<Integer, Integer> lives = new HashMap<>();

    @BeforeAll
    void startLabAndReplicas() throws Exception {
        Path dir = Files.createTempDirectory("antidote-campaign");
        Files.writeString(dir.resolve("campaign.yaml"), PLAYBOOK);
        processes = Orchestrators.create("campaign", dir);
        labPort = processes.startLab(Orchestrators.freeConsecutivePorts(3));
        for (int i = 1; i <= HOSTS; i++) {
            String name = String.format("kc-%02d", i);
            int port = Orchestrators.api(labPort).contentType(ContentType.JSON)
                    .body(Map.of("name", name, "version", "2019", "cu", "CU8"))
                    .post("/lab/hosts").then().statusCode(201).extract().path("port");
            hosts.add(name);
            targetOptions.addAll(Orchestrators.labTarget(name, port));
        }
        targetOptions.add("-D%test.antidote.engine.max-crash-reruns=20");
        // One after another: started together on two cores they wait on each other's migration check.
        for (int slot = 1; slot <= REPLICAS; slot++) {
            startLife(slot);
            processes.awaitReady(replicas.get(slot));
        }
    }

    @AfterAll
    void stopAll() throws Exception {
        processes.close();
    }

    @Test
    void thirty_kill_9s_during_a_fleet_rollout_lose_nothing_run_no_change_twice_and_fail_nothing() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<String> runs = new ArrayList<>();
        int waves = 0;
        List<String> killed = new ArrayList<>();
        Instant lastKill = Instant.EPOCH;

        while (killed.size() < KILLS) {
            if (runs.isEmpty() || runs.stream().allMatch(this::finished)) {
                waves++;
                runs.addAll(requestWave(random));
            }
            Instant notBefore = lastKill.plus(BETWEEN_KILLS);
            // Two ready replicas, so that a kill leaves one working; a replica not ready within 2 minutes is a failure.
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Instant.now().isAfter(notBefore) && readySlots().size() >= 2);
            List<Integer> ready = readySlots();
            int slot = ready.get(random.nextInt(ready.size()));
            String victim = replicas.get(slot);
            processes.kill(victim);
            lastKill = Instant.now();
            killed.add(victim + "@" + lastKill);
            startLife(slot);
        }

        String story = "seed " + seed + ", " + waves + " wave(s), kills " + killed;
        for (String run : runs) {
            awaitFinished(run, Duration.ofMinutes(5), story);
        }
        int anyReplica = readyPort();
        for (String run : runs) {
            List<Map<String, Object>> events = ReplicasIT.events(anyReplica, run);
            String types = types(events);
            assertThat(status(anyReplica, run)).as("run %s (%s); its events: %s", run, story, types)
                    .isEqualTo("SUCCEEDED");
            ReplicasIT.assertGapFreeAndChained(events);
            ReplicasIT.assertOneOutcomePerAttempt(events);
            assertThat(events).as("targets failed in run %s (%s)", run, story)
                    .noneMatch(e -> "TargetFailed".equals(e.get("type")));
        }

        for (String host : hosts) {
            List<String> scripts = Orchestrators.api(labPort).get("/lab/hosts/{name}/commands", host).then()
                    .statusCode(200).extract().jsonPath().getList("commands.script", String.class);
            for (String change : CHANGES) {
                assertThat(count(scripts, "Write-Output 'campaign-" + change + "'"))
                        .as("times %s ran the change '%s' over %d wave(s) (%s)", host, change, waves, story)
                        .isEqualTo(waves);
            }
            for (String survey : List.of("survey-1", "survey-2")) {
                assertThat(count(scripts, "Write-Output 'campaign-" + survey + "'"))
                        .as("times %s ran the read-only %s: once per wave at least", host, survey)
                        .isGreaterThanOrEqualTo(waves);
            }
        }
        // The campaign must have hit runs while they worked: adoptions are in the replicas' logs.
        long adoptions = 0;
        for (String name : processes.names()) {
            String log = processes.log(name);
            for (String run : runs) {
                adoptions += log.lines().filter(l -> l.contains("Resuming run " + run)).count();
            }
        }
        assertThat(adoptions).as("runs resumed by a replica that did not start them (%s)", story).isPositive();
        System.out.printf("KILL CAMPAIGN passed: %s; %d run(s) all SUCCEEDED, %d resumption(s), %d replica lives%n",
                story, runs.size(), adoptions, processes.names().size() - 1);
    }

    /** The rollout: the hosts split between runs, each requested from a replica chosen at random. */
    private List<String> requestWave(Random random) {
        List<String> wave = new ArrayList<>();
        int per = HOSTS / RUNS_PER_WAVE;
        for (int i = 0; i < RUNS_PER_WAVE; i++) {
            List<String> targets = hosts.subList(i * per, (i + 1) * per);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !readySlots().isEmpty());
            List<Integer> ready = readySlots();
            int port = processes.port(replicas.get(ready.get(random.nextInt(ready.size()))));
            wave.add(Orchestrators.api(port).contentType(ContentType.JSON)
                    .body(Map.of("playbook", "campaign", "targets", targets))
                    .post("/api/v1/runs").then().statusCode(202).extract().path("id"));
        }
        return wave;
    }

    private void startLife(int slot) throws Exception {
        int life = lives.merge(slot, 1, Integer::sum);
        String name = "r" + slot + "." + life;
        replicas.put(slot, name);
        processes.startReplica(name, targetOptions);
    }

    private List<Integer> readySlots() {
        return replicas.entrySet().stream().filter(e -> processes.ready(e.getValue())).map(Map.Entry::getKey).toList();
    }

    private int readyPort() {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> !readySlots().isEmpty());
        return processes.port(replicas.get(readySlots().get(0)));
    }

    private boolean finished(String run) {
        try {
            return List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(status(readyPort(), run));
        } catch (Exception | AssertionError notNow) { // the replica asked may have just been killed
            return false;
        }
    }

    private void awaitFinished(String run, Duration within, String story) {
        try {
            await().atMost(within).pollInterval(Duration.ofMillis(500)).until(() -> finished(run));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("run " + run + " not finished within " + within + " after the campaign (" + story
                    + "); its events: " + types(ReplicasIT.events(readyPort(), run)), e);
        }
    }

    private static String status(int port, String run) {
        return Orchestrators.api(port).get("/api/v1/runs/{id}", run).then().statusCode(200).extract().path("status");
    }

    private static String types(List<Map<String, Object>> events) {
        return events.stream().map(e -> e.get("type") + (e.get("step") == null ? "" : " " + e.get("target") + "/"
                + e.get("step") + "#" + e.get("attempt"))).toList().toString();
    }

    private static int count(List<String> scripts, String line) {
        return (int) scripts.stream().filter(s -> s.contains(line)).count();
    }
}
