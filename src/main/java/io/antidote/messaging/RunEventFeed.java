package io.antidote.messaging;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The in-process end of {@link Channels#RUN_EVENTS}: whoever is interested in run events as they are
 * committed (live views, tests) subscribes here. With a broker configured, the same channel is bound to
 * it instead (a later step); this consumer is the default so that the channel always has a sink.
 */
@ApplicationScoped
public class RunEventFeed {

    private final BroadcastProcessor<RunEventMessage> broadcast = BroadcastProcessor.create();

    @Incoming(Channels.RUN_EVENTS)
    void accept(RunEventMessage message) {
        broadcast.onNext(message);
    }

    /** Events committed from now on; a subscriber that falls behind is not waited for. */
    public Multi<RunEventMessage> events() {
        return broadcast.onOverflow().drop();
    }
}
