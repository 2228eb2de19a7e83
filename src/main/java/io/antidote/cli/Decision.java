package io.antidote.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.TreeSet;
import picocli.CommandLine.Option;

/**
 * An approver's decision on a step waiting for approval ({@code POST /api/v1/runs/{id}/approvals}); without
 * {@code --step}, the one step the run waits on. The service refuses a requester deciding on their own run (403,
 * exit 3) and a decision nothing waits for (409, exit 4).
 */
abstract class Decision extends OnRun {

    @Option(names = "--step", description = "The step waiting for approval (default: the one the run waits on).")
    String step;

    @Option(names = "--target", description = "Only this target's step (default: every target waiting on it).")
    String target;

    @Option(names = {"-m", "--comment"}, description = "Why, e.g. the change ticket.")
    String comment;

    abstract String decision();

    @Override
    public Integer call() {
        Api api = connection.api();
        String path = runPath();
        String decided = step != null ? step : waitingStep(api.get(path));
        Api.Answer answer = api.post(path + "/approvals", Api.fields("step", decided, "target", target,
                "decision", decision(), "comment", comment), java.util.Map.of());
        JsonNode view = answer.body();
        if (printer.json) {
            printer.json(view);
        } else if (answer.status() == 202) {
            printer.line(accepted(decision().equals("APPROVE") ? "Approval" : "Rejection", answer));
        } else {
            printer.line((decision().equals("APPROVE") ? "Approved" : "Rejected") + " step " + decided + " of run " + run);
            RunsShowCommand.describe(view, printer);
        }
        return Exit.OK;
    }

    private String waitingStep(JsonNode view) {
        TreeSet<String> waiting = new TreeSet<>();
        for (JsonNode t : view.path("targets")) {
            if (target == null || target.equals(t.path("name").asText())) {
                t.path("steps").forEach(s -> {
                    if ("WAITING_APPROVAL".equals(s.path("status").asText())) {
                        waiting.add(s.path("id").asText());
                    }
                });
            }
        }
        if (waiting.isEmpty()) {
            throw new CommandFailed(Exit.CONFLICT, "run " + run + " waits for no approval (status "
                    + view.path("status").asText() + ")");
        }
        if (waiting.size() > 1) {
            throw new CommandFailed(Exit.USAGE, "run " + run + " waits on several steps " + waiting + ": say which with --step");
        }
        return waiting.first();
    }
}
