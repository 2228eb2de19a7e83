package io.antidote.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Each server's last verdict ({@code GET /api/v1/servers}), or one server with its evidence and runs. */
@Command(name = "servers", description = "Each server's current verdict; with NAME, its evidence and runs.")
final class ServersCommand implements Callable<Integer> {

    @Mixin
    Connection connection;
    @Mixin
    Printer printer;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "One server.")
    String name;

    @Option(names = "--verdict", description = "VULNERABLE, PATCHED, MITIGATED, COMPROMISED, CLEAN, ISOLATED, IN_SERVICE or UNKNOWN")
    String verdict;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Servers carrying this label (repeatable).")
    List<String> labels = new ArrayList<>();

    @Override
    public Integer call() {
        Api api = connection.api();
        if (name != null) {
            JsonNode server = api.get("api/v1/servers/" + Api.encode(name));
            if (printer.json) {
                printer.json(server);
                return Exit.OK;
            }
            line(server);
            for (JsonNode evidence : server.path("evidence")) {
                printer.line("  evidence: run " + Printer.text(evidence, "runId") + " seq " + Printer.text(evidence, "seq")
                        + " " + Printer.text(evidence, "type") + " " + Printer.text(evidence, "step"));
            }
            for (JsonNode run : server.path("runs")) {
                printer.line("  run " + Printer.text(run, "runId") + " " + Printer.text(run, "playbook") + " "
                        + Printer.text(run, "status") + " " + Printer.text(run, "createdAt"));
            }
            return Exit.OK;
        }
        JsonNode servers = api.get("api/v1/servers" + Api.query(Api.fields("verdict", verdict,
                "label", labels.isEmpty() ? null : labels)));
        if (printer.json) {
            printer.json(servers);
            return Exit.OK;
        }
        printer.line(String.format("%-24s  %-11s  %-11s  %-10s  %s", "SERVER", "PATCH", "COMPROMISE", "SERVICE", "SINCE"));
        servers.forEach(this::line);
        return Exit.OK;
    }

    private void line(JsonNode server) {
        printer.line(String.format("%-24s  %-11s  %-11s  %-10s  %s", Printer.text(server, "name"),
                Printer.text(server, "patch"), Printer.text(server, "compromise"), Printer.text(server, "service"),
                Printer.text(server, "verdictAt")));
    }
}
