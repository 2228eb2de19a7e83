package io.antidote.api;

import static io.antidote.api.ProxyLogonRemediationTest.approveWhenAsked;
import static io.antidote.api.ProxyLogonRemediationTest.awaitFinished;
import static io.antidote.api.ProxyLogonRemediationTest.events;
import static io.antidote.api.ProxyLogonRemediationTest.requestRun;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.json.runtime.JsonFormatter;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * What a SIEM gets from Antidote's logs during real remediation runs against lab hosts: one INFO line per
 * event a run commits, with the run, target, step and actor in the MDC; the transport's lines carrying the run
 * and step they work for; JSON with the MDC as fields; and never the credential's password.
 */
@QuarkusTest
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RunLogsTest {

    private static final String TRANSITIONS = "io.antidote.engine.TransitionLog";
    private static final String TRANSPORT = "io.antidote.winrm.WinRm4jShell";
    private static final String LAB_PASSWORD = "Lab-Passw0rd!";

    private final List<ExtLogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            ExtLogRecord ext = (ExtLogRecord) record;
            // Snapshot of the MDC and the formatted message as they were on the logging thread.
            ext.copyAll();
            records.add(ext);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger antidote = Logger.getLogger("io.antidote");
    private final Logger transport = Logger.getLogger(TRANSPORT);

    @BeforeEach
    void capture() {
        capture.setLevel(Level.ALL);
        antidote.addHandler(capture);
        transport.setLevel(Level.FINE);
    }

    @AfterEach
    void release() {
        antidote.removeHandler(capture);
        transport.setLevel(null);
    }

    @Test
    void each_transition_is_one_info_line_with_run_target_step_and_actor_in_the_mdc_and_no_secret_anywhere()
            throws Exception {
        String healthy = LabHosts.create("2016", "CU19", List.of(), List.of());
        String refusing = LabHosts.create("2016", "CU19", List.of(), List.of("http-401"));

        String good = requestRun(healthy);
        approveWhenAsked(good);
        assertThat(awaitFinished(good).getString("status")).isEqualTo("SUCCEEDED");
        String bad = requestRun(refusing);
        assertThat(awaitFinished(bad).getString("status")).isEqualTo("FAILED");

        for (String run : List.of(good, bad)) {
            List<ExtLogRecord> lines = records.stream()
                    .filter(r -> r.getLoggerName().equals(TRANSITIONS) && run.equals(r.getMdc("runId"))).toList();
            List<List<Object>> logged = lines.stream().map(r -> Arrays.<Object>asList(r.getLevel().getName(),
                    r.getFormattedMessage().split(" ")[2].replace(":", ""), r.getMdc("target"), r.getMdc("step"),
                    r.getMdc("actor"))).toList();
            List<List<Object>> recorded = new ArrayList<>();
            for (Map<String, Object> event : events(run)) {
                recorded.add(Arrays.asList("INFO", event.get("type"), event.get("target"), event.get("step"), event.get("actor")));
            }
            assertThat(logged).as("one line per event of run %s, in order, with its MDC", run).isEqualTo(recorded);
        }
        assertThat(records).as("the approval is logged with who gave it")
                .anySatisfy(r -> {
                    assertThat(r.getFormattedMessage()).contains("ApprovalGranted: patch on " + healthy);
                    assertThat(r.getMdc("actor")).isEqualTo("approver-1");
                });

        List<ExtLogRecord> calls = records.stream().filter(r -> r.getLoggerName().equals(TRANSPORT)).toList();
        assertThat(calls).as("the transport's lines of the good run")
                .filteredOn(r -> good.equals(r.getMdc("runId"))).isNotEmpty()
                .allSatisfy(r -> {
                    assertThat(r.getMdc("target")).isEqualTo(healthy);
                    assertThat(r.getMdc("step")).isNotBlank();
                    assertThat(r.getFormattedMessage()).contains(healthy);
                });
        assertThat(calls).as("the refused logon, with its run and step").anySatisfy(r -> {
            assertThat(r.getMdc("runId")).isEqualTo(bad);
            assertThat(r.getMdc("step")).isEqualTo("precheck");
            assertThat(r.getFormattedMessage()).contains("AuthenticationRefused");
        });

        JsonNode json = new ObjectMapper().readTree(new JsonFormatter().format(records.stream()
                .filter(r -> r.getLoggerName().equals(TRANSITIONS) && "StepSucceeded".equals(
                        r.getFormattedMessage().split(" ")[2].replace(":", ""))).findFirst().orElseThrow()));
        assertThat(json.path("mdc").path("runId").asText()).as("JSON: %s", json).isIn(good, bad);
        assertThat(json.path("mdc").path("target").asText()).isEqualTo(healthy);
        assertThat(json.path("message").asText()).contains("StepSucceeded");

        assertThat(records).as("%d lines", records.size()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.getFormattedMessage()).doesNotContain(LAB_PASSWORD);
            assertThat(r.getMdcCopy().values()).noneMatch(value -> String.valueOf(value).contains(LAB_PASSWORD));
            if (r.getThrown() != null) {
                assertThat(String.valueOf(r.getThrown().getMessage())).doesNotContain(LAB_PASSWORD);
            }
        });
    }
}
