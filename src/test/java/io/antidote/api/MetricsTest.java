package io.antidote.api;

import static io.antidote.api.ProxyLogonRemediationTest.approveWhenAsked;
import static io.antidote.api.ProxyLogonRemediationTest.awaitFinished;
import static io.antidote.api.ProxyLogonRemediationTest.requestRun;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.antidote.store.ChainAlarms;
import io.antidote.store.ChainCheck;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * {@code /q/metrics} as Prometheus scrapes it, before and after real remediation runs against lab hosts over
 * WinRM: one that succeeds (with an approval on the way), one whose host refuses the credentials.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MetricsTest {

    private static final String PLAYBOOK = "proxylogon-remediation";
    /**
     * A sample line: name, labels, value, then optionally a timestamp and an exemplar ({@code # {trace_id=...}
     * ...}), which the registry adds while a span is current, as it is on a step worker.
     */
    private static final Pattern SAMPLE = Pattern.compile(
            "^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})? (\\S+)(?: -?\\d+)?(?: # .*)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Inject
    ChainAlarms alarms;

    @Test
    void a_lab_run_moves_the_run_step_winrm_store_and_outbox_meters() {
        Scrape before = scrape();
        String healthy = LabHosts.create("2016", "CU19", List.of(), List.of());
        String refusing = LabHosts.create("2016", "CU19", List.of(), List.of("http-401"));

        String good = requestRun(healthy);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> "WAITING_APPROVAL"
                .equals(given().when().get("/api/v1/runs/{id}", good).then().statusCode(200).extract().path("status")));
        Scrape waiting = scrape();
        assertThat(waiting.sum("antidote_approvals_waiting")).as("the patch waits for approval")
                .isGreaterThanOrEqualTo(before.sum("antidote_approvals_waiting") + 1);
        approveWhenAsked(good);
        assertThat(awaitFinished(good).getString("status")).isEqualTo("SUCCEEDED");
        String bad = requestRun(refusing);
        assertThat(awaitFinished(bad).getString("status")).isEqualTo("FAILED");
        await().atMost(Duration.ofSeconds(10)).until(() -> scrape().sum("antidote_outbox_published_total")
                > before.sum("antidote_outbox_published_total"));

        Scrape after = scrape();
        Map<String, String> playbook = Map.of("playbook", PLAYBOOK);
        assertThat(after.delta(before, "antidote_runs_requested_total", playbook)).isEqualTo(2);
        assertThat(after.delta(before, "antidote_runs_finished_total", Map.of("playbook", PLAYBOOK, "status", "succeeded")))
                .isEqualTo(1);
        assertThat(after.delta(before, "antidote_runs_finished_total", Map.of("playbook", PLAYBOOK, "status", "failed")))
                .isEqualTo(1);
        assertThat(after.delta(before, "antidote_targets_finished_total", Map.of("playbook", PLAYBOOK, "outcome", "failed")))
                .isEqualTo(1);

        Map<String, String> precheckOk = Map.of("playbook", PLAYBOOK, "step", "precheck", "outcome", "succeeded");
        assertThat(after.delta(before, "antidote_step_duration_seconds_count", precheckOk)).isEqualTo(1);
        assertThat(after.delta(before, "antidote_step_duration_seconds_sum", precheckOk)).isPositive();
        assertThat(after.delta(before, "antidote_step_duration_seconds_count",
                Map.of("playbook", PLAYBOOK, "step", "precheck", "outcome", "failed"))).isEqualTo(1);
        assertThat(after.delta(before, "antidote_step_duration_seconds_count", Map.of("step", "patch", "outcome", "succeeded")))
                .isEqualTo(1);
        assertThat(after.series("antidote_step_duration_seconds_bucket")).as("a histogram, not just a summary")
                .anySatisfy(labels -> assertThat(labels).containsKey("le").containsEntry("step", "patch"));
        assertThat(after.delta(before, "antidote_steps_skipped_total", Map.of("step", "mitigate-rewrite"))).isEqualTo(1);

        assertThat(after.delta(before, "antidote_winrm_calls_seconds_count", Map.of("outcome", "ok", "kind", "none")))
                .as("one call per step that ran on the healthy host").isGreaterThanOrEqualTo(10);
        assertThat(after.delta(before, "antidote_winrm_calls_seconds_count",
                Map.of("outcome", "failed", "kind", "AuthenticationRefused"))).isEqualTo(1);
        assertThat(after.delta(before, "antidote_store_append_seconds_count", Map.of("outcome", "committed")))
                .isGreaterThanOrEqualTo(10);
        assertThat(after.delta(before, "antidote_outbox_published_total", Map.of())).isPositive();
        assertThat(after.sum("antidote_approvals_waiting")).isEqualTo(before.sum("antidote_approvals_waiting"));
        for (String gauge : List.of("antidote_outcomes_waiting", "antidote_decisions_waiting",
                "antidote_steps_waiting_worker", "antidote_writes_waiting_slot", "antidote_steps_running",
                "antidote_winrm_circuits_open",
                "antidote_winrm_sessions_waiting", "antidote_outbox_lag_seconds", "antidote_chain_failing_runs")) {
            assertThat(after.series(gauge)).as(gauge).isNotEmpty();
        }

        assertThat(after.text()).as("no run id, target or credential in any series")
                .doesNotContain(good).doesNotContain(bad).doesNotContain(healthy).doesNotContain(refusing)
                .doesNotContain("Lab-Passw0rd!");
    }

    @Test
    void a_history_failing_verification_is_counted_and_shown_until_it_verifies() {
        Scrape before = scrape();
        UUID run = UUID.randomUUID();

        alarms.observe(new ChainCheck(run, 3, 2L, "hash of seq 2 does not match its content", 0));
        Scrape failing = scrape();
        alarms.observe(new ChainCheck(run, 3, null, null, 0));
        Scrape healed = scrape();

        assertThat(failing.delta(before, "antidote_chain_verification_failures_total", Map.of())).isEqualTo(1);
        assertThat(failing.delta(before, "antidote_chain_failing_runs", Map.of())).isEqualTo(1);
        assertThat(healed.delta(before, "antidote_chain_failing_runs", Map.of())).isZero();
        assertThat(healed.delta(before, "antidote_chain_verification_failures_total", Map.of())).as("a counter").isEqualTo(1);
    }

    // --- reading the Prometheus text format ---

    private static Scrape scrape() {
        return new Scrape(given().when().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    record Scrape(String text) {

        double sum(String name) {
            return sum(name, Map.of());
        }

        double sum(String name, Map<String, String> labels) {
            double total = 0;
            for (String line : text.split("\n")) {
                Matcher sample = SAMPLE.matcher(line.strip());
                if (!line.startsWith("#") && sample.matches() && sample.group(1).equals(name)
                        && labels(sample.group(3)).entrySet().containsAll(labels.entrySet())) {
                    total += Double.parseDouble(sample.group(4));
                }
            }
            return total;
        }

        double delta(Scrape before, String name, Map<String, String> labels) {
            return sum(name, labels) - before.sum(name, labels);
        }

        List<Map<String, String>> series(String name) {
            return text.lines().filter(line -> !line.startsWith("#")).map(SAMPLE::matcher).filter(Matcher::matches)
                    .filter(sample -> sample.group(1).equals(name)).map(sample -> labels(sample.group(3))).toList();
        }

        private static Map<String, String> labels(String text) {
            Map<String, String> labels = new LinkedHashMap<>();
            if (text != null) {
                Matcher label = LABEL.matcher(text);
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            return labels;
        }
    }
}
