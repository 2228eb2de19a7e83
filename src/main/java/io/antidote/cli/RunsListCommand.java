package io.antidote.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The run list, newest first, filtered as {@code GET /api/v1/runs} filters. */
@Command(name = "list", description = "The runs, newest first.")
final class RunsListCommand implements Callable<Integer> {

    @Mixin
    Connection connection;
    @Mixin
    Printer printer;

    @Option(names = "--status", description = "PENDING, RUNNING, WAITING_APPROVAL, SUCCEEDED, FAILED or CANCELLED")
    String status;
    @Option(names = "--playbook")
    String playbook;
    @Option(names = "--target")
    String target;
    @Option(names = "--ticket")
    String ticket;
    @Option(names = "--page", description = "From 0 (default 0).")
    Integer page;
    @Option(names = "--size", description = "1 to 200 (default 50).")
    Integer size;

    @Override
    public Integer call() {
        JsonNode list = connection.api().get("api/v1/runs" + Api.query(Api.fields("status", status, "playbook", playbook,
                "target", target, "ticket", ticket, "page", page, "size", size)));
        if (printer.json) {
            printer.json(list);
            return Exit.OK;
        }
        printer.line(String.format("%-36s  %-16s  %-30s  %-20s  %-24s  %s", "RUN", "STATUS", "PLAYBOOK", "TICKET",
                "CREATED", "TARGETS"));
        for (JsonNode run : list.path("items")) {
            List<String> targets = new ArrayList<>();
            run.path("targets").forEach(t -> targets.add(t.asText()));
            String status = Printer.text(run, "status") + (run.path("failingVerification").isObject() ? "!" : "");
            printer.line(String.format("%-36s  %-16s  %-30s  %-20s  %-24s  %s", Printer.text(run, "id"), status,
                    Printer.text(run, "playbook"), Printer.text(run, "ticket"), Printer.text(run, "createdAt"),
                    String.join(",", targets)));
        }
        printer.line(list.path("items").size() + " of " + list.path("total").asLong() + " runs (page "
                + list.path("page").asInt() + "); ! marks a run whose history fails verification");
        return Exit.OK;
    }
}
