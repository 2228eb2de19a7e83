package io.antidote.engine;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The engine's only source of time. Microsecond precision, because PostgreSQL keeps no more and an
 * event must fold to the same state before and after it is stored.
 */
@ApplicationScoped
public class Clock {

    public Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
