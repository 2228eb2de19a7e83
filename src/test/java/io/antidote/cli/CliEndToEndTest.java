package io.antidote.cli;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.antidote.api.TempPlaybooksProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI end to end, as its users would run it, against the service in the test profile with the lab: the
 * CLI's own entry point runs in-process (its streams and environment given, nothing stubbed) and speaks HTTP to
 * the service with API tokens the service issued. An operator logs in and requests a ProxyLogon remediation
 * after seeing its plan; an approver approves it; an auditor watches it live until it succeeds, exports it and
 * verifies the export offline; a broken playbook is linted with its line, and the service, given the same file,
 * lists the very same errors. Each step checks the exit code scripts would rely on. (The service reads a
 * throwaway copy of the playbooks, {@link TempPlaybooksProfile}, so that the broken file never reaches
 * {@code playbooks/}.)
 */
@QuarkusTest
@TestProfile(TempPlaybooksProfile.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CliEndToEndTest {

    @TestHTTPResource("/")
    URL server;

    @TempDir
    Path home;

    record Result(int exit, String out, String err) {
        JsonNode json() {
            try {
                return Api.JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + out + "\nstderr: " + err, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    /** Runs `antidote ARGS` in-process with this config file and standard input. */
    private Result cli(Path config, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Console console = new Console(new BufferedReader(new StringReader(stdin)), new PrintWriter(out, true),
                new PrintWriter(err, true), Map.of("ANTIDOTE_CONFIG", config.toString(), "HOME", home.toString()), null);
        int exit = Antidote.run(args, console);
        return new Result(exit, out.toString(), err.toString());
    }

    private Result as(Path config, String... args) {
        return cli(config, "", args);
    }

    /** An API token issued by the service (POST /api/v1/tokens, as the test admin) with these roles. */
    private static String token(String name, String... roles) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "roles", List.of(roles), "playbooks", List.of("*"),
                        "expiresAt", Instant.now().plus(Duration.ofHours(1)).toString()))
                .when().post("/api/v1/tokens")
                .then().statusCode(201).extract().path("token");
    }

    private static String labHost(String version, String cu) {
        String name = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(Map.of("name", name, "version", version, "cu", cu))
                .when().post("/lab/hosts").then().statusCode(201);
        return name;
    }

    private Path login(String who, String token) throws IOException {
        Path config = home.resolve(who).resolve("config");
        Result login = cli(config, token + "\n", "login", "--server", server.toString());
        assertThat(login.exit()).as("login of %s: %s", who, login).isZero();
        assertThat(login.out() + login.err()).as("what login printed").doesNotContain(token);
        assertThat(Files.getPosixFilePermissions(config)).as("the stored token's file")
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(config)).contains(token);
        return config;
    }

    @Test
    void an_operator_requests_a_run_an_approver_approves_it_and_an_auditor_watches_it_succeed_and_verifies_it_offline()
            throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String host = labHost("2016", "CU19");
        String ticket = "INC-CLI-" + suffix;
        String operatorToken = token("cli-operator-" + suffix, "operator", "viewer");
        Path operator = login("operator", operatorToken);
        Path approver = login("approver", token("cli-approver-" + suffix, "approver", "viewer"));
        Path auditor = login("auditor", token("cli-auditor-" + suffix, "auditor", "admin", "viewer"));

        Path stranger = home.resolve("stranger").resolve("config");
        Result refused = cli(stranger, "atk_not-a-token\n", "login", "--server", server.toString());
        assertThat(refused.exit()).as("login with a token the service does not know: %s", refused).isEqualTo(Exit.DENIED);
        assertThat(stranger).as("nothing stored for a refused token").doesNotExist();

        // The plan first: the playbook's digest, the steps per target, nothing requested.
        String digest = given().when().get("/api/v1/playbooks/proxylogon-remediation").then().statusCode(200)
                .extract().path("digest");
        Result plan = as(operator, "run", "proxylogon-remediation", "-t", host, "--ticket", ticket, "--dry-run", "--json");
        assertThat(plan.exit()).as("dry run: %s", plan).isZero();
        assertThat(plan.json().path("digest").asText()).isEqualTo(digest);
        assertThat(plan.json().path("targets").get(0).path("name").asText()).isEqualTo(host);
        Result declined = cli(operator, "n\n", "run", "proxylogon-remediation", "-t", host, "--ticket", ticket);
        assertThat(declined.exit()).as("a run not confirmed: %s", declined).isEqualTo(Exit.FAILED);
        assertThat(declined.out()).contains("digest " + digest).contains(host).contains("patch");
        assertThat(declined.err()).contains("Request this run of proxylogon-remediation (digest " + digest + ")");
        Result none = as(operator, "runs", "list", "--ticket", ticket, "--json");
        assertThat(none.json().path("total").asLong()).as("runs of the ticket after a dry run and a refusal: %s", none).isZero();

        Result requested = cli(operator, "y\n", "run", "proxylogon-remediation", "-t", host, "--ticket", ticket, "--json");
        assertThat(requested.exit()).as("a confirmed run: %s", requested).isZero();
        String run = requested.json().path("id").asText();
        assertThat(requested.json().path("playbookDigest").asText()).isEqualTo(digest);
        assertThat(requested.err()).as("with --json the plan is shown on standard error").contains("digest " + digest);

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() ->
                "WAITING_APPROVAL".equals(as(operator, "runs", "show", run, "--json").json().path("status").asText()));
        Result notTheirs = as(operator, "approve", run);
        assertThat(notTheirs.exit()).as("an operator approving: %s", notTheirs).isEqualTo(Exit.DENIED);
        Result approved = as(approver, "approve", run, "-m", "CHG-" + suffix);
        assertThat(approved.exit()).as("approval by another person: %s", approved).isZero();
        assertThat(approved.out()).contains("Approved step patch of run " + run);
        Result again = as(approver, "approve", run, "--step", "patch");
        assertThat(again.exit()).as("approving what no longer waits: %s", again).isEqualTo(Exit.CONFLICT);

        Result watched = as(auditor, "runs", "watch", run);
        assertThat(watched.exit()).as("watching until the end: %s", watched).isZero();
        List<String> lines = watched.out().lines().toList();
        assertThat(lines.get(0)).as("the first event").contains("RunRequested");
        assertThat(lines.get(lines.size() - 1)).as("the last event").contains("RunSucceeded");
        assertThat(watched.out()).containsPattern("ApprovalGranted +" + host + " patch.* by token:cli-approver-" + suffix);
        long events = lines.size();
        List<Long> seqs = lines.stream().map(l -> Long.parseLong(l.strip().split(" +")[0])).toList();
        assertThat(seqs).as("every event once, in order").isEqualTo(Stream.iterate(1L, n -> n + 1).limit(events).toList());

        Result resumed = as(auditor, "runs", "watch", run, "--after", Long.toString(events - 3), "--json");
        assertThat(resumed.exit()).as("resuming after seq %d: %s", events - 3, resumed).isZero();
        assertThat(resumed.out().lines().map(l -> {
            try {
                return Api.JSON.readTree(l).path("seq").asLong();
            } catch (IOException e) {
                throw new AssertionError(l, e);
            }
        }).toList()).as("resumed with Last-Event-ID").containsExactly(events - 2, events - 1, events);

        Result polled = as(operator, "runs", "watch", run);
        assertThat(polled.exit()).as("an operator (no events role) watching: %s", polled).isZero();
        assertThat(polled.err()).contains("auditor or admin");
        assertThat(polled.out()).containsPattern("run +SUCCEEDED");

        Result listed = as(operator, "runs", "list", "--ticket", ticket);
        assertThat(listed.out()).as("the run list").containsPattern(run + " +SUCCEEDED +proxylogon-remediation");
        Result servers = as(operator, "servers", host, "--json");
        assertThat(servers.json().path("patch").asText()).as("server verdict: %s", servers).isEqualTo("PATCHED");
        assertThat(servers.json().path("service").asText()).isEqualTo("IN_SERVICE");
        Result cancel = as(operator, "cancel", run);
        assertThat(cancel.exit()).as("cancelling a finished run: %s", cancel).isEqualTo(Exit.CONFLICT);

        // The auditor's proof, offline: the export, the served public keys, and nothing else.
        Path export = home.resolve("run.jsonl");
        Path keys = home.resolve("keys");
        assertThat(as(auditor, "export", run, "-o", export.toString()).exit()).isZero();
        assertThat(as(auditor, "keys", "-o", keys.toString()).exit()).isZero();
        List<String> keyFiles = new ArrayList<>();
        try (Stream<Path> files = Files.list(keys)) {
            files.forEach(f -> keyFiles.add(f.toString()));
        }
        assertThat(keyFiles).isNotEmpty();
        List<String> verifyArgs = new ArrayList<>(List.of("verify", export.toString()));
        verifyArgs.addAll(keyFiles);
        Path nobody = home.resolve("nobody").resolve("config");
        Result verified = as(nobody, verifyArgs.toArray(String[]::new));
        assertThat(verified.exit()).as("offline verification, not logged in: %s", verified).isZero();
        assertThat(verified.out()).startsWith("run " + run + ": verified, " + events + " events");

        List<String> tampered = new ArrayList<>(Files.readAllLines(export));
        int approval = tampered.stream().filter(l -> l.contains("CHG-" + suffix)).findFirst().map(tampered::indexOf).orElseThrow();
        tampered.set(approval, tampered.get(approval).replace("CHG-" + suffix, "CHG-" + suffix.toUpperCase() + "X"));
        Files.write(export, tampered);
        verifyArgs.add(1, "--json");
        Result failed = as(nobody, verifyArgs.toArray(String[]::new));
        assertThat(failed.exit()).as("a rewritten approval comment: %s", failed).isEqualTo(Exit.FAILED);
        assertThat(failed.json().path("verified").asBoolean()).isFalse();
        assertThat(failed.json().path("runs").get(0).path("firstBadSeq").asLong()).as("first bad seq: %s", failed)
                .isEqualTo(approval + 1L);
    }

    @Test
    void lint_gives_the_services_own_errors_for_a_broken_playbook_at_its_line_without_a_server_and_exits_1()
            throws IOException {
        Path nobody = home.resolve("nobody").resolve("config");
        String good = String.join("\n",
                "name: cli-lint-" + UUID.randomUUID().toString().substring(0, 6),
                "description: One harmless step.",
                "version: 1",
                "steps:",
                "  - id: hello",
                "    description: Says hello.",
                "    readOnly: true",
                "    timeout: 1m",
                "    powershell: |",
                "      Write-Output 'hello'",
                "");
        Path draft = Files.createDirectories(home.resolve("draft")).resolve("cli-lint.yaml");
        Files.writeString(draft, good);
        Result clean = as(nobody, "lint", draft.toString());
        assertThat(clean.exit()).as("the playbook before the typo: %s", clean).isZero();
        Files.writeString(draft, good.replace("    timeout: 1m", "    timout: 1m"));
        Result broken = as(nobody, "lint", draft.toString());
        assertThat(broken.exit()).as("a misspelled key: %s", broken).isEqualTo(Exit.FAILED);
        assertThat(broken.out()).startsWith(draft + ":8:5: unknown key 'timout' in step 'hello'");
        assertThat(broken.out()).contains("1 file checked, 1 error");

        // The same file in the service's playbook directory: the service lists exactly the errors lint printed.
        Path served = TempPlaybooksProfile.DIR.resolve("cli-lint-" + UUID.randomUUID().toString().substring(0, 6) + ".yaml");
        Files.copy(draft, served);
        try {
            List<Map<String, Object>> serviceErrors = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                List<Map<String, Object>> files = given().when().get("/api/v1/playbooks/errors").then().statusCode(200)
                        .extract().jsonPath().getList("");
                serviceErrors.clear();
                files.stream().filter(f -> served.toString().equals(f.get("file"))).findFirst()
                        .ifPresent(f -> serviceErrors.addAll(castList(f.get("errors"))));
                return !serviceErrors.isEmpty();
            });
            Result json = as(nobody, "lint", "--json", served.toString());
            assertThat(json.exit()).isEqualTo(Exit.FAILED);
            List<Map<String, Object>> linted = Api.JSON.convertValue(json.json().path("errors"),
                    new com.fasterxml.jackson.core.type.TypeReference<List<Map<String, Object>>>() { });
            assertThat(linted).as("lint's errors against the service's for %s", served).isEqualTo(serviceErrors);
            assertThat(linted.get(0)).containsEntry("line", 8).containsEntry("column", 5);
        } finally {
            Files.deleteIfExists(served);
        }

        Result shipped = as(nobody, "lint", "playbooks");
        assertThat(shipped.exit()).as("the shipped playbooks and library: %s", shipped).isZero();
        assertThat(shipped.out()).containsPattern("\\d+ files checked, 0 errors");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> castList(Object list) {
        return (List<Map<String, Object>>) list;
    }

    @Test
    void an_operator_retries_an_ended_run_once_and_only_an_admin_skips_a_step_on_record() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String host = labHost("2016", "CU19");
        Path operator = login("retry-operator", token("cli-retry-operator-" + suffix, "operator", "viewer"));
        Path admin = login("retry-admin", token("cli-retry-admin-" + suffix, "admin", "viewer"));
        Result requested = cli(operator, "y\n", "run", "proxylogon-remediation", "-t", host, "--json");
        String run = requested.json().path("id").asText();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() ->
                "WAITING_APPROVAL".equals(as(operator, "runs", "show", run, "--json").json().path("status").asText()));

        Result going = as(operator, "retry", run);
        assertThat(going.exit()).as("retrying a run still going: %s", going).isEqualTo(Exit.CONFLICT);
        assertThat(going.err()).contains("only a run that ended FAILED or CANCELLED can be retried");
        assertThat(as(operator, "cancel", run).exit()).isZero();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() ->
                "CANCELLED".equals(as(operator, "runs", "show", run, "--json").json().path("status").asText()));

        Result notAdmin = as(operator, "retry", run, "--skip", host + "/reboot=checked by hand");
        assertThat(notAdmin.exit()).as("an operator skipping: %s", notAdmin).isEqualTo(Exit.DENIED);
        Result notSkippable = as(admin, "retry", run, "--skip", host + "/verify=trust me");
        assertThat(notSkippable.exit()).as("skipping the verification: %s", notSkippable).isEqualTo(Exit.USAGE);
        assertThat(notSkippable.err()).contains("step 'verify' on '" + host + "' may not be skipped");

        Result retried = as(admin, "retry", run, "--skip", host + "/reboot=restarted by hand in the window of CHG-7", "--json");
        assertThat(retried.exit()).as("an admin's retry with a skip: %s", retried).isZero();
        String retry = retried.json().path("id").asText();
        assertThat(retried.json().path("retryOf").asText()).isEqualTo(run);
        Result shown = as(operator, "runs", "show", run, "--json");
        assertThat(shown.json().path("retriedAs").asText()).as("the run retried points at its retry").isEqualTo(retry);
        assertThat(given().when().get("/api/v1/runs/{id}/events", retry).then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.type == 'StepSkippedByPerson' }", Map.class))
                .as("the skip, on record with who and why").singleElement().satisfies(e -> {
                    assertThat(e).containsEntry("step", "reboot").containsEntry("actor", "token:cli-retry-admin-" + suffix);
                    assertThat(((Map<?, ?>) e.get("data")).get("reason")).isEqualTo("restarted by hand in the window of CHG-7");
                });
        Result twice = as(operator, "retry", run);
        assertThat(twice.exit()).as("a second retry of one run: %s", twice).isEqualTo(Exit.CONFLICT);
        assertThat(twice.err()).contains("was already retried as run " + retry);

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() ->
                "WAITING_APPROVAL".equals(as(operator, "runs", "show", retry, "--json").json().path("status").asText()));
        Result human = as(operator, "retry", retry);
        assertThat(human.exit()).as("retrying the retry while it waits: %s", human).isEqualTo(Exit.CONFLICT);
        assertThat(as(admin, "cancel", retry).exit()).as("the admin cancels the retry it requested").isZero();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() ->
                "CANCELLED".equals(as(operator, "runs", "show", retry, "--json").json().path("status").asText()));
        Result again = as(operator, "retry", retry);
        assertThat(again.exit()).as("retrying the cancelled retry: %s", again).isZero();
        assertThat(again.out()).startsWith("Retrying run " + retry + " as run ")
                .contains("Follow it with: antidote runs watch ");
        String third = again.out().lines().findFirst().orElseThrow().replaceAll(".* as run (\\S+) .*", "$1");
        assertThat(as(operator, "cancel", third).exit()).as("cleaning up the third run").isZero();
    }

    @Test
    void a_requester_who_is_also_an_approver_cannot_approve_or_reject_their_own_run_and_is_told_why() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String host = labHost("2016", "CU19");
        Path requester = login("self-approver", token("cli-self-" + suffix, "operator", "approver", "viewer"));
        Result requested = cli(requester, "", "run", "approval-script-probe", "-t", host, "-p", "token=T0k-" + suffix,
                "-p", "note=self", "-y", "--json");
        assertThat(requested.exit()).as("the request: %s", requested).isZero();
        String run = requested.json().path("id").asText();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                "WAITING_APPROVAL".equals(as(requester, "runs", "show", run, "--json").json().path("status").asText()));

        for (String decision : List.of("approve", "reject")) {
            Result own = as(requester, decision, run, "-m", "my own");
            assertThat(own.exit()).as("%s of one's own run: %s", decision, own).isEqualTo(Exit.DENIED);
            assertThat(own.err()).contains("'token:cli-self-" + suffix + "' requested this run and the playbook does not"
                    + " let the requester approve step 'apply'");
        }
        assertThat(as(requester, "runs", "show", run, "--json").json().path("status").asText())
                .as("nothing was decided").isEqualTo("WAITING_APPROVAL");
        assertThat(as(requester, "cancel", run).exit()).as("the requester cancels it").isZero();
    }

    @Test
    void a_usage_error_exits_2_and_an_unknown_run_exits_3() throws IOException {
        Path auditor = login("usage", token("cli-usage-" + UUID.randomUUID().toString().substring(0, 6), "auditor", "viewer"));
        assertThat(as(auditor, "runs", "show").exit()).as("a missing run id").isEqualTo(Exit.USAGE);
        assertThat(as(auditor, "no-such-command").exit()).isEqualTo(Exit.USAGE);
        Result unknown = as(auditor, "runs", "show", UUID.randomUUID().toString());
        assertThat(unknown.exit()).as("an unknown run: %s", unknown).isEqualTo(Exit.DENIED);
        assertThat(unknown.err()).contains("HTTP 404");
        Result notLoggedIn = as(home.resolve("nobody").resolve("config"), "runs", "list");
        assertThat(notLoggedIn.exit()).isEqualTo(Exit.DENIED);
        assertThat(notLoggedIn.err()).contains("antidote login");
        Result badFilter = as(auditor, "runs", "list", "--status", "done");
        assertThat(badFilter.exit()).as("a status the service does not know: %s", badFilter).isEqualTo(Exit.USAGE);
        assertThat(badFilter.err()).contains("status");
    }
}
