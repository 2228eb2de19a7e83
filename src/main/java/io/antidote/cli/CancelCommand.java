package io.antidote.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code POST /api/v1/runs/{id}/cancel}: undo steps run, then the run ends CANCELLED; 409 (exit 4) once ended. */
@Command(name = "cancel", description = "Cancel a run: a running step finishes (or, --interrupt, is not waited for), "
        + "then the undo steps run.")
final class CancelCommand extends OnRun {

    @Option(names = "--interrupt", description = "Stop waiting for a running step (recorded failed by the cancel).")
    boolean interrupt;

    @Override
    public Integer call() {
        Api.Answer answer = connection.api().post(runPath() + "/cancel",
                Api.fields("mode", interrupt ? "INTERRUPT" : "FINISH_STEP"), java.util.Map.of());
        JsonNode view = answer.body();
        if (printer.json) {
            printer.json(view);
        } else if (answer.status() == 202) {
            printer.line(accepted("Cancel", answer));
        } else {
            printer.line("Cancelling run " + run);
            RunsShowCommand.describe(view, printer);
        }
        return Exit.OK;
    }
}
