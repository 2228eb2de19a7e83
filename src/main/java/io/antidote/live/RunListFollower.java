package io.antidote.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.antidote.store.RunSummary;
import io.vertx.core.Vertx;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import java.util.function.Function;

/** A subscriber to the run list: each run as it appears ({@code RunCreated}) and as its status changes. */
final class RunListFollower extends LiveStream<RunListFollower.Change> {

    /** @param kind {@code created} or {@code status}, as the database's signal says */
    record Change(String kind, RunSummary summary) {}

    private final RunListFeed feed;
    private final Function<RunSummary, Object> view;
    private final ObjectMapper json;
    private Runnable unwatch = () -> { };

    RunListFollower(RunListFeed feed, Function<RunSummary, Object> view, ObjectMapper json, Sse sse, Vertx vertx,
                    LiveConfig config, Runnable closeConnection) {
        super(sse, vertx, config, closeConnection);
        this.feed = feed;
        this.view = view;
        this.json = json;
    }

    @Override
    protected void started() {
        Runnable stop = feed.watch(change -> offer(List.of(change)));
        synchronized (this) {
            unwatch = stop;
        }
    }

    @Override
    protected void ended() {
        Runnable stop;
        synchronized (this) {
            stop = unwatch;
        }
        stop.run();
    }

    @Override
    protected OutboundSseEvent toSse(Change change) {
        try {
            return sse.newEventBuilder()
                    .name("created".equals(change.kind()) ? "RunCreated" : "RunStatusChanged")
                    .data(String.class, json.writeValueAsString(view.apply(change.summary()))).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("run " + change.summary().runId() + " could not be written as JSON", e);
        }
    }
}
