package io.antidote.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.antidote.store.PostgresEventStore;
import io.antidote.store.RunSummary;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import io.smallrye.mutiny.Multi;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.UUID;
import java.util.function.Function;

/** Opens live streams (docs/api.md, "Live streams") on the connection of the request that asked for one. */
@ApplicationScoped
public class LiveStreams {

    private final PostgresEventStore store;
    private final AppendSignals signals;
    private final RunListFeed runList;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final LiveConfig config;
    private final Counter dropped;

    LiveStreams(PostgresEventStore store, AppendSignals signals, RunListFeed runList, ObjectMapper json, Vertx vertx,
                LiveConfig config, MeterRegistry metrics) {
        this.store = store;
        this.signals = signals;
        this.runList = runList;
        this.json = json;
        this.vertx = vertx;
        this.config = config;
        this.dropped = Counter.builder("antidote.live.subscribers.dropped")
                .description("live stream subscribers dropped for not keeping up").register(metrics);
    }

    /**
     * The run's events after seq {@code afterSeq}, then as they are appended, until the run has ended and all
     * of them were sent.
     *
     * @param runEnded whether the run had already ended when the stream was asked for
     */
    public Multi<OutboundSseEvent> runEvents(UUID runId, long afterSeq, boolean runEnded, Sse sse,
                                             HttpServerRequest request) {
        return new RunFollower(runId, afterSeq, runEnded, store, signals, json, sse, vertx, config,
                connection(request)).open();
    }

    /** Each run as it appears in the run list and as its status changes, as {@code view} shows it. */
    public Multi<OutboundSseEvent> runList(Function<RunSummary, Object> view, Sse sse, HttpServerRequest request) {
        return new RunListFollower(runList, view, json, sse, vertx, config, connection(request)).open();
    }

    /**
     * Bounds what the kernel holds for this subscriber, and returns what drops it. The socket's send buffer is
     * the one setting that does: Vert.x's own queue only fills once the kernel's is full. The channel is closed
     * outright, what is queued for it let go: {@link HttpConnection#close()} would first wait until the
     * client took what is queued, which a stalled client never does, so the connection would stay open.
     */
    private Runnable connection(HttpServerRequest request) {
        HttpConnection connection = request.connection();
        if (connection instanceof ConnectionBase base) {
            if (config.socketSendBuffer() > 0) {
                base.channel().config().setOption(ChannelOption.SO_SNDBUF, config.socketSendBuffer());
            }
            return () -> {
                dropped.increment();
                base.channel().close();
            };
        }
        return () -> {
            dropped.increment();
            connection.close();
        };
    }
}
