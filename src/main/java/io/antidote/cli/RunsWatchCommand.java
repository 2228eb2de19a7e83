package io.antidote.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.antidote.workflow.RunEvent;
import io.antidote.workflow.RunEventTypes;
import io.antidote.workflow.RunStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Follows a run live over server-sent events ({@code GET /api/v1/runs/{id}/events}) until it ends, resuming with
 * {@code Last-Event-ID} after a dropped connection, so that no event is missed or shown twice. A caller who may
 * not read events (they need the auditor or admin role) follows the run's status and steps instead.
 * Exit 0 when the run succeeded, 1 when it failed or was cancelled.
 */
@Command(name = "watch", description = "Follow a run live until it ends; exit 0 if it succeeded, 1 if not.")
final class RunsWatchCommand extends OnRun {

    /** The events that end a run and the one of them that ends it well, as the workflow names them. */
    private static final Set<String> RUN_ENDS = RunEventTypes.ENDING_RUN;
    private static final String RUN_SUCCEEDED = RunEventTypes.nameOf(RunEvent.RunSucceeded.class);
    private static final int RECONNECTS = 10;

    @Option(names = "--after", paramLabel = "SEQ", description = "Start after this event (as Last-Event-ID); default: from the first.")
    Long after;

    @Option(names = "--poll-interval", paramLabel = "DURATION", defaultValue = "PT2S", hidden = true,
            description = "How often the status is read when events may not be streamed (ISO-8601).")
    Duration pollInterval;

    private final Console console;
    private Long lastSeq;
    private String lastType;

    RunsWatchCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws InterruptedException {
        Api api = connection.api();
        String path = runPath() + "/events";
        lastSeq = after;
        int failures = 0;
        while (true) {
            try {
                HttpResponse<Stream<String>> response = api.stream(path, lastSeq);
                if (response.statusCode() == 403) {
                    response.body().close();
                    console.err().println("antidote: events need the auditor or admin role; following the run's status instead");
                    return poll(api);
                }
                if (response.statusCode() != 200) {
                    StringBuilder body = new StringBuilder();
                    try (Stream<String> lines = response.body()) {
                        lines.forEach(body::append);
                    }
                    throw Api.refusal(response.statusCode(), body.toString());
                }
                ServerEvents events = new ServerEvents(this::show);
                try (Stream<String> lines = response.body()) {
                    lines.forEach(line -> {
                        events.line(line);
                    });
                }
                if (lastType != null && RUN_ENDS.contains(lastType)) {
                    return RUN_SUCCEEDED.equals(lastType) ? Exit.OK : Exit.FAILED;
                }
                // The stream ended without the run's end: a resumed stream of a run that had already ended, or the
                // service let go of us (a restart, a stall); the run says which.
                JsonNode view = api.get(runPath());
                RunStatus status = RunStatus.valueOf(view.path("status").asText());
                if (status.terminal()) {
                    return ended(status);
                }
                failures = 0;
            } catch (IOException | UncheckedIOException e) {
                if (++failures > RECONNECTS) {
                    throw new CommandFailed(Exit.UNAVAILABLE, "lost the stream of run " + run + " and could not resume: " + e);
                }
                console.err().println("antidote: stream lost (" + e.getMessage() + "), resuming after seq "
                        + (lastSeq == null ? 0 : lastSeq));
            }
            Thread.sleep(Math.min(5000, 500L * Math.max(1, failures)));
        }
    }

    private void show(ServerEvents.Event event) {
        JsonNode data;
        try {
            data = Api.JSON.readTree(event.data());
        } catch (JsonProcessingException e) {
            throw new CommandFailed(Exit.UNAVAILABLE, "an event that is not JSON: " + event.data());
        }
        if (event.id() != null) {
            lastSeq = Long.parseLong(event.id());
        }
        lastType = event.type();
        if (printer.json) {
            printer.jsonLine(data);
            return;
        }
        StringBuilder line = new StringBuilder(String.format("%4s  %s  %-24s", Printer.text(data, "seq"),
                Printer.text(data, "occurredAt"), event.type()));
        if (data.hasNonNull("target")) {
            line.append(" ").append(data.get("target").asText());
        }
        if (data.hasNonNull("step")) {
            line.append(" ").append(data.get("step").asText());
        }
        if (data.path("attempt").asInt() > 0) {
            line.append(" (attempt ").append(data.get("attempt").asInt()).append(")");
        }
        if (data.hasNonNull("actor")) {
            line.append(" by ").append(data.get("actor").asText());
        }
        printer.line(line.toString());
    }

    /** Reads the run until it ends, printing each change of its status or of a step's. */
    private int poll(Api api) throws InterruptedException {
        Map<String, String> seen = new LinkedHashMap<>();
        while (true) {
            JsonNode view = api.get(runPath());
            Map<String, String> now = new LinkedHashMap<>();
            now.put("run", view.path("status").asText());
            for (JsonNode target : view.path("targets")) {
                for (JsonNode step : target.path("steps")) {
                    now.put(target.path("name").asText() + " " + step.path("id").asText(), step.path("status").asText());
                }
            }
            now.forEach((what, status) -> {
                if (!status.equals(seen.get(what))) {
                    if (printer.json) {
                        printer.jsonLine(Api.JSON.createObjectNode().put("what", what).put("status", status));
                    } else {
                        printer.line(String.format("%-40s %s", what, status));
                    }
                }
            });
            seen.putAll(now);
            RunStatus status = RunStatus.valueOf(view.path("status").asText());
            if (status.terminal()) {
                return ended(status);
            }
            Thread.sleep(pollInterval.toMillis());
        }
    }

    private static int ended(RunStatus status) {
        return status == RunStatus.SUCCEEDED ? Exit.OK : Exit.FAILED;
    }
}
