package io.antidote.store;

import io.antidote.workflow.RunEvent;
import io.antidote.workflow.RunEventTypes;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Migrations name event types in SQL, and a migration that ran is never edited (Flyway checks every applied
 * file's checksum), so they cannot read the workflow's list: this reads them and holds them to it instead.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MigrationEventTypesTest {

    /** {@code type = 'X'} or {@code type in ('X', 'Y')}, with any table alias before {@code type}. */
    private static final Pattern TYPE_TEST = Pattern.compile(
            "\\btype\\s*(?:=\\s*'([^']*)'|in\\s*\\(([^)]*)\\))", Pattern.CASE_INSENSITIVE);

    @Test
    void every_event_type_a_migration_names_is_one_the_workflow_stores() throws Exception {
        Map<String, String> migrations = migrations();
        assertThat(migrations).as("migrations on the class path").containsKey("V5__target_lease.sql");
        migrations.forEach((file, sql) -> assertThat(typeTests(sql).stream().flatMap(List::stream))
                .as("event types named in %s", file)
                .allMatch(name -> RunEventTypes.ALL.stream().map(RunEventTypes::nameOf).anyMatch(name::equals)));
    }

    /**
     * The lease back-fill took the targets started and not ended. If an event that ends a target is added
     * later, V5 stays as it is (no database it migrated holds that event): change this expectation then,
     * never V5.
     */
    @Test
    void the_lease_back_fill_ends_targets_by_the_events_the_workflow_says_end_them() throws Exception {
        List<List<String>> tests = typeTests(migrations().get("V5__target_lease.sql"));
        assertThat(tests).containsExactly(
                List.of(RunEventTypes.nameOf(RunEvent.TargetStarted.class)),
                RunEventTypes.ENDING_TARGET.stream().sorted().toList());
    }

    /** The owner back-fill gave an owner to the runs without an event that ends a run, as the workflow names them. */
    @Test
    void the_owner_back_fill_takes_the_runs_not_ended_by_the_events_the_workflow_says_end_them() throws Exception {
        assertThat(typeTests(migrations().get("V9__run_owner.sql")))
                .containsExactly(RunEventTypes.ENDING_RUN.stream().sorted().toList());
    }

    /**
     * A server's verdict rests on the outcomes of the run's steps on it (every event that ends a step, and the
     * steps skipped) and on any release by hand. The function is live: it folds every append. If an event that
     * ends a step is added, replace {@code server_state_project} in a new migration, which this reads then.
     */
    @Test
    void a_verdicts_evidence_is_every_step_outcome_the_workflow_names_and_the_releases() throws Exception {
        String sql = latestDefining("server_state_project");
        List<String> evidence = typeTests(sql).stream().filter(names -> names.size() > 1).findFirst().orElseThrow();
        assertThat(evidence).as("event types a verdict's evidence is made of")
                .containsExactlyInAnyOrderElementsOf(Stream.concat(RunEventTypes.namesOf(RunEvent.EndsStep.class).stream(),
                        Stream.of(RunEvent.StepSkipped.class, RunEvent.TargetReleased.class).map(RunEventTypes::nameOf))
                        .toList());
    }

    /** The text of the last migration (by version) that creates or replaces this SQL function. */
    private static String latestDefining(String function) throws Exception {
        Pattern defines = Pattern.compile("create\\s+(or\\s+replace\\s+)?function\\s+" + function + "\\b",
                Pattern.CASE_INSENSITIVE);
        return migrations().entrySet().stream()
                .filter(file -> file.getKey().startsWith("V") && defines.matcher(file.getValue()).find())
                .max(java.util.Comparator.comparingInt(file -> Integer.parseInt(file.getKey().replaceAll("^V(\\d+)__.*", "$1"))))
                .orElseThrow(() -> new AssertionError("no migration defines " + function)).getValue();
    }

    /** The names each {@code type} comparison in the SQL tests for, in the order they appear (each sorted). */
    private static List<List<String>> typeTests(String sql) {
        String code = sql.replaceAll("--[^\n]*", "");
        List<List<String>> tests = new ArrayList<>();
        Matcher m = TYPE_TEST.matcher(code);
        while (m.find()) {
            Stream<String> names = m.group(1) != null ? Stream.of(m.group(1))
                    : Arrays.stream(m.group(2).split(",")).map(String::strip).map(s -> s.replaceAll("^'|'$", ""));
            tests.add(names.sorted().toList());
        }
        return tests;
    }

    private static Map<String, String> migrations() throws IOException, URISyntaxException {
        Path dir = Path.of(Objects.requireNonNull(MigrationEventTypesTest.class.getResource("/db/migration"),
                "db/migration on the class path").toURI());
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.list(dir)) {
            for (Path p : paths.filter(p -> p.toString().endsWith(".sql")).toList()) {
                files.put(p.getFileName().toString(), Files.readString(p));
            }
        }
        return files;
    }
}
