package io.antidote.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, point 5: a corpus of {@value #MINIMUM_WAYS}+ ways a script can print a secret runs end to end (HTTP API,
 * PostgreSQL, WinRM4j to a lab host), and no form of either secret appears in the run's events (API and the
 * run_event table), in anything else the API answers about the run, in any text column of the database, in the
 * service's log, or in what the lab host logged of its commands. The forms looked for are the test's own list,
 * not the service's: the value, upper-cased, quote-doubled, JSON- and XML-escaped, base64 of its UTF-8 and
 * UTF-16LE bytes, hex, and every run of 8 of its characters.
 */
@QuarkusTest
@TestProfile(SecretCorpusProfile.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SecretCorpusTest {

    static final int MINIMUM_WAYS = 30;
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    /** Quotes, markup, a backslash and non-ASCII (one character the console's code page has, one it has not). */
    static final String TOKEN = "Zq7'Vx<9>&Kw\"M2\\-\u00e4\u20ac-Lp4Rt8" + RUN;
    /** An escape sequence, which JSON, XML and CLIXML each write as an escape of their own. */
    static final String CTL = "Esc\u001b[31mRed-Ctl-" + RUN;

    private static final ConcurrentLinkedQueue<String> LOG = new ConcurrentLinkedQueue<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringBuilder line = new StringBuilder(record.getLoggerName() + " " + record.getMessage());
            if (record.getParameters() != null) {
                for (Object parameter : record.getParameters()) {
                    line.append(' ').append(parameter);
                }
            }
            try {
                line.append(' ').append(new java.util.logging.SimpleFormatter().formatMessage(record));
            } catch (RuntimeException unformattable) {
                // the raw message and parameters are kept above
            }
            for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                line.append(' ').append(t).append(java.util.Arrays.toString(t.getStackTrace()));
            }
            LOG.add(line.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void captureTheLog() {
        CAPTURE.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(CAPTURE);
    }

    @AfterAll
    static void stopCapturing() {
        Logger.getLogger("").removeHandler(CAPTURE);
    }

    /** What must not appear: every form of the secret, and every run of 8 characters of each. */
    static Set<String> forbidden(String secret) {
        List<String> forms = new ArrayList<>(List.of(secret, secret.toUpperCase(Locale.ROOT), secret.replace("'", "''"),
                // ConvertTo-Json (JavaScriptSerializer), Jackson and PostgreSQL's jsonb text
                secret.replace("\\", "\\\\").replace("\"", "\\\"").replace("'", "\\u0027").replace("<", "\\u003c")
                        .replace(">", "\\u003e").replace("&", "\\u0026").replace("\u001b", "\\u001b"),
                secret.replace("\\", "\\\\").replace("\"", "\\\"").replace("\u001b", "\\u001b"),
                secret.replace("\\", "\\\\").replace("\"", "\\\"").replace("\u001b", "\\u001B"),
                secret.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"),
                secret.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\u001b", "_x001B_"),
                Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)),
                Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_16LE)),
                HexFormat.ofDelimiter("-").withUpperCase().formatHex(secret.getBytes(StandardCharsets.UTF_8)),
                HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8)),
                new StringBuilder(secret).reverse().toString()));
        forms.addAll(forms.stream().map(form -> form.toUpperCase(Locale.ROOT)).toList());
        Set<String> runs = new LinkedHashSet<>();
        for (String form : forms) {
            for (int i = 0; i + 8 <= form.length(); i++) {
                runs.add(form.substring(i, i + 8));
            }
        }
        // The forms base64 takes inside a longer text, at the three byte alignments: runs of 8 of each.
        for (byte[] bytes : List.of(secret.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_16LE))) {
            for (int offset = 1; offset < 3; offset++) {
                byte[] padded = new byte[offset + bytes.length];
                System.arraycopy(bytes, 0, padded, offset, bytes.length);
                String encoded = Base64.getEncoder().encodeToString(padded);
                for (int i = 4; i + 8 <= encoded.length() - 4; i++) {
                    runs.add(encoded.substring(i, i + 8));
                }
            }
        }
        return runs;
    }

    static void assertNoSecretIn(String where, String text) {
        for (String secret : List.of(TOKEN, CTL)) {
            for (String run : forbidden(secret)) {
                if (text.contains(run)) {
                    int at = text.indexOf(run);
                    throw new AssertionError("a form of a secret (" + run + ") is in " + where + ": ..."
                            + text.substring(Math.max(0, at - 120), Math.min(text.length(), at + 120)) + "...");
                }
            }
        }
    }

    @Test
    void no_way_of_printing_a_secret_gets_it_into_events_the_api_the_database_or_the_log() throws Exception {
        assertThat(SecretCorpusProfile.WAYS).hasSizeGreaterThanOrEqualTo(MINIMUM_WAYS);
        String host = LabHosts.create("2016", "CU19", List.of(), List.of());

        String runId = given().contentType(ContentType.JSON)
                .body(Map.of("playbook", "secret-corpus", "targets", List.of(host),
                        "params", Map.of("token", TOKEN, "ctl", CTL)))
                .when().post("/api/v1/runs")
                .then().statusCode(202).extract().path("id");
        JsonPath run = ProxyLogonRemediationTest.awaitFinished(runId);
        List<Map<String, Object>> events = ProxyLogonRemediationTest.events(runId);
        Map<String, Map<?, ?>> succeeded = new LinkedHashMap<>();
        events.stream().filter(e -> "StepSucceeded".equals(e.get("type")))
                .forEach(e -> succeeded.put((String) e.get("step"), (Map<?, ?>) e.get("data")));

        assertThat(run.getString("status")).as("the corpus run; events: %s", events).isEqualTo("SUCCEEDED");
        assertThat(succeeded).as("every way ran and succeeded").hasSize(SecretCorpusProfile.WAYS.size() + 3);
        assertThat((String) succeeded.get("received").get("stdout")).as("the secret reached the script whole")
                .isEqualTo("length=" + TOKEN.length() + " head=Zq7 tail=" + TOKEN.substring(TOKEN.length() - 3) + "\r\n");
        for (String way : SecretCorpusProfile.WAYS.keySet()) {
            Map<?, ?> step = succeeded.get(way);
            assertThat(step.get("stdout") + " " + step.get("stderr")).as("what %s printed, masked", way)
                    .contains("***");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> outputs = (Map<String, Object>) succeeded.get("capture").get("outputs");
        assertThat(outputs).as("outputs never hold a secret")
                .containsEntry("leak", "***").containsEntry("upper", "***").containsEntry("ok", "plain");
        assertThat((String) succeeded.get("captured").get("stdout")).isEqualTo("captured: *** / *** / plain\r\n");

        assertNoSecretIn("the run's events (API)", events.toString());
        for (String path : List.of("/api/v1/runs/{id}", "/api/v1/runs/{id}/events", "/api/v1/runs/{id}/export",
                "/api/v1/runs/{id}/verification")) {
            assertNoSecretIn(path, given().when().get(path, runId).then().extract().asString());
        }
        assertNoSecretIn("the run list", given().when().get("/api/v1/runs").then().statusCode(200).extract().asString());
        String commands = given().when().get("/lab/hosts/{name}/commands", host).then().statusCode(200).extract().asString();
        assertThat(commands).as("the lab host's command log shows the scripts").contains("$antidote_input = @($input)");
        assertNoSecretIn("the lab host's command log", commands);
        assertNoSecretIn("the database", everyTextColumn());
        String log = String.join("\n", LOG);
        assertThat(log).as("the log was captured").contains("io.antidote");
        assertNoSecretIn("the service's log", log);
    }

    /** Every text, varchar and json(b) column of every table, as PostgreSQL shows it, like a pg_dump would. */
    static String everyTextColumn() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Connection c = DriverManager.getConnection(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.datasource.jdbc.url", String.class), "postgres", "")) {
            List<String[]> columns = new ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery("select table_schema, table_name, column_name from "
                    + "information_schema.columns where table_schema not in ('pg_catalog', 'information_schema') "
                    + "and data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY')")) {
                while (rs.next()) {
                    columns.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            assertThat(columns).as("text columns found").isNotEmpty();
            for (String[] column : columns) {
                try (ResultSet rs = c.createStatement().executeQuery("select \"" + column[2] + "\"::text from \""
                        + column[0] + "\".\"" + column[1] + "\"")) {
                    while (rs.next()) {
                        all.append(rs.getString(1)).append('\n');
                    }
                }
            }
        }
        return all.toString();
    }
}
