package io.antidote.engine;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DecisionWaitsTest {

    final DecisionWaits waits = new DecisionWaits();
    final UUID command = UUID.randomUUID();
    final UUID other = UUID.randomUUID();

    @Test
    void a_decision_wakes_the_waits_for_its_command_only() {
        CompletableFuture<Void> first = waits.expect(command);
        CompletableFuture<Void> second = waits.expect(command);
        CompletableFuture<Void> elsewhere = waits.expect(other);

        waits.decided(command);

        assertThat(first).isDone();
        assertThat(second).isDone();
        assertThat(elsewhere).isNotDone();
    }

    @Test
    void decisions_that_may_have_been_missed_wake_every_wait() {
        CompletableFuture<Void> first = waits.expect(command);
        CompletableFuture<Void> elsewhere = waits.expect(other);

        waits.decided(null);

        assertThat(first).isDone();
        assertThat(elsewhere).isDone();
    }

    @Test
    void a_forgotten_wait_is_neither_woken_nor_kept() {
        CompletableFuture<Void> wait = waits.expect(command);
        waits.forget(command, wait);

        waits.decided(command);

        assertThat(wait).isNotDone();
        assertThat(waits.waitingFor(command)).isFalse();
    }

    @Test
    void a_decision_for_nobody_waiting_changes_nothing() {
        waits.decided(command);

        assertThat(waits.waitingFor(command)).isFalse();
        CompletableFuture<Void> later = waits.expect(command);
        assertThat(later).as("a decision before the wait is read from the row, not remembered here").isNotDone();
    }
}
