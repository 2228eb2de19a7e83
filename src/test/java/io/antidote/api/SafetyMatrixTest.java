package io.antidote.api;

import static io.antidote.identity.TestIdentity.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.antidote.api.SafetyMatrix.HostState;
import io.antidote.api.SafetyMatrix.Outcome;
import io.antidote.api.SafetyMatrix.Run;
import io.antidote.api.SafetyMatrix.Scenario;
import io.antidote.api.SafetyMatrix.Verdict;
import io.antidote.identity.Roles;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, point 10: the safety matrix ({@link SafetyMatrix}) run end to end, through the HTTP API, real
 * PostgreSQL and lab hosts over real WinRM4j, each scenario on hosts of its own created through the lab API.
 * Every scenario is judged twice: against the outcome the domain rules give (each target's verdict in
 * {@code GET /api/v1/runs/{id}}, the run's status, and the lab host's build, firewall, reboots, mitigation and
 * files), and against the universal invariant, read from the host alone: a server left vulnerable or with an
 * indicator is isolated, or the runs never changed it and their verdict says so; every indicator present is
 * named. The score and the table go to the output and to target/safety-matrix.md (docs/safety-matrix.md).
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SafetyMatrixTest {

    /** Scenarios at once: they share no host; more only queue on the 2-core build machine. */
    static final int PARALLEL = 10;
    static final Path REPORT = Path.of("target", "safety-matrix.md");
    static final String EVIDENCE = "C:\\Antidote\\Evidence\\";
    /** Log traces (a webshell's script in the ECP log) stay where they are: they are not files to quarantine. */
    static final String LOGS = "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\";
    /**
     * Longest one run may take: the slow-reboot scenarios wait out the host's 15 s boot through the retries, and a
     * patch runs 21 steps (the build verified, then the mitigation lifted, before the full verify). On the shared
     * 2-core build machine under a load of 20 or more, the first ten runs (the JVM not warm yet) took up to 165 s.
     * A bound on waiting, not on any outcome.
     */
    static final long RUN_LIMIT_MS = 240_000;

    /**
     * Scenarios that fail for a known bug, each with its note; kept in the table (marked KNOWN) and never
     * loosened: the test still fails on an unsafe outcome among them.
     */
    static final Map<String, String> KNOWN = Map.of();

    /** One scenario's result: its row in the table. */
    record Result(Scenario scenario, List<String> runs, List<String> problems, boolean unsafe, long seconds) {
        boolean passed() {
            return problems.isEmpty();
        }
    }

    @Test
    void every_scenario_ends_safe_with_the_outcome_the_domain_rules_give() throws Exception {
        List<Scenario> scenarios = SafetyMatrix.scenarios();
        assertThat(scenarios).extracting(Scenario::id).doesNotHaveDuplicates();
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        List<Future<Result>> futures = new ArrayList<>();
        for (Scenario s : scenarios) {
            futures.add(pool.submit(() -> play(s)));
        }
        List<Result> results = new ArrayList<>();
        for (Future<Result> f : futures) {
            results.add(f.get());
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);

        long passed = results.stream().filter(Result::passed).count();
        long unsafe = results.stream().filter(Result::unsafe).count();
        String score = String.format(Locale.ROOT, "Safety matrix: %d/%d scenarios passed (%.0f %%), %d unsafe outcomes",
                passed, results.size(), 100.0 * passed / results.size(), unsafe);
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, table(score, results));
        System.out.println(score + " (table: " + REPORT + ")");
        results.stream().filter(r -> !r.passed()).forEach(r -> System.out.println("  " + verdictWord(r) + " "
                + r.scenario().id() + ": " + String.join("; ", r.problems())));

        assertThat(results.stream().filter(Result::unsafe).map(r -> r.scenario().id() + ": " + r.problems()))
                .as("unsafe outcomes").isEmpty();
        assertThat(results.stream().filter(r -> !r.passed() && !KNOWN.containsKey(r.scenario().id()))
                .map(r -> r.scenario().id() + ": " + r.problems())).as("scenarios with a wrong outcome").isEmpty();
        assertThat(KNOWN.keySet()).as("known failures that pass now: take them out of KNOWN")
                .allSatisfy(id -> assertThat(results).anySatisfy(r -> {
                    assertThat(r.scenario().id()).isEqualTo(id);
                    assertThat(r.passed()).isFalse();
                }));
    }

    // ---------------------------------------------------------------- one scenario

    private static Result play(Scenario s) {
        long started = System.nanoTime();
        List<String> problems = new ArrayList<>();
        List<String> runs = new ArrayList<>();
        boolean unsafe = false;
        String dag = s.dag() ? "m" + UUID.randomUUID().toString().substring(0, 8) : null;
        List<String> names = new ArrayList<>();
        try {
            for (SafetyMatrix.Host h : s.hosts()) {
                names.add(create(h, dag));
            }
            List<HostState> states = s.hosts().stream().map(HostState::new).toList();
            List<Map<String, Object>> before = names.stream().map(LabHosts::model).toList();
            List<Map<String, Object>> lastVerdicts = new ArrayList<>(java.util.Collections.nCopies(names.size(), null));
            List<Waiting> waiting = new ArrayList<>();
            for (int n = 0; n < s.runs().size(); n++) {
                Run run = s.runs().get(n);
                String where = s.runs().size() > 1 ? "run " + (n + 1) + ": " : "";
                List<Integer> on = run.targets(names.size());
                List<String> targets = on.stream().map(names::get).toList();
                List<Map<String, Object>> start = names.stream().map(LabHosts::model).toList();
                List<Integer> commands = targets.stream().map(t -> LabHosts.commands(t).size()).toList();
                String id = request(run, targets);
                if (run.waits()) {
                    unsafe |= awaitWaiting(where, id, targets, commands, problems);
                    waiting.add(new Waiting(where, run, id, start));
                    continue;
                }
                JsonPath actual = awaitEnd(run, id);
                runs.add(run.describe() + " -> " + actual.getString("status"));
                unsafe |= judge(where, run, actual, names, states, start, lastVerdicts, problems);
            }
            for (Waiting w : waiting) {
                JsonPath actual = awaitEnd(w.run(), w.id());
                runs.add(w.run().describe() + " -> " + actual.getString("status") + " (after the runs above)");
                unsafe |= judge(w.where(), w.run(), actual, names, states, w.start(), lastVerdicts, problems);
            }
            for (int t = 0; t < names.size(); t++) {
                Map<String, Object> after = LabHosts.model(names.get(t));
                String label = names.get(t) + ": ";
                hostState(label, states.get(t), after, problems);
                unsafe |= invariant(label, before.get(t), after, lastVerdicts.get(t), problems);
            }
            if (s.dag()) {
                oneAtATime(names, problems);
            }
        } catch (RuntimeException | AssertionError e) {
            problems.add("error: " + e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).lines()
                    .limit(3).reduce((a, b) -> a + " " + b).orElse(""));
        } finally {
            LabHosts.delete(names);
        }
        return new Result(s, runs, problems, unsafe, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }

    /** A run requested while its DAG is held: judged once the runs after it ended. */
    private record Waiting(String where, Run run, String id, List<Map<String, Object>> start) {
    }

    /**
     * Compares one ended run with the outcome the domain gives on the state its hosts were in; moves that state on.
     * Returns whether a read-only run changed a host (unsafe).
     */
    private static boolean judge(String where, Run run, JsonPath actual, List<String> names, List<HostState> states,
                                 List<Map<String, Object>> start, List<Map<String, Object>> lastVerdicts,
                                 List<String> problems) {
        boolean unsafe = false;
        List<Integer> on = run.targets(names.size());
        Outcome expected = SafetyMatrix.expect(run, on.stream().map(states::get).toList());
        String status = actual.getString("status");
        if (!expected.status().contains(status)) {
            problems.add(where + "status " + status + ", expected " + expected.status());
        }
        for (int i = 0; i < on.size(); i++) {
            int t = on.get(i);
            Map<String, Object> v = verdictOf(actual, names.get(t));
            lastVerdicts.set(t, v);
            compare(where + names.get(t) + ": ", expected.verdicts().get(i), v, problems);
            boolean changed = !fingerprint(start.get(t)).equals(fingerprint(LabHosts.model(names.get(t))));
            if (run.playbook() != SafetyMatrix.Playbook.REMEDIATION && changed) {
                problems.add(where + "UNSAFE: the read-only " + run.playbook().id + " changed " + names.get(t));
                unsafe = true;
            }
        }
        return unsafe;
    }

    /**
     * The run records that it waits for its DAG, and goes no further: no target started, no command reached its
     * hosts (nothing put in maintenance while another member is). Returns whether it did (unsafe).
     */
    private static boolean awaitWaiting(String where, String id, List<String> targets, List<Integer> commands,
                                        List<String> problems) {
        await().atMost(Duration.ofMillis(RUN_LIMIT_MS)).pollInterval(Duration.ofSeconds(1))
                .alias("run " + id + " to wait for its DAG")
                .until(() -> runEvents(id).stream().anyMatch(e -> "TargetWaiting".equals(e.get("type"))
                        || "TargetStarted".equals(e.get("type"))));
        // Time for a wrong start to show: the wait must last.
        await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
        List<Map<String, Object>> events = runEvents(id);
        boolean unsafe = false;
        if (events.stream().anyMatch(e -> "TargetStarted".equals(e.get("type")))) {
            problems.add(where + "UNSAFE: started while its DAG was held: " + events.stream()
                    .filter(e -> "TargetStarted".equals(e.get("type")) || "TargetWaiting".equals(e.get("type")))
                    .map(e -> e.get("type") + " " + e.get("target")).toList());
            unsafe = true;
        }
        for (int t = 0; t < targets.size(); t++) {
            int sent = LabHosts.commands(targets.get(t)).size() - commands.get(t);
            if (sent > 0) {
                problems.add(where + "UNSAFE: " + sent + " commands reached " + targets.get(t)
                        + " while its DAG was held");
                unsafe = true;
            }
        }
        events.stream().filter(e -> "TargetWaiting".equals(e.get("type"))).findFirst().ifPresent(e -> {
            if (!String.valueOf(e.get("data")).contains("still in maintenance")) {
                problems.add(where + "the wait does not say a member is still in maintenance: " + e.get("data"));
            }
        });
        return unsafe;
    }

    private static List<Map<String, Object>> runEvents(String id) {
        return given().when().get("/api/v1/runs/{id}/events", id).then().statusCode(200).extract().jsonPath()
                .getList("");
    }

    private static String create(SafetyMatrix.Host h, String dag) {
        String name = "sm-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("version", h.cu().version);
        body.put("cu", h.cu().name);
        body.put("compromise", h.compromise());
        body.put("faults", h.faults());
        body.put("updates", h.suInstalled() ? List.of("KB5000871") : List.of());
        if (dag != null) {
            body.put("dag", dag);
        }
        given().contentType(ContentType.JSON).body(body).when().post("/lab/hosts").then().statusCode(201);
        return name;
    }

    /** Requests the run; answers its id. */
    private static String request(Run run, List<String> targets) {
        Map<String, Object> body = new HashMap<>();
        body.put("playbook", run.playbook().id);
        body.put("targets", targets);
        body.put("ticket", "MATRIX-" + targets.get(0));
        if (run.outOfBand()) {
            body.put("params", Map.of("outOfBandShare", "local\\OutOfBand"));
        }
        return given().contentType(ContentType.JSON).body(body).when().post("/api/v1/runs")
                .then().statusCode(202).extract().path("id");
    }

    /** Answers the patch's approval as the scenario says, and waits until the run ends. */
    private static JsonPath awaitEnd(Run run, String id) {
        JsonPath[] last = new JsonPath[1];
        // A second, so that an approval just given is seen before the run is looked at again.
        await().atMost(Duration.ofMillis(RUN_LIMIT_MS)).pollInterval(Duration.ofSeconds(1))
                .alias("run " + id + " to end").until(() -> {
                    last[0] = given().when().get("/api/v1/runs/{id}", id).then().statusCode(200).extract().jsonPath();
                    String status = last[0].getString("status");
                    if ("WAITING_APPROVAL".equals(status)) {
                        decide(run.decision(), id); // each target of a batch waits in its turn
                    }
                    return List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(status);
                });
        return last[0];
    }

    private static void decide(SafetyMatrix.Decision decision, String runId) {
        if (decision == SafetyMatrix.Decision.CANCEL) {
            as("carol", Roles.ADMIN).contentType(ContentType.JSON).body(Map.of())
                    .when().post("/api/v1/runs/{id}/cancel", runId).then().statusCode(200);
            return;
        }
        as("approver-1", Roles.APPROVER).contentType(ContentType.JSON)
                .body(Map.of("step", "patch", "decision", decision.name(), "comment", "safety matrix"))
                .when().post("/api/v1/runs/{id}/approvals", runId).then().statusCode(200);
    }

    private static Map<String, Object> verdictOf(JsonPath run, String target) {
        List<Map<String, Object>> targets = run.getList("targets");
        return targets.stream().filter(t -> target.equals(t.get("name"))).findFirst()
                .map(t -> cast(t.get("verdict"))).orElse(null);
    }

    // ---------------------------------------------------------------- judging

    private static void compare(String where, Verdict expected, Map<String, Object> actual, List<String> problems) {
        if (actual == null) {
            problems.add(where + "no verdict recorded");
            return;
        }
        if (!expected.patch().contains(String.valueOf(actual.get("patch")))) {
            problems.add(where + "patch " + actual.get("patch") + ", expected " + expected.patch());
        }
        if (!expected.compromise().equals(actual.get("compromise"))) {
            problems.add(where + "compromise " + actual.get("compromise") + ", expected " + expected.compromise());
        }
        if (!expected.service().equals(actual.get("service"))) {
            problems.add(where + "service " + actual.get("service") + ", expected " + expected.service());
        }
        List<String> indicators = strings(actual.get("indicators"));
        for (String name : expected.named()) {
            if (indicators.stream().noneMatch(i -> i.contains(name))) {
                problems.add(where + "indicator " + name + " not named (named: " + indicators + ")");
            }
        }
        if (indicators.size() != expected.named().size()) {
            problems.add(where + indicators.size() + " indicators named, expected " + expected.named().size()
                    + ": " + indicators);
        }
        String reasons = String.join(" | ", strings(actual.get("reasons"))).toLowerCase(Locale.ROOT);
        for (String r : expected.reasons()) {
            if (!reasons.contains(r.toLowerCase(Locale.ROOT))) {
                problems.add(where + "reasons do not say '" + r + "': " + actual.get("reasons"));
            }
        }
    }

    /** The lab host against the state the domain says the runs must leave. */
    private static void hostState(String where, HostState expected, Map<String, Object> host, List<String> problems) {
        if (!expected.build.equals(host.get("build"))) {
            problems.add(where + "build " + host.get("build") + ", expected " + expected.build);
        }
        if (expected.isolated != Boolean.TRUE.equals(host.get("isolated"))) {
            problems.add(where + (expected.isolated ? "not isolated on the host" : "left isolated on the host"));
        }
        if (expected.reboots != ((Number) host.get("rebootCount")).intValue()) {
            problems.add(where + host.get("rebootCount") + " reboots, expected " + expected.reboots);
        }
        if (expected.mitigated != Boolean.TRUE.equals(host.get("mitigated"))) {
            problems.add(where + (expected.mitigated ? "not mitigated on the host" : "still mitigated on the host"));
        }
        if (!expected.isolated && !expected.mitigated) {
            Map<String, Object> components = cast(host.get("componentStates"));
            if (components.values().stream().anyMatch(state -> !"Active".equals(state))) {
                problems.add(where + "in service but components not all Active: " + components);
            }
            // In service means working: OWA and ECP answer (a pool left stopped answers 503).
            if (!Map.of("owa", 200, "ecp", 200).equals(host.get("web"))) {
                problems.add(where + "in service but OWA and ECP do not both answer 200: " + host.get("web"));
            }
        }
        List<String> liveFiles = liveFiles(host);
        boolean filesExpected = expected.live.stream().anyMatch(i -> i.file);
        if (filesExpected != !liveFiles.isEmpty()) {
            problems.add(where + "indicator files on the host: " + liveFiles + ", expected "
                    + (filesExpected ? "some" : "none (quarantined)"));
        }
    }

    /**
     * The safety invariant from the host's own state, whatever path the runs took: a server vulnerable or with
     * an indicator (a live file, a quarantined webshell, a log trace) is isolated; if not, the runs must never
     * have changed it (read-only, or refused before any change) and the verdict must not call it fixed or clean.
     * Every indicator present is named in a verdict whose scans completed. Returns whether it was broken.
     */
    private static boolean invariant(String where, Map<String, Object> before, Map<String, Object> after,
                                     Map<String, Object> verdict, List<String> problems) {
        boolean broken = false;
        boolean vulnerable = !Boolean.TRUE.equals(after.get("patched"));
        List<String> indicators = hostIndicators(after);
        boolean isolated = Boolean.TRUE.equals(after.get("isolated"));
        if ((vulnerable || !indicators.isEmpty()) && !isolated) {
            boolean untouched = fingerprint(before).equals(fingerprint(after));
            boolean honest = verdict != null && !(vulnerable && "PATCHED".equals(verdict.get("patch")))
                    && !(!indicators.isEmpty() && "CLEAN".equals(verdict.get("compromise")));
            if (!untouched || !honest) {
                problems.add(where + "UNSAFE: in service while " + (vulnerable ? "vulnerable " : "")
                        + (indicators.isEmpty() ? "" : "with indicators " + indicators)
                        + (untouched ? ", and its verdict does not say so: " + verdict : ", after the runs changed it"));
                broken = true;
            }
        }
        if (verdict != null && isolated != "ISOLATED".equals(verdict.get("service"))) {
            problems.add(where + "verdict says " + verdict.get("service") + ", host isolated=" + isolated);
        }
        if (verdict != null && "CLEAN".equals(verdict.get("compromise")) && !indicators.isEmpty()) {
            problems.add(where + "UNSAFE: verdict CLEAN with indicators on the host " + indicators);
            broken = true;
        }
        if (verdict != null && "PATCHED".equals(verdict.get("patch")) && vulnerable) {
            problems.add(where + "UNSAFE: verdict PATCHED on a vulnerable host (build " + after.get("build") + ")");
            broken = true;
        }
        return broken;
    }

    /** No two members of one DAG in maintenance at once: each member's maintenance ends before the next one's. */
    private static void oneAtATime(List<String> members, List<String> problems) {
        List<long[]> windows = new ArrayList<>();
        for (String m : members) {
            List<Map<String, Object>> commands = given().when().get("/lab/hosts/{name}/commands", m).then()
                    .statusCode(200).extract().jsonPath().getList("commands");
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (Map<String, Object> c : commands) {
                long at = java.time.Instant.parse(String.valueOf(c.get("at"))).toEpochMilli();
                first = Math.min(first, at);
                last = Math.max(last, at);
            }
            if (!commands.isEmpty()) {
                windows.add(new long[] {first, last});
            }
        }
        for (int i = 1; i < windows.size(); i++) {
            if (windows.get(i)[0] < windows.get(i - 1)[1]) {
                problems.add("UNSAFE: DAG members " + members.get(i - 1) + " and " + members.get(i)
                        + " were worked on at the same time");
            }
        }
    }

    /** What a run can change on a host; equal before and after means the run left it as it was. */
    private static String fingerprint(Map<String, Object> host) {
        return List.of("build", "isolated", "rebootCount", "firewallRules", "componentStates", "services", "appPools",
                "rewriteRules", "filesOfInterest", "installedUpdates").stream()
                .map(k -> k + "=" + host.get(k)).toList().toString();
    }

    private static List<String> liveFiles(Map<String, Object> host) {
        Map<String, Object> files = cast(host.get("filesOfInterest"));
        List<String> live = new ArrayList<>();
        for (Object list : files.values()) {
            strings(list).stream().filter(p -> !p.startsWith(EVIDENCE) && !p.startsWith(LOGS)).forEach(live::add);
        }
        return live;
    }

    /** Indicators present on the host: files where an attacker left them, quarantined webshells, log traces. */
    private static List<String> hostIndicators(Map<String, Object> host) {
        List<String> found = new ArrayList<>();
        Map<String, Object> files = cast(host.get("filesOfInterest"));
        files.values().forEach(list -> found.addAll(strings(list)));
        strings(host.get("compromise")).stream().filter(c -> c.startsWith("log-")).forEach(found::add);
        return found;
    }

    // ---------------------------------------------------------------- the table

    private static String verdictWord(Result r) {
        return r.unsafe() ? "UNSAFE" : r.passed() ? "PASS" : KNOWN.containsKey(r.scenario().id()) ? "KNOWN" : "FAIL";
    }

    private static String table(String score, List<Result> results) {
        StringBuilder b = new StringBuilder("# Safety matrix\n\n").append(score).append("\n\n")
                .append("How to read this: docs/safety-matrix.md.\n\n")
                .append("| # | scenario | dimension | hosts | runs | result | s | problems |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        int n = 0;
        for (Result r : results) {
            b.append("| ").append(++n).append(" | ").append(r.scenario().id()).append(" | ").append(r.scenario().dimension()).append(" | ")
                    .append(String.join("<br>", r.scenario().hosts().stream().map(SafetyMatrix.Host::describe).toList()))
                    .append(" | ").append(String.join("<br>", r.runs())).append(" | ").append(verdictWord(r))
                    .append(" | ").append(r.seconds()).append(" | ").append(cell(r)).append(" |\n");
        }
        return b.toString();
    }

    private static String cell(Result r) {
        List<String> lines = new ArrayList<>(r.problems());
        if (KNOWN.containsKey(r.scenario().id())) {
            lines.add(0, "known: " + KNOWN.get(r.scenario().id()));
        }
        return String.join("<br>", lines).replace("|", "\\|").replace("\n", " ");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }

    private static List<String> strings(Object o) {
        return o == null ? List.of() : ((List<?>) o).stream().map(String::valueOf).toList();
    }

}
