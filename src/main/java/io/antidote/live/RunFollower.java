package io.antidote.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.antidote.store.PostgresEventStore;
import io.antidote.store.StoredEvent;
import io.antidote.workflow.RunEventTypes;
import io.vertx.core.Vertx;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import java.util.UUID;

/**
 * A subscriber to one run's events: everything after {@code Last-Event-ID} from the store, then whatever a
 * signal says was appended, read from the store again after the last seq queued; so nothing is skipped and
 * nothing comes twice, however signals and reads interleave. It ends once the run has ended and everything
 * stored has been sent.
 */
final class RunFollower extends LiveStream<StoredEvent> {

    private final UUID runId;
    private final PostgresEventStore store;
    private final AppendSignals signals;
    private final ObjectMapper json;
    private long queuedUpTo;
    private boolean runEnded;
    private boolean reading;
    private boolean readAgain;
    private Runnable unwatch = () -> { };

    RunFollower(UUID runId, long afterSeq, boolean runEnded, PostgresEventStore store, AppendSignals signals,
                ObjectMapper json, Sse sse, Vertx vertx, LiveConfig config, Runnable closeConnection) {
        super(sse, vertx, config, closeConnection);
        this.runId = runId;
        this.queuedUpTo = afterSeq;
        this.runEnded = runEnded;
        this.store = store;
        this.signals = signals;
        this.json = json;
    }

    @Override
    protected void started() {
        // Watching before the first read: an append committed during that read is read again, never missed.
        Runnable stop = signals.watchRun(runId, this::read);
        synchronized (this) {
            unwatch = stop;
        }
        read();
    }

    @Override
    protected void ticked() {
        read();
    }

    @Override
    protected void ended() {
        Runnable stop;
        synchronized (this) {
            stop = unwatch;
        }
        stop.run();
    }

    /** Reads what the store holds after the last seq queued, as much as the queue has room for. */
    private void read() {
        long after;
        int limit;
        synchronized (this) {
            if (isOver()) {
                return;
            }
            if (reading) {
                readAgain = true;
                return;
            }
            limit = room();
            if (limit <= 0) {
                readAgain = true;  // read once the connection took some
                return;
            }
            reading = true;
            readAgain = false;
            after = queuedUpTo;
        }
        store.page(runId, after, limit).subscribe().with(events -> {
            synchronized (this) {
                if (!events.isEmpty()) {
                    queuedUpTo = events.get(events.size() - 1).seq();
                    runEnded |= events.stream().anyMatch(e -> RunEventTypes.ENDING_RUN.contains(e.type()));
                }
            }
            // Still reading until the page is queued: a signal meanwhile only marks a read again, so no second
            // read sizes its page by room this page is about to take (which overflowed the queue and dropped
            // a subscriber that kept up, when appends came quickly).
            offer(events);
            boolean again;
            boolean done;
            synchronized (this) {
                reading = false;
                done = events.isEmpty() && runEnded && !readAgain;
                again = !done && (readAgain || events.size() == limit || (runEnded && !events.isEmpty()));
            }
            if (done) {
                finish();
            } else if (again) {
                read();
            }
        }, failure -> {
            synchronized (this) {
                reading = false;
                readAgain = true;  // the next tick reads again
            }
        });
    }

    @Override
    protected void taken() {
        boolean again;
        synchronized (this) {
            again = readAgain && !reading;
        }
        if (again) {
            read();
        }
    }

    @Override
    protected OutboundSseEvent toSse(StoredEvent event) {
        try {
            return sse.newEventBuilder().id(Long.toString(event.seq())).name(event.type())
                    .data(String.class, json.writeValueAsString(event)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("run " + runId + " seq " + event.seq() + " could not be written as JSON", e);
        }
    }
}
