package io.antidote.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.antidote.store.StoredEvent;
import io.antidote.workflow.RunState;
import io.antidote.workflow.RunStatus;
import io.antidote.workflow.TargetState;
import io.antidote.workflow.Verdict;

/**
 * The body of a delivery: the Standard Webhooks envelope {@code {type, timestamp, data}} around what a ticket
 * system needs to update its ticket without calling back, namely the run, its ticket, its status just after
 * the event, each server's verdict so far and a link to the run. Never the run's parameters: they may hold
 * secrets. Written once per delivery; every attempt sends the same bytes.
 */
final class WebhookPayload {

    private WebhookPayload() {
    }

    /**
     * @param before the run as it stood before the event (its status tells whether the event changed it)
     * @param after  the run with the event folded in
     */
    static String of(StoredEvent event, RunState before, RunState after, String linkBaseUrl, ObjectMapper json) {
        ObjectNode body = json.createObjectNode();
        body.put("type", "run." + event.type());
        body.put("timestamp", event.occurredAt().toString());
        ObjectNode data = body.putObject("data");
        data.put("runId", event.runId().toString());
        data.put("ticket", after.ticket());
        data.put("playbook", after.plan() == null ? null : after.plan().playbook());
        data.put("status", name(after.status()));
        data.put("previousStatus", name(before.status()));
        data.put("requestedBy", after.requestedBy());
        ObjectNode cause = data.putObject("event");
        cause.put("id", event.eventId().toString());
        cause.put("type", event.type());
        cause.put("seq", event.seq());
        cause.put("occurredAt", event.occurredAt().toString());
        cause.put("target", event.event().target());
        cause.put("step", event.event().step());
        ArrayNode targets = data.putArray("targets");
        for (TargetState target : after.targets()) {
            ObjectNode t = targets.addObject();
            t.put("name", target.name());
            t.put("status", target.status().name());
            Verdict v = target.verdict();
            if (v == null) {
                t.putNull("verdict");
            } else {
                ObjectNode verdict = t.putObject("verdict");
                verdict.put("patch", v.patch().name());
                verdict.put("compromise", v.compromise().name());
                v.indicators().forEach(verdict.putArray("indicators")::add);
                verdict.put("service", v.service().name());
                v.reasons().forEach(verdict.putArray("reasons")::add);
            }
        }
        data.put("link", stripSlash(linkBaseUrl) + "/api/v1/runs/" + event.runId());
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a payload built of JSON nodes is JSON", e);
        }
    }

    private static String name(RunStatus status) {
        return status == null ? null : status.name();
    }

    private static String stripSlash(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
