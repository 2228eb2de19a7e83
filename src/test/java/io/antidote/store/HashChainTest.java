package io.antidote.store;

import static io.antidote.store.Events.data;
import static io.antidote.store.Events.events;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** What auditors rely on: any edit, removal, insertion or reordering of a run's history shows. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HashChainTest {

    final UUID run = UUID.randomUUID();
    final List<StoredEvent> history = Events.chain(run, events("RunRequested", "RunStarted", "StepStarted", "StepSucceeded"));

    @Test
    void an_untouched_history_verifies() {
        assertThat(HashChain.verify(history)).as("first broken seq of an untouched history").isEmpty();
        assertThat(HashChain.verify(List.of())).as("first broken seq of an empty history").isEmpty();
    }

    @Test
    void edited_data_breaks_the_chain_at_the_edited_event() {
        List<StoredEvent> edited = new ArrayList<>(history);
        StoredEvent e = edited.get(2);
        edited.set(2, e.withData(data("{\"note\":\"nothing happened\"}")));
        assertThat(HashChain.verify(edited)).as("first broken seq after editing seq 3's data").hasValue(3);
    }

    @Test
    void an_edit_that_recomputes_its_own_hash_still_breaks_the_next_link() {
        List<StoredEvent> edited = new ArrayList<>(history);
        StoredEvent e = edited.get(1);
        NewEvent byMallory = new NewEvent(e.eventId(), e.type(), e.occurredAt(), "mallory", e.target(), e.step(),
                e.attempt(), e.data());
        StoredEvent forged = new StoredEvent(e.position(), e.runId(), e.seq(), byMallory, e.prevHash(),
                EventHash.of(e.prevHash(), e.runId(), e.seq(), byMallory));
        edited.set(1, forged);
        assertThat(HashChain.verify(edited)).as("first broken seq after re-hashing a forged seq 2").hasValue(3);
    }

    @Test
    void a_removed_event_breaks_the_chain_where_it_was() {
        List<StoredEvent> removed = new ArrayList<>(history);
        removed.remove(1);
        assertThat(HashChain.verify(removed)).as("first broken seq after removing seq 2").hasValue(2);
        assertThat(HashChain.verify(history.subList(1, history.size()))).as("first broken seq after removing seq 1").hasValue(1);
    }

    @Test
    void swapped_events_break_the_chain() {
        List<StoredEvent> swapped = new ArrayList<>(history);
        Collections.swap(swapped, 1, 2);
        assertThat(HashChain.verify(swapped)).as("first broken seq after swapping seq 2 and 3").hasValue(2);
    }

    @Test
    void a_first_event_not_chained_to_the_genesis_hash_breaks_the_chain() {
        StoredEvent e = history.get(0);
        String prev = "f".repeat(64);
        StoredEvent rechained = new StoredEvent(e.position(), e.runId(), e.seq(), e.event(), prev,
                EventHash.of(prev, e.runId(), e.seq(), e.event()));
        assertThat(HashChain.verify(List.of(rechained))).as("first broken seq of a run not starting at genesis").hasValue(1);
    }

    @Test
    void an_event_of_another_run_breaks_the_chain() {
        List<StoredEvent> other = Events.chain(UUID.randomUUID(), events("RunRequested", "RunStarted"));
        List<StoredEvent> mixed = new ArrayList<>(history.subList(0, 1));
        mixed.add(other.get(1));
        assertThat(HashChain.verify(mixed)).as("first broken seq when another run's event is spliced in").hasValue(2);
    }
}
