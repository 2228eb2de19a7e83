package io.antidote.workflow;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The stored names of the run events and which of them end a target or a run, read off the sealed
 * {@link RunEvent} hierarchy and its markers instead of being listed by hand: a new event, or a new
 * event that ends a target, reaches the codec, the engine's leases and the store's queries by being
 * declared, and only there.
 *
 * <p>An event's stored name is its record's simple name. It is written into every stream, so a record
 * is never renamed once its events are stored (RunEventTypesTest pins the names).
 */
public final class RunEventTypes {

    /** Every kind of run event, one record each. */
    public static final List<Class<? extends RunEvent>> ALL = records(RunEvent.class).distinct().toList();

    /** Stored names of the events that end a target on a run. */
    public static final Set<String> ENDING_TARGET = namesOf(RunEvent.EndsTarget.class);

    /** Stored names of the events that end a run. */
    public static final Set<String> ENDING_RUN = namesOf(RunEvent.EndsRun.class);

    private RunEventTypes() {
    }

    public static String nameOf(RunEvent event) {
        return nameOf(event.getClass());
    }

    public static String nameOf(Class<? extends RunEvent> type) {
        return type.getSimpleName();
    }

    /** Stored names of the events of this kind (a marker, an interface between, or one record). */
    public static Set<String> namesOf(Class<? extends RunEvent> kind) {
        return ALL.stream().filter(kind::isAssignableFrom).map(RunEventTypes::nameOf)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The records under a sealed interface, through the interfaces between (a record under two, twice). */
    @SuppressWarnings("unchecked")
    private static Stream<Class<? extends RunEvent>> records(Class<?> sealed) {
        return Arrays.stream(sealed.getPermittedSubclasses())
                .flatMap(c -> c.isInterface() ? records(c) : Stream.of((Class<? extends RunEvent>) c));
    }
}
