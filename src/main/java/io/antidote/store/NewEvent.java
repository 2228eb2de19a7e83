package io.antidote.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * An event about to be appended to a run's stream; the store gives it its {@code seq} and hashes.
 *
 * <p>{@code occurredAt} is truncated to microseconds here, because PostgreSQL keeps microseconds
 * (and would round, not truncate, anything finer): the instant that is hashed must be the instant
 * that is stored.
 *
 * @param eventId unique across all runs, for de-duplication by consumers
 * @param type stable event type name, for example {@code StepSucceeded} (never a Java class name)
 * @param target the target (server) the event is about, if any
 * @param step the playbook step the event is about, if any
 * @param attempt the step attempt the event is about, if any
 * @param data the event's own fields: a JSON object of strings, integers, booleans, nulls, arrays
 *     and objects (no floating-point numbers)
 */
public record NewEvent(
        UUID eventId,
        String type,
        Instant occurredAt,
        String actor,
        String target,
        String step,
        Integer attempt,
        ObjectNode data) {

    public NewEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(data, "data");
        if (type.isBlank()) {
            throw new IllegalArgumentException("event type must not be blank");
        }
        occurredAt = occurredAt.truncatedTo(ChronoUnit.MICROS);
    }

    /** The same event with other data, for tools that show how a changed event fails to verify. */
    public NewEvent withData(ObjectNode data) {
        return new NewEvent(eventId, type, occurredAt, actor, target, step, attempt, data);
    }
}
