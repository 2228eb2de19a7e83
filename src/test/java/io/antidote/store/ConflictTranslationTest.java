package io.antidote.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.pgclient.PgException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Which database refusals mean "another writer got there first" (reload and retry) and which are
 * real errors that must reach the caller unchanged.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConflictTranslationTest {

    @Test
    void a_taken_seq_is_a_conflict_however_deeply_it_is_wrapped() {
        PgException taken = new PgException(
                "duplicate key value violates unique constraint \"run_event_stream_seq_key\"", "ERROR", "23505", null);
        assertThat(PostgresEventStore.isConflict(taken)).as("a taken seq").isTrue();
        assertThat(PostgresEventStore.isConflict(new CompletionException(new IllegalStateException("flush failed", taken))))
                .as("a taken seq inside two wrappers").isTrue();
    }

    @Test
    void a_refusal_by_the_chain_trigger_is_a_conflict() {
        PgException unchained = new PgException("run_event chain broken: run x has no seq 3 to follow with seq 4",
                "ERROR", "AN002", null);
        assertThat(PostgresEventStore.isConflict(unchained)).as("an insert the chain trigger refused").isTrue();
    }

    @Test
    void a_recorded_event_id_and_other_errors_are_not_conflicts() {
        PgException duplicateEvent = new PgException(
                "duplicate key value violates unique constraint \"run_event_event_id_key\"", "ERROR", "23505", null);
        assertThat(PostgresEventStore.isConflict(duplicateEvent)).as("an event id already recorded").isFalse();
        assertThat(PostgresEventStore.isConflict(new PgException("run_event is append-only: UPDATE refused", "ERROR", "AN001", null)))
                .as("a refused history edit").isFalse();
        assertThat(PostgresEventStore.isConflict(new PgException("connection reset", "FATAL", "08006", null)))
                .as("a lost connection").isFalse();
        assertThat(PostgresEventStore.isConflict(new IllegalStateException("no database involved"))).as("a plain failure").isFalse();
    }
}
