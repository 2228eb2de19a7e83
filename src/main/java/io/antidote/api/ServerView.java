package io.antidote.api;

import io.antidote.store.ServerHistory.EventRef;
import io.antidote.store.ServerHistory.LastVerdict;
import io.antidote.store.ServerHistory.RunOnServer;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A server as {@code /api/v1/servers} shows it. {@code patch}, {@code compromise} and {@code service} are
 * UNKNOWN (service: null) until a run records a verdict; {@code evidence} names the verdict's event and the
 * step outcomes before it (list: the verdict's event only); {@code runs} is the timeline (one server only).
 */
public record ServerView(String name, Map<String, String> labels, String patch, String compromise,
                         List<Object> indicators, String service, List<Object> reasons, Instant verdictAt,
                         List<EventRef> evidence, List<RunOnServer> runs) {

    static ServerView of(String name, Map<String, String> labels, LastVerdict last, List<EventRef> evidence,
                         List<RunOnServer> runs) {
        if (last == null) {
            return new ServerView(name, labels, "UNKNOWN", "UNKNOWN", List.of(), null, List.of(), null,
                    evidence == null ? null : List.of(), runs);
        }
        Map<?, ?> verdict = last.verdict().get("verdict") instanceof Map<?, ?> v ? v : last.verdict();
        return new ServerView(name, labels, text(verdict.get("patch")), text(verdict.get("compromise")),
                list(verdict.get("indicators")), text(verdict.get("service")), list(verdict.get("reasons")), last.at(),
                evidence == null ? List.of(last.event()) : evidence, runs);
    }

    /** Whether the verdict says this word (see {@link ServerResource#VERDICT_WORDS}). */
    boolean says(String word) {
        return word.equals(patch) || word.equals(compromise) || word.equals(service)
                || ("UNKNOWN".equals(word) && verdictAt == null);
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }
}
