package io.antidote.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** One run: its status, each target's steps and verdict. */
@Command(name = "show", description = "One run: status, each target's steps and verdict.")
final class RunsShowCommand extends OnRun {

    @Override
    public Integer call() {
        JsonNode view = connection.api().get(runPath());
        if (printer.json) {
            printer.json(view);
        } else {
            describe(view, printer);
        }
        return Exit.OK;
    }

    /** A run as people read it; also what run, approve, reject, cancel and retry print. */
    static void describe(JsonNode view, Printer printer) {
        printer.line("Run " + Printer.text(view, "id") + "  " + Printer.text(view, "status"));
        printer.line("  playbook " + Printer.text(view, "playbook") + " (digest " + Printer.text(view, "playbookDigest")
                + "), ticket " + Printer.text(view, "ticket") + ", requested by " + Printer.text(view, "requestedBy")
                + " at " + Printer.text(view, "createdAt")
                + (view.path("finishedAt").isNull() || view.path("finishedAt").isMissingNode() ? ""
                        : ", finished at " + Printer.text(view, "finishedAt")));
        if (view.hasNonNull("retryOf")) {
            printer.line("  retry of run " + view.get("retryOf").asText());
        }
        if (view.path("retriedAs").size() > 0) {
            java.util.List<String> retries = new java.util.ArrayList<>();
            view.path("retriedAs").forEach(r -> retries.add(r.isObject() ? Printer.text(r, "id") : r.asText()));
            printer.line("  retried as run " + String.join(", ", retries));
        }
        JsonNode failing = view.path("failingVerification");
        if (failing.isObject()) {
            printer.line("  HISTORY FAILS VERIFICATION at seq " + Printer.text(failing, "firstBadSeq") + ": "
                    + Printer.text(failing, "problem"));
        }
        for (JsonNode target : view.path("targets")) {
            printer.line("  " + Printer.text(target, "name") + "  " + Printer.text(target, "status"));
            for (JsonNode step : target.path("steps")) {
                printer.line(String.format("    %-28s %-18s attempts %d, exit %s", Printer.text(step, "id"),
                        Printer.text(step, "status"), step.path("attempts").asInt(), Printer.text(step, "exitCode")));
            }
            JsonNode verdict = target.path("verdict");
            if (verdict.isObject()) {
                printer.line("    verdict: patch " + Printer.text(verdict, "patch") + ", compromise "
                        + Printer.text(verdict, "compromise") + ", service " + Printer.text(verdict, "service"));
            }
        }
    }
}
