package io.antidote.engine;

import org.jboss.logging.MDC;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Puts the run, target, step and actor a piece of work is about in the logging MDC, so that every line logged
 * meanwhile (the engine's, the transport's) carries them, as fields of their own in JSON logs. Closing puts back
 * what was there before. Never a value that could be secret: these are ids and names only.
 */
final class RunMdc implements AutoCloseable {

    static final String RUN = "runId";
    static final String TARGET = "target";
    static final String STEP = "step";
    static final String ACTOR = "actor";

    private final Map<String, Object> previous = new LinkedHashMap<>();

    private RunMdc() {
    }

    static RunMdc of(UUID runId, String target, String step, String actor) {
        RunMdc mdc = new RunMdc();
        mdc.put(RUN, runId == null ? null : runId.toString());
        mdc.put(TARGET, target);
        mdc.put(STEP, step);
        mdc.put(ACTOR, actor);
        return mdc;
    }

    private void put(String key, String value) {
        previous.put(key, MDC.get(key));
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    @Override
    public void close() {
        previous.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }
}
