package io.antidote.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One row of {@code run_event}, as Hibernate maps it; only {@link EventStore} touches it. */
@Entity(name = "RunEvent")
@Table(name = "run_event")
@Immutable
class RunEventRow {

    /** Assigned by the database ({@code generated always as identity}). */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "position", updatable = false)
    Long position;

    @Column(name = "event_id", nullable = false, updatable = false)
    UUID eventId;

    @Column(name = "run_id", nullable = false, updatable = false)
    UUID runId;

    @Column(name = "seq", nullable = false, updatable = false)
    long seq;

    @Column(name = "type", nullable = false, updatable = false, columnDefinition = "text")
    String type;

    @Column(name = "occurred_at", nullable = false, updatable = false)
    Instant occurredAt;

    @Column(name = "actor", nullable = false, updatable = false, columnDefinition = "text")
    String actor;

    @Column(name = "target", updatable = false, columnDefinition = "text")
    String target;

    @Column(name = "step", updatable = false, columnDefinition = "text")
    String step;

    @Column(name = "attempt", updatable = false)
    Integer attempt;

    /**
     * The JSON text of the event's data object; stored as jsonb (the column's check constraint
     * refuses anything but an object, so a mapping that wrote a JSON string would fail loudly).
     */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "data", nullable = false, updatable = false)
    String data;

    @Column(name = "prev_hash", nullable = false, updatable = false, length = 64, columnDefinition = "char(64)")
    String prevHash;

    @Column(name = "hash", nullable = false, updatable = false, length = 64, columnDefinition = "char(64)")
    String hash;
}
