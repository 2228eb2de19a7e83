package io.antidote.store;

import io.vertx.core.Vertx;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One connection of its own beside the pool that LISTENs to some of PostgreSQL's notification channels. A
 * notification is a hint sent after a commit, by whichever replica committed; it is lost when this connection
 * is down. So each channel's handler is also told null whenever the channel is subscribed (first and after
 * every reconnection), meaning "anything may have happened meanwhile: look for yourself".
 *
 * <p>It tries again for ever, a first refused connection as well as a lost one: a database away for a while
 * must not leave a replica deaf once it is back. Handlers run on an event loop and must not block.
 */
public final class ListeningConnection {

    private static final Logger LOG = Logger.getLogger(ListeningConnection.class);
    private static final long RECONNECT_DELAY_MS = 1000;

    private final Vertx vertx;
    private final ListeningDatasource datasource;
    private final String purpose;
    private final Map<String, Consumer<String>> channels = new LinkedHashMap<>();
    private volatile PgSubscriber subscriber;

    /** @param purpose what the listening is for, as its log lines name it */
    public ListeningConnection(Vertx vertx, ListeningDatasource datasource, String purpose) {
        this.vertx = vertx;
        this.datasource = datasource;
        this.purpose = purpose;
    }

    /** {@code signal} is told each notification's payload, and null on every subscription. Before {@link #open}. */
    public ListeningConnection channel(String name, Consumer<String> signal) {
        channels.put(name, signal);
        return this;
    }

    public void open() {
        PgSubscriber listening = PgSubscriber.subscriber(vertx, ListeningDatasource.connectOptions(datasource))
                .reconnectPolicy(retries -> RECONNECT_DELAY_MS);
        channels.forEach((name, signal) -> listening.channel(name)
                .subscribeHandler(v -> signal.accept(null))
                .handler(signal::accept));
        subscriber = listening;
        listening.connect().onFailure(failure -> {
            // The reconnect policy covers a connection lost, not a first one refused.
            LOG.warnf("%s: listening failed (%s); trying again", purpose, failure.getMessage());
            listening.close();
            vertx.setTimer(RECONNECT_DELAY_MS, id -> {
                if (subscriber == listening) {
                    open();
                }
            });
        });
    }

    public void close() {
        PgSubscriber listening = subscriber;
        subscriber = null;
        if (listening != null) {
            listening.close();
        }
    }
}
