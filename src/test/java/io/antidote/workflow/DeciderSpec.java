package io.antidote.workflow;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** given events / when command / then events (or a rejection), for {@link RunDecider}. */
final class DeciderSpec {

    private final List<RunEvent> given;
    private RunCommand command;
    private Set<String> alsoBusy = Set.of();

    private DeciderSpec(List<RunEvent> given) {
        this.given = given;
    }

    static DeciderSpec givenEvents(RunEvent... events) {
        return new DeciderSpec(List.of(events));
    }

    static DeciderSpec givenEvents(List<RunEvent> events) {
        return new DeciderSpec(List.copyOf(events));
    }

    DeciderSpec whenCommand(RunCommand command) {
        this.command = command;
        return this;
    }

    /** Targets held by other runs besides those the command names (what the store refused to start). */
    DeciderSpec withAlsoBusy(String... targets) {
        this.alsoBusy = Set.of(targets);
        return this;
    }

    List<RunEvent> thenEvents(RunEvent... expected) {
        List<RunEvent> actual = RunDecider.decide(command, RunDecider.fold(given), alsoBusy);
        assertThat(actual).as("events decided for %s", command).containsExactly(expected);
        return actual;
    }

    void thenRejected(String messagePart) {
        assertThatThrownBy(() -> RunDecider.decide(command, RunDecider.fold(given)))
                .as("%s should be rejected", command)
                .isInstanceOf(CommandRejected.class)
                .hasMessageContaining(messagePart);
    }

    RunState thenState() {
        RunState state = RunDecider.fold(given);
        return RunDecider.fold(concat(given, RunDecider.decide(command, state)));
    }

    private static List<RunEvent> concat(List<RunEvent> a, List<RunEvent> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
