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

    /**
     * The events decided. Every target's end comes right after its verdict; an expectation that names no
     * verdict is about other rules, so it is compared with the events other than verdicts (the verdicts
     * themselves are specified in VerdictsTest and SafetyInvariantTest).
     */
    List<RunEvent> thenEvents(RunEvent... expected) {
        List<RunEvent> actual = RunDecider.decide(command, RunDecider.fold(given), alsoBusy);
        for (int i = 0; i < actual.size(); i++) {
            if (actual.get(i) instanceof RunEvent.EndsTarget ended) {
                assertThat(i > 0 ? actual.get(i - 1) : null).as("the event before %s", ended)
                        .isInstanceOfSatisfying(RunEvent.TargetVerdictRecorded.class,
                                v -> assertThat(v.target()).isEqualTo(ended.target()));
            }
        }
        boolean namesVerdicts = java.util.Arrays.stream(expected).anyMatch(RunEvent.TargetVerdictRecorded.class::isInstance);
        List<RunEvent> compared = namesVerdicts ? actual
                : actual.stream().filter(e -> !(e instanceof RunEvent.TargetVerdictRecorded)).toList();
        assertThat(compared).as("events decided for %s", command).containsExactly(expected);
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
