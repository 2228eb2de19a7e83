package io.antidote.api;

import io.antidote.store.ServerHistory.EventRef;
import io.antidote.store.ServerHistory.RunOnServer;
import io.antidote.store.ServerHistory.ServerState;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A server as {@code /api/v1/servers} shows it. {@code patch} and {@code compromise} are UNKNOWN (service:
 * null) until a run records a verdict; {@code evidence} names the verdict's event and the step outcomes before
 * it (list: the verdict's event only); {@code runs} is the timeline (one server only).
 */
public record ServerView(String name, Map<String, String> labels, String patch, String compromise,
                         List<Object> indicators, String service, List<Object> reasons, Instant verdictAt,
                         List<EventRef> evidence, List<RunOnServer> runs) {

    /** The server as the list shows it. */
    static ServerView listed(ServerState state) {
        return of(state, state.verdict() == null ? List.of() : List.of(state.verdict()), null);
    }

    /** The server with all its evidence and its timeline. */
    static ServerView detailed(ServerState state, List<RunOnServer> runs) {
        return of(state, state.evidence(), runs);
    }

    private static ServerView of(ServerState s, List<EventRef> evidence, List<RunOnServer> runs) {
        return new ServerView(s.name(), s.labels(), s.patch(), s.compromise(), s.indicators(), s.service(),
                s.reasons(), s.verdictAt(), evidence, runs);
    }
}
