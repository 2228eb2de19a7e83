package io.antidote.engine;

import io.antidote.workflow.StepOutcome;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * One trace per run, whichever replica does the work and however long after the request: a run's steps run
 * on a worker long after the request returned, possibly on another replica after adoption or a restart, so no
 * context carried in memory could reach them. The trace is derived from the run id instead: its trace id is the
 * run id's 16 bytes, and its spans hang under a span id derived from the run id too, which every replica
 * computes alike. That parent is never exported itself (a backend shows the run's spans under a missing root).
 * It is always sampled: a run is rare and its few spans are worth keeping whole.
 *
 * <p>Attributes are ids and names only (run id, playbook, target, step, attempt, outcome words): never a script,
 * a parameter, an output or a secret.
 */
@ApplicationScoped
public class RunTraces {

    public static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("antidote.run.id");
    public static final AttributeKey<String> PLAYBOOK = AttributeKey.stringKey("antidote.playbook");
    public static final AttributeKey<String> TARGET = AttributeKey.stringKey("antidote.target");
    public static final AttributeKey<String> STEP = AttributeKey.stringKey("antidote.step");
    public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("antidote.attempt");
    public static final AttributeKey<Long> TARGETS = AttributeKey.longKey("antidote.targets");
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("antidote.outcome");
    public static final AttributeKey<String> FAILURE_KIND = AttributeKey.stringKey("antidote.failure.kind");

    private final Tracer tracer;

    RunTraces(Tracer tracer) {
        this.tracer = tracer;
    }

    /** The run's trace id: the run id's 32 hex digits. */
    public static String traceId(UUID runId) {
        return HexFormat.of().toHexDigits(runId.getMostSignificantBits())
                + HexFormat.of().toHexDigits(runId.getLeastSignificantBits());
    }

    /** The span id every span of the run hangs under: the first 8 bytes of the SHA-256 of the run id. */
    public static String rootSpanId(UUID runId) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(runId.toString().getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
        if (java.util.stream.IntStream.range(0, 8).allMatch(i -> digest[i] == 0)) {
            digest[7] = 1; // an all-zero span id is invalid: its children would start traces of their own
        }
        return HexFormat.of().formatHex(digest, 0, 8);
    }

    /** The run's parent context, as any replica derives it. */
    static Context of(UUID runId) {
        return Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(traceId(runId), rootSpanId(runId),
                TraceFlags.getSampled(), TraceState.getDefault())));
    }

    /**
     * The span of a run request, in the run's trace, linked to the span current now (the HTTP request's), which
     * belongs to a trace of its own. The caller ends it.
     */
    Span requested(UUID runId, String playbook, int targets) {
        SpanContext request = Span.current().getSpanContext();
        var builder = tracer.spanBuilder("run " + playbook).setParent(of(runId)).setSpanKind(SpanKind.INTERNAL)
                .setAttribute(RUN_ID, runId.toString()).setAttribute(PLAYBOOK, playbook)
                .setAttribute(TARGETS, (long) targets);
        if (request.isValid()) {
            builder.addLink(request);
        }
        return builder.startSpan();
    }

    /** The span of one step attempt on one target, on the worker that runs it. The caller ends it. */
    Span attempt(UUID runId, String target, String step, int attempt) {
        return tracer.spanBuilder("step " + step).setParent(of(runId)).setSpanKind(SpanKind.INTERNAL)
                .setAttribute(RUN_ID, runId.toString()).setAttribute(TARGET, target).setAttribute(STEP, step)
                .setAttribute(ATTEMPT, (long) attempt).startSpan();
    }

    /** Ends an attempt's span with how it ended, in words (its reason and output stay out). */
    static void ended(Span span, StepOutcome outcome) {
        if (outcome instanceof StepOutcome.Completed completed) {
            span.setAttribute(OUTCOME, completed.unmet().isEmpty() ? "succeeded" : "failed");
            if (!completed.unmet().isEmpty()) {
                span.setStatus(StatusCode.ERROR, "expectations unmet");
            }
        } else if (outcome instanceof StepOutcome.Errored errored) {
            span.setAttribute(OUTCOME, "errored");
            span.setAttribute(FAILURE_KIND, errored.kind().name());
            span.setStatus(StatusCode.ERROR, errored.kind().name());
        } else {
            span.setAttribute(OUTCOME, "unknown");
            span.setStatus(StatusCode.ERROR, "outcome unknown");
        }
        span.end();
    }
}
