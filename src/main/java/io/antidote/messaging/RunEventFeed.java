package io.antidote.messaging;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Run events inside the process, for whoever is interested as they are published (live views, tests):
 * {@link OutboxRelay} hands each event here once the broker has confirmed it.
 */
@ApplicationScoped
public class RunEventFeed {

    private final BroadcastProcessor<RunEventMessage> broadcast = BroadcastProcessor.create();

    void publish(RunEventMessage message) {
        broadcast.onNext(message);
    }

    /** Events published from now on; a subscriber that falls behind is not waited for. */
    public Multi<RunEventMessage> events() {
        return broadcast.onOverflow().drop();
    }
}
